"""Consent texts as versioned data: ``resources/consent-texts/<version>/<lang>.json``.

Each file holds, for one language of one text version, the title, an intro,
one sentence per purpose, one phrase per contact channel and the withdrawal
sentence.  A consent entry records the version and the language of the text
the parent was shown (``text_version``, ``text_language``), so the exact words
can be shown again later.

``ConsentTextLibrary.for_parent(lang)`` gives what the quick capture shows:
German and the parent's language side by side; where no text exists in that
language yet it says so and gives German and English.  Qt-free.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elternlotse.domain.consent import Channel, Purpose
from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _
from elternlotse.i18n.languages import display_name, language

FORMAT = "elternlotse.consent-texts/1"
BASE_LANGUAGE = "de"
FALLBACK_LANGUAGE = "en"
_VERSION = re.compile(r"^\d{4}-\d+$")

FALLBACK_NOTICE = N_("No consent text in {language} yet: showing German and English.")
UNREVIEWED_NOTICE = N_("The {language} text has not been reviewed yet; the German text is binding.")


def text_direction(tag: str) -> str:
    """"rtl" or "ltr" for a language tag, from CLDR via the language table."""
    try:
        return language(tag).direction
    except LookupError:
        return "ltr"


def language_name(tag: str, in_language: str | None = None) -> str:
    """The name of a language, in its own script by default ("Türkçe", "العربية")."""
    try:
        return display_name(tag, in_language) if in_language else language(tag).own_name
    except LookupError:
        return tag


@dataclass(frozen=True)
class ConsentText:
    """The words of one text version in one language."""

    version: str
    language: str
    reviewed: bool
    title: str
    intro: str
    purposes: dict[str, str]
    channels: dict[str, str]
    withdrawal: str
    valid_from: str = ""

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    def for_purpose(self, purpose: Purpose | str, channel: Channel | str | None = None) -> str:
        """The sentence for a purpose, or the phrase for a contact channel."""
        if channel is not None:
            return self.channels[Channel(channel).value]
        return self.purposes[Purpose(purpose).value]


@dataclass(frozen=True)
class ConsentTextChoice:
    """The texts shown to a parent: German first, then the parent's language (or English)."""

    requested: str
    texts: tuple[ConsentText, ...]
    fallback: bool

    @property
    def version(self) -> str:
        return self.texts[0].version

    @property
    def text_language(self) -> str:
        """The language to record with the consent: the text next to German, else German."""
        return self.texts[-1].language

    def notices(self) -> list[str]:
        """Sentences for the navigator, in the UI language."""
        out = []
        if self.fallback:
            out.append(_(FALLBACK_NOTICE).format(language=language_name(self.requested, _ui_language())))
        for text in self.texts:
            if not text.reviewed:
                out.append(_(UNREVIEWED_NOTICE).format(language=language_name(text.language, _ui_language())))
        return out


def _ui_language() -> str:
    from elternlotse.i18n import active_language

    return active_language() or "en"


def _consent_texts_root() -> Path:
    from elternlotse.resources import project_path

    return project_path("resources", "consent-texts")


class ConsentTextLibrary:
    """Consent texts per version and language: the bundled files, plus versions installed in the store.

    An office installs a new wording (``elternlotse consent install-texts``) and its sync
    packages carry it to the navigators, whose quick capture then shows and records it.
    """

    def __init__(self, root: Path | None = None, store=None) -> None:
        self.root = Path(root) if root else _consent_texts_root()
        self.store = store
        self._cache: dict[tuple[str, str], ConsentText] = {}

    def _stored(self, version: str | None = None) -> list[tuple[str, str, str]]:
        if self.store is None:
            return []
        sql = "SELECT version, language, document FROM consent_texts"
        rows = self.store.conn.execute(sql + (" WHERE version = ?" if version else ""), (version,) if version else ())
        return rows.fetchall()

    def versions(self) -> list[str]:
        found = {version for version, _lang, _doc in self._stored()}
        if self.root.is_dir():
            found |= {p.name for p in self.root.iterdir() if p.is_dir() and _VERSION.match(p.name)}
        return sorted(found, key=lambda v: tuple(int(x) for x in v.split("-")))

    def current_version(self) -> str:
        """The newest version that has German and English (the texts every parent can be shown)."""
        versions = [v for v in self.versions() if {BASE_LANGUAGE, FALLBACK_LANGUAGE} <= set(self.languages(v))]
        if not versions:
            raise NotFoundError(N_("No consent texts found in {path}."), path=str(self.root))
        return versions[-1]

    def languages(self, version: str | None = None) -> list[str]:
        version = version or self.current_version()
        found = {p.stem for p in (self.root / version).glob("*.json")}
        found |= {language for _v, language, _doc in self._stored(version)}
        return sorted(found)

    def load(self, language: str, version: str | None = None) -> ConsentText:
        version = version or self.current_version()
        key = (version, language)
        if key not in self._cache:
            stored = [doc for _v, lang, doc in self._stored(version) if lang == language]
            if stored:
                self._cache[key] = parse_consent_text(json.loads(stored[0]), f"{version}/{language}")
                return self._cache[key]
            path = self.root / version / f"{language}.json"
            if not path.is_file():
                raise NotFoundError(N_("No consent text version {version} in the language {language}."),
                                    version=version, language=language)
            self._cache[key] = parse_consent_text(json.loads(path.read_text(encoding="utf-8")), str(path))
        return self._cache[key]

    @staticmethod
    def check(document: Any, where: str = "") -> ConsentText:
        """Refuse a consent text document that could not be shown or recorded (one sentence)."""
        text = parse_consent_text(document, where or "document")
        if not _VERSION.match(text.version):
            raise ValidationError(N_("{field}: missing or empty in the consent text {file}."),
                                  field="version", file=where or "document")
        return text

    def install(self, document: Any, where: str = "", origin: str = "") -> ConsentText:
        """Check a consent text document and keep it in the store (one transaction)."""
        text = self.check(document, where)
        if self.store is None:
            raise NotFoundError(N_("No store in {path}: create one with 'elternlotse init' first."), path="-")
        with self.store.write(self.store.info.name, "consent_texts.install", f"{text.version}/{text.language}") as writer:
            writer.conn.execute(
                "INSERT OR REPLACE INTO consent_texts(version, language, document, installed, origin) VALUES (?, ?, ?, ?, ?)",
                (text.version, text.language, json.dumps(document, ensure_ascii=False, sort_keys=True), writer.stamp, origin))
        self._cache.pop((text.version, text.language), None)
        return text

    def installed_documents(self) -> list[tuple[str, str, Any]]:
        """``(version, language, document)`` of every version installed in the store (for sync)."""
        return [(version, language, json.loads(doc)) for version, language, doc in self._stored()]

    def resolve_language(self, language: str, version: str | None = None) -> str | None:
        """The file language for a tag: exact, else its base language ("fa-AF" -> "fa"), else None."""
        available = set(self.languages(version))
        if language in available:
            return language
        base = language.split("-")[0]
        return base if base in available else None

    def for_parent(self, language: str, version: str | None = None) -> ConsentTextChoice:
        version = version or self.current_version()
        german = self.load(BASE_LANGUAGE, version)
        found = self.resolve_language(language or BASE_LANGUAGE, version)
        if found == BASE_LANGUAGE:
            return ConsentTextChoice(language or BASE_LANGUAGE, (german,), fallback=False)
        if found is None:
            return ConsentTextChoice(language, (german, self.load(FALLBACK_LANGUAGE, version)), fallback=True)
        return ConsentTextChoice(language, (german, self.load(found, version)), fallback=False)


def parse_consent_text(data: Any, where: str) -> ConsentText:
    """Check a consent text file: every purpose and channel present, no empty sentence."""
    def refuse(field: str) -> ValidationError:
        return ValidationError(N_("{field}: missing or empty in the consent text {file}."), field=field, file=where)

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise refuse("format")
    for field in ("version", "language", "title", "intro", "withdrawal"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise refuse(field)
    purposes, channels = data.get("purposes"), data.get("channels")
    for name, table, keys in (("purposes", purposes, [p.value for p in Purpose]),
                              ("channels", channels, [c.value for c in Channel])):
        if not isinstance(table, dict):
            raise refuse(name)
        for key in keys:
            if not isinstance(table.get(key), str) or not table[key].strip():
                raise refuse(f"{name}.{key}")
    if not isinstance(data.get("reviewed"), bool):
        raise refuse("reviewed")
    return ConsentText(
        version=data["version"], language=data["language"], reviewed=data["reviewed"], title=data["title"],
        intro=data["intro"], purposes={k: purposes[k] for k in (p.value for p in Purpose)},
        channels={k: channels[k] for k in (c.value for c in Channel)}, withdrawal=data["withdrawal"],
        valid_from=str(data.get("valid_from", "")),
    )


def self_test_check(services, workdir) -> str:
    """``elternlotse self-test``: every consent text of the current version loads (also in a frozen build)."""
    library = getattr(services, "consent_texts", None) or ConsentTextLibrary()
    version = library.current_version()
    languages = library.languages(version)
    for tag in languages:
        library.load(tag, version)
    if library.for_parent("ar").text_language != "ar" or not library.for_parent("ti").fallback:
        raise RuntimeError("consent texts: the language choice is wrong")
    return _("consent texts: ok (version {version}, {count} languages)").format(version=version, count=len(languages))
