"""Maintenance of the gettext catalogues: extract, update, compile, check.

    python -m elternlotse.i18n.catalogs extract   # src/ -> translations/elternlotse.pot
    python -m elternlotse.i18n.catalogs update    # .pot -> every translations/<lang>/LC_MESSAGES/elternlotse.po
    python -m elternlotse.i18n.catalogs compile   # .po -> .mo (build output, git-ignored)
    python -m elternlotse.i18n.catalogs check     # untranslated, fuzzy, placeholders, Plural-Forms, stale .pot
    python -m elternlotse.i18n.catalogs todo LANG # the msgids LANG still lacks

Extraction follows ``babel.cfg`` at the project root (Python files under src/,
keywords ``_``, ``N_``, ``ngettext:1,2``); ``pybabel extract`` with the same options
gives the same template.  Locations are written without line numbers so that the
.pot changes only when strings change.

Plural forms: Babel's own plural table is not the GNU gettext one for some of our
languages and has changed between Babel releases, so it is never used.
Translations are written against the ``Plural-Forms`` header of each .po file,
and the header is the GNU gettext one from ``PLURAL_FORMS`` below (checked).
This module is a developer tool; the app itself only reads compiled .mo files.
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import re
import string
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from elternlotse.i18n import DOMAIN, translations_dir
from elternlotse.i18n.languages import UI_LANGUAGES

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("TRANSLATORS:",)
SOURCE_LANGUAGE = "en"

#: GNU gettext's Plural-Forms (gettext manual, node "Plural forms"; plural-table.c for
#: de, en, tr, ru, uk).  Arabic: the manual's six-form rule (0, 1, 2, 3-10, 11-99, 100-102...).
#: Persian is in neither GNU table; CLDR's rule (one: 0 and 1) written the gettext way,
#: as the Translation Project and Launchpad use it.  Every catalogue declares its rule
#: from this table, whatever Babel's own plural table says in the installed version.
PLURAL_FORMS: dict[str, str] = {
    "de": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "fa": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}

LANGUAGE_TEAMS = {
    "de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية", "fa": "فارسی", "ru": "Русский", "uk": "Українська",
}


HEADER_COMMENT = """\
# Elternlotse: {language} catalogue.
# Maintained with `python -m elternlotse.i18n.catalogs` (docs/i18n.md): extract, update, check.
# Placeholders like {{name}} stay exactly as in the msgid; plural forms follow the Plural-Forms header."""


def project_root() -> Path:
    return translations_dir().parent


def pot_path(directory: Path | None = None) -> Path:
    return (directory or translations_dir()) / f"{DOMAIN}.pot"


def po_path(language: str, directory: Path | None = None) -> Path:
    return (directory or translations_dir()) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


# --------------------------------------------------------------------------- extract


def extract_catalog(root: Path | None = None) -> Catalog:
    """A template catalogue of every msgid in the sources (nothing written)."""
    from elternlotse import __version__

    root = root or project_root()
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(
        project="Elternlotse", version=__version__, copyright_holder="Elternlotse contributors",
        charset="utf-8", fuzzy=False,
    )
    for filename, _lineno, message, comments, context in extract_from_dir(
        root, method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True,
    ):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        catalog.add(message, None, [(filename, None)], auto_comments=comments, context=context)
    return catalog


def msgids(catalog: Catalog) -> set:
    return {(m.context, m.id if not isinstance(m.id, list) else tuple(m.id)) for m in catalog if m.id}


def extract(root: Path | None = None) -> tuple[Path, int]:
    """Write translations/elternlotse.pot; return its path and the number of msgids."""
    root = root or project_root()
    catalog = extract_catalog(root)
    target = pot_path(root / "translations")
    if target.exists():
        with target.open("rb") as handle:
            old = read_po(handle)
        if _same_entries(old, catalog):
            return target, len(catalog)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write(target, catalog, template=True)
    return target, len(catalog)


def _same_entries(a: Catalog, b: Catalog) -> bool:
    def key(cat: Catalog) -> dict:
        return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)): (sorted(m.locations), m.auto_comments) for m in cat if m.id}

    return key(a) == key(b)


def _write(path: Path, catalog: Catalog, template: bool = False) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False, sort_by_file=True, ignore_obsolete=True,
                 include_previous=False, omit_header=False, include_lineno=False)
    tmp.replace(path)


# --------------------------------------------------------------------------- update


def load_po(language: str, directory: Path | None = None) -> Catalog:
    with po_path(language, directory).open("rb") as handle:
        return read_po(handle, locale=language.replace("-", "_"), domain=DOMAIN)


def update(languages: tuple[str, ...] | list[str] = UI_LANGUAGES, directory: Path | None = None) -> dict[str, int]:
    """Merge the .pot into every .po (creating missing ones); return untranslated counts.

    Obsolete entries are dropped, no fuzzy matching (fuzzy entries would be
    ignored at run time anyway).  The English catalogue gets msgstr = msgid.
    """
    from elternlotse import __version__

    directory = directory or translations_dir()
    missing: dict[str, int] = {}
    for lang in languages:
        # A fresh template per language: Catalog.update inserts the template's Message
        # objects themselves, so filling one catalogue would otherwise fill the next.
        with pot_path(directory).open("rb") as handle:
            template = read_po(handle)
        path = po_path(lang, directory)
        if path.exists():
            catalog = load_po(lang, directory)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang.replace("-", "_"), domain=DOMAIN, project="Elternlotse",
                              copyright_holder="Elternlotse contributors", fuzzy=False)
            catalog.revision_date = datetime.now(timezone.utc)
        set_plural_forms(catalog, lang)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False, keep_user_comments=True)
        catalog.obsolete.clear()
        catalog.language_team = LANGUAGE_TEAMS.get(lang, lang)
        catalog.version = __version__
        catalog.header_comment = HEADER_COMMENT.format(language=LANGUAGE_TEAMS.get(lang, lang))
        set_plural_forms(catalog, lang)
        if lang == SOURCE_LANGUAGE:
            for message in catalog:
                if message.id and not _translated(message):
                    message.string = message.id if isinstance(message.id, str) else tuple(
                        message.id[0] if i == 0 else message.id[1] for i in range(catalog.num_plurals))
        _write(path, catalog)
        missing[lang] = sum(1 for m in catalog if m.id and not _translated(m))
    return missing


def set_plural_forms(catalog: Catalog, language: str) -> None:
    forms = PLURAL_FORMS[language]
    params = dict(part.strip().split("=", 1) for part in forms.rstrip(";").split(";"))
    catalog._num_plurals = int(params["nplurals"])  # Babel keeps them privately; header setter does the same
    catalog._plural_expr = params["plural"].strip()


# --------------------------------------------------------------------------- check


def _translated(message: Message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return bool(message.string) and all(message.string)
    return bool(message.string)


_PRINTF = re.compile(r"%(?:\(([^)]+)\))?[#0 +-]*\d*(?:\.\d+)?([sdrifx%])")


def placeholders(text: str, printf: bool = False) -> set[str]:
    """The ``{name}`` fields of a str.format template (ValueError if it is malformed).

    ``printf=True`` (msgids of argparse, flagged python-format): the ``%(name)s`` and
    ``%s`` conversions instead, positional ones numbered in order.
    """
    if printf:
        found, position = set(), 0
        for name, conversion in _PRINTF.findall(text):
            if conversion == "%":
                continue
            if name:
                found.add(f"%({name}){conversion}")
            else:
                position += 1
                found.add(f"%{conversion}#{position}")
        return found
    names = set()
    for _literal, field_name, _spec, _conv in string.Formatter().parse(text):
        if field_name is not None:
            names.add(field_name)
    return names


def _plural_form_sizes(expr: str, nplurals: int) -> list[int]:
    """How many n in 0..1000 fall into each plural form."""
    function = _gettext.c2py(expr)
    sizes = [0] * nplurals
    for n in range(1001):
        index = function(n)
        if 0 <= index < nplurals:
            sizes[index] += 1
    return sizes


@dataclass
class Report:
    language: str
    total: int = 0
    translated: int = 0
    fuzzy: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    placeholder_errors: list[str] = field(default_factory=list)
    header_errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.total > 0 and not (self.fuzzy or self.untranslated or self.placeholder_errors or self.header_errors)

    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 0.0


def check_catalog(catalog: Catalog, language: str) -> Report:
    report = Report(language)
    expected = PLURAL_FORMS.get(language)
    if expected and catalog.plural_forms.replace(" ", "") != expected.replace(" ", ""):
        report.header_errors.append(f"Plural-Forms is {catalog.plural_forms!r}, expected {expected!r}")
    sizes = _plural_form_sizes(catalog.plural_expr, catalog.num_plurals)
    if any(size == 0 for size in sizes):
        report.header_errors.append(f"plural expression leaves a form unused: {sizes}")
    for message in catalog:
        if not message.id:
            continue
        report.total += 1
        label = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            report.fuzzy.append(label)
        if not _translated(message):
            report.untranslated.append(label)
            continue
        if not message.fuzzy:
            report.translated += 1
        report.placeholder_errors.extend(_edge_problems(message))
        try:
            report.placeholder_errors.extend(_placeholder_problems(message, sizes))
        except ValueError as error:
            report.placeholder_errors.append(f"{label!r}: malformed braces ({error})")
    return report


def _edge_problems(message: Message) -> list[str]:
    """Like ``msgfmt --check``: a leading/trailing newline or a trailing space (a prompt)
    in the msgid must be in every msgstr too."""
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    problems = []
    for edge, test in (("leading newline", lambda t: t.startswith("\n")), ("trailing newline", lambda t: t.endswith("\n")),
                       ("trailing space", lambda t: t.endswith(" "))):
        wanted = test(ids[0])
        if any(test(text) != wanted for text in strings if text):
            problems.append(f"{ids[0]!r}: {edge} {'missing' if wanted else 'added'} in a msgstr")
    return problems


def _placeholder_problems(message: Message, sizes: list[int]) -> list[str]:
    printf = "python-format" in message.flags
    if isinstance(message.id, str):
        wanted = placeholders(message.id, printf)
        got = placeholders(message.string, printf)
        return [] if wanted == got else [f"{message.id!r}: msgid has {sorted(wanted)}, msgstr has {sorted(got)}"]
    problems = []
    singular, plural = message.id[0], message.id[1]
    allowed = placeholders(singular, printf) | placeholders(plural, printf)
    for index, text in enumerate(message.string):
        got = placeholders(text, printf)
        # A form that stands for exactly one number (Arabic's 0, 1, 2; English's 1) may spell
        # the number out instead of using the count; every other form must keep them all.
        required = allowed if index >= len(sizes) or sizes[index] > 1 else allowed - _numeric_fields(message)
        if not got <= allowed or not required <= got:
            problems.append(f"{singular!r} msgstr[{index}]: placeholders {sorted(got)}, expected {sorted(allowed)}")
    return problems


def _numeric_fields(message: Message) -> set[str]:
    # The field that carries the count: in the plural msgid but not needed in the singular.
    printf = "python-format" in message.flags
    singular, plural = placeholders(message.id[0], printf), placeholders(message.id[1], printf)
    numeric = plural - singular
    return numeric or ({"n", "count"} & plural)


def check(languages: tuple[str, ...] | list[str] = UI_LANGUAGES, directory: Path | None = None) -> list[Report]:
    return [check_catalog(load_po(lang, directory), lang) for lang in languages]


def new_msgids(root: Path | None = None) -> set:
    """Msgids in the sources that the .pot lacks (empty when the .pot is up to date)."""
    root = root or project_root()
    with pot_path(root / "translations").open("rb") as handle:
        pot = read_po(handle)
    return msgids(extract_catalog(root)) - msgids(pot)


def stale_msgids(root: Path | None = None) -> set:
    """Msgids in the .pot that are no longer in the sources."""
    root = root or project_root()
    with pot_path(root / "translations").open("rb") as handle:
        pot = read_po(handle)
    return msgids(pot) - msgids(extract_catalog(root))


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m elternlotse.i18n.catalogs", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="sources -> translations/elternlotse.pot")
    upd = sub.add_parser("update", help="merge the .pot into every .po")
    upd.add_argument("languages", nargs="*", default=list(UI_LANGUAGES))
    sub.add_parser("compile", help=".po -> .mo")
    sub.add_parser("check", help="completeness, fuzzy, placeholders, Plural-Forms, stale .pot")
    todo = sub.add_parser("todo", help="untranslated msgids of one language")
    todo.add_argument("language")
    args = parser.parse_args(argv)

    if args.command == "extract":
        path, count = extract()
        print(f"{path}: {count} msgids")
    elif args.command == "update":
        for lang, missing in update(args.languages).items():
            print(f"{lang}: {missing} untranslated")
    elif args.command == "compile":
        from elternlotse.i18n.compile import compile_all

        for path in compile_all():
            print(path)
    elif args.command == "todo":
        for label in check_catalog(load_po(args.language), args.language).untranslated:
            print(label)
    else:
        ok = True
        new, stale = new_msgids(), stale_msgids()
        if new or stale:
            ok = False
            print(f".pot out of date: {len(new)} new, {len(stale)} stale msgids (run extract, update)")
        for report in check():
            print(f"{report.language}: {report.translated}/{report.total} ({report.percent():.0f}%), "
                  f"{len(report.fuzzy)} fuzzy, {len(report.placeholder_errors)} placeholder errors")
            for line in report.header_errors + report.placeholder_errors:
                print(f"  {line}")
            ok = ok and report.complete
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
