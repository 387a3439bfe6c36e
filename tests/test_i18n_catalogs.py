"""The gettext catalogues: complete, no fuzzy entries, placeholders kept, .pot current, GNU plural forms."""

from __future__ import annotations

import gettext
import io
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from elternlotse import i18n
from elternlotse.i18n import catalogs
from elternlotse.i18n.compile import compile_all
from elternlotse.i18n.languages import UI_LANGUAGES

# While the features were being written these checks ran as expected failures
# (CATALOGUES_FROZEN = False); since the translation pass they must pass: a new
# user-visible string needs extract, update and a translation in every catalogue.
CATALOGUES_FROZEN = True
trailing = pytest.mark.xfail(not CATALOGUES_FROZEN, reason="strings still being added; translated at the end", strict=False)


@pytest.fixture(scope="module")
def reports() -> dict[str, catalogs.Report]:
    return {report.language: report for report in catalogs.check()}


def test_every_ui_language_has_a_catalogue():
    for lang in UI_LANGUAGES:
        assert catalogs.po_path(lang).is_file(), lang
    assert catalogs.pot_path().is_file()


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_plural_forms_header_is_gnu_gettext(lang, reports):
    assert reports[lang].header_errors == []
    catalog = catalogs.load_po(lang)
    assert catalog.plural_forms.replace(" ", "") == catalogs.PLURAL_FORMS[lang].replace(" ", "")


def test_our_plural_rules_are_the_gnu_ones():
    # What we ship, not what Babel's own table says: Turkish has two forms (GNU/Translation Project),
    # Arabic's six categories are numbered as in GNU gettext.
    assert catalogs.PLURAL_FORMS["tr"].startswith("nplurals=2")
    arabic = gettext.c2py(catalogs.PLURAL_FORMS["ar"].split("plural=")[1].rstrip(";"))
    assert [arabic(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 111)] == [0, 1, 2, 3, 3, 4, 4, 5, 5, 4]


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_no_fuzzy_entries(lang, reports):
    assert reports[lang].fuzzy == []


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_placeholders_identical_in_msgid_and_msgstr(lang, reports):
    assert reports[lang].placeholder_errors == []


@trailing
@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_catalogue_is_completely_translated(lang, reports):
    report = reports[lang]
    assert report.untranslated == [], f"{lang}: {len(report.untranslated)} untranslated, e.g. {report.untranslated[:3]}"
    assert report.complete and report.percent() == 100.0


@trailing
def test_pot_is_up_to_date_with_the_sources():
    assert catalogs.new_msgids() == set(), "run: python -m elternlotse.i18n.catalogs extract && ... update"


@trailing
def test_every_po_has_exactly_the_msgids_of_the_pot():
    with catalogs.pot_path().open("rb") as handle:
        pot = catalogs.msgids(read_po(handle))
    for lang in UI_LANGUAGES:
        assert catalogs.msgids(catalogs.load_po(lang)) == pot, lang


def test_the_placeholder_check_finds_a_broken_translation():
    catalog = Catalog(locale="de")
    catalogs.set_plural_forms(catalog, "de")
    catalog.add("Erase {name}?", "{Name} löschen?")
    catalog.add("{count} family", "eine Familie")
    catalog.add(("{count} family", "{count} families"), ("eine Familie", "Familien"))
    catalog.add("Open {path", "Öffne {path}")
    catalog.add("Fine {x}", "Gut {x}", flags=["fuzzy"])
    report = catalogs.check_catalog(catalog, "de")
    text = " ".join(report.placeholder_errors)
    assert "Erase {name}?" in text and "'{count} family'" in text and "msgstr[1]" in text and "Open {path" in text
    # German's singular stands for 1 only, so it may spell the number out ("eine Familie")
    assert "msgstr[0]" not in text
    assert report.fuzzy == ["Fine {x}"] and not report.complete


def test_arabic_forms_for_exactly_one_number_may_drop_the_count():
    catalog = Catalog(locale="ar")
    catalogs.set_plural_forms(catalog, "ar")
    catalog.add(("{count} family", "{count} families"),
                ("لا عائلات", "عائلة واحدة", "عائلتان", "{count} عائلات", "{count} عائلة", "{count} عائلة"))
    assert catalogs.check_catalog(catalog, "ar").placeholder_errors == []
    catalog.add(("{count} child", "{count} children"), ("لا أطفال", "طفل", "طفلان", "أطفال", "{count} طفلا", "{count} طفل"))
    assert [e for e in catalogs.check_catalog(catalog, "ar").placeholder_errors if "msgstr[3]" in e]


def test_extraction_finds_all_three_keywords(tmp_path: Path):
    root = tmp_path / "project"
    (root / "src" / "pkg").mkdir(parents=True)
    shutil.copy(catalogs.project_root() / "babel.cfg", root / "babel.cfg")
    (root / "src" / "pkg" / "mod.py").write_text(
        "from elternlotse.i18n import _, N_, ngettext\n"
        "TITLE = N_('Families')\n"
        "def f(n):\n"
        "    # TRANSLATORS: a button\n"
        "    return _('Save'), ngettext('{count} family', '{count} families', n), gettext('not ours')\n"
        "def g():\n"
        "    return pgettext('column', 'Record'), _('Record')\n",
        encoding="utf-8",
    )
    (root / "translations").mkdir()
    path, count = catalogs.extract(root)
    with path.open("rb") as handle:
        pot = read_po(handle)
    ids = {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in pot if m.id}
    assert ids == {(None, "Families"), (None, "Save"), (None, ("{count} family", "{count} families")),
                   ("column", "Record"), (None, "Record")}
    assert pot["Save"].auto_comments == ["a button"]
    assert catalogs.new_msgids(root) == set()
    (root / "src" / "pkg" / "more.py").write_text("from elternlotse.i18n import _\n_('Delete')\n", encoding="utf-8")
    assert catalogs.new_msgids(root) == {(None, "Delete")}


def test_extraction_reads_the_syntax_tree_so_every_python_gives_the_same_template(tmp_path: Path):
    # Babel's token-based method sees a _() inside an f-string on 3.12+ but not on 3.11 (one
    # STRING token there); babel.cfg uses our tree-based method, which sees the same on both.
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    shutil.copy(catalogs.project_root() / "babel.cfg", root / "babel.cfg")
    (root / "src" / "mod.py").write_text(
        "from elternlotse.i18n import _, ngettext\n"
        "html = f\"<h2>{_('Call list')}</h2>\"\n"
        "n = ngettext('{count} file', '{count} files', len(x)).format(count=len(x))\n"
        "skipped = _(LABELS[key])\n"
        "# TRANSLATORS: shown on a button\n"
        "# (keep it short)\n"
        "label = _('Unlock'\n"
        "          ' now')\n",
        encoding="utf-8")
    pot = catalogs.extract_catalog(root)
    assert catalogs.msgids(pot) == {(None, "Call list"), (None, ("{count} file", "{count} files")),
                                    (None, "Unlock now")}
    assert pot["Unlock now"].auto_comments == ["shown on a button", "(keep it short)"]


def test_update_creates_catalogues_with_gnu_headers_and_fills_english(tmp_path: Path):
    directory = tmp_path / "translations"
    directory.mkdir()
    template = Catalog(project="Elternlotse")
    template.add("Save", locations=[("src/x.py", None)])
    template.add(("{count} family", "{count} families"), locations=[("src/x.py", None)])
    with catalogs.pot_path(directory).open("wb") as handle:
        write_po(handle, template)
    missing = catalogs.update(["en", "tr", "ar"], directory)
    assert missing == {"en": 0, "tr": 2, "ar": 2}
    assert catalogs.load_po("tr", directory).num_plurals == 2
    assert catalogs.load_po("ar", directory).num_plurals == 6
    english = catalogs.load_po("en", directory)
    assert english["Save"].string == "Save"
    assert tuple(english["{count} family"].string) == ("{count} family", "{count} families")


def test_compiled_catalogue_is_what_install_reads(tmp_path: Path):
    directory = tmp_path / "translations"
    target = directory / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalog = Catalog(locale="de", domain=i18n.DOMAIN)
    catalogs.set_plural_forms(catalog, "de")
    catalog.add("Save", "Speichern")
    catalog.add(("{count} family", "{count} families"), ("{count} Familie", "{count} Familien"))
    catalog.add("Delete", "Löschen", flags=["fuzzy"])
    with (target / "elternlotse.po").open("wb") as handle:
        write_po(handle, catalog)
    assert compile_all(directory) == [target / "elternlotse.mo"]
    try:
        assert i18n.install("de", directory) == "de"
        assert i18n._("Save") == "Speichern"
        assert i18n.ngettext("{count} family", "{count} families", 3).format(count=3) == "3 Familien"
        assert i18n._("Delete") == "Delete"  # fuzzy entries are not compiled
    finally:
        i18n.install("en")


def test_each_shipped_catalogue_compiles_and_keeps_its_plural_rule():
    compile_all()
    for lang in UI_LANGUAGES:
        mo = catalogs.po_path(lang).with_suffix(".mo")
        assert mo.is_file(), lang
        with mo.open("rb") as handle:
            translations = gettext.GNUTranslations(handle)
        assert translations.info()["plural-forms"].replace(" ", "") == catalogs.PLURAL_FORMS[lang].replace(" ", "")


def test_write_mo_of_the_real_catalogue_is_readable():
    buffer = io.BytesIO()
    write_mo(buffer, catalogs.load_po("ar"), use_fuzzy=False)
    buffer.seek(0)
    assert gettext.GNUTranslations(buffer).ngettext("x", "y", 5) in ("x", "y")


def test_printf_placeholders_of_argparse_texts_are_checked_too():
    catalog = Catalog(locale="de")
    catalogs.set_plural_forms(catalog, "de")
    catalog.add("%(prog)s: error: %(message)s\n", "%(prog)s: Fehler: %(message)s\n", flags=["python-format"])
    catalog.add("unrecognized arguments: %s", "unbekannte Argumente", flags=["python-format"])
    catalog.add(("expected %s argument", "expected %s arguments"), ("ein Argument erwartet", "%s Argumente erwartet"),
                flags=["python-format"])
    errors = catalogs.check_catalog(catalog, "de").placeholder_errors
    assert len(errors) == 2 and "unrecognized" in errors[0] and "msgstr[0]" in errors[1]


def test_prompts_keep_their_trailing_space_and_newlines():
    catalog = Catalog(locale="tr")
    catalogs.set_plural_forms(catalog, "tr")
    catalog.add("Passphrase: ", "Parola:")
    catalog.add("%(prog)s: error: %(message)s\n", "%(prog)s: hata: %(message)s", flags=["python-format"])
    errors = catalogs.check_catalog(catalog, "tr").placeholder_errors
    assert any("trailing space" in e for e in errors) and any("trailing newline" in e for e in errors)
