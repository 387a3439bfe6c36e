"""Consent texts as versioned data: every shipped file complete, fallback says so."""

from __future__ import annotations

import json

import pytest

from elternlotse.domain.consent import Channel, Purpose
from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.services.consent_texts import ConsentTextLibrary, parse_consent_text

REQUIRED = {"de", "en", "tr", "ar", "fa", "ru", "uk"}


@pytest.fixture(scope="module")
def library():
    return ConsentTextLibrary()


def test_shipped_version_has_the_required_languages_and_every_sentence(library):
    version = library.current_version()
    assert REQUIRED <= set(library.languages(version))
    for language in library.languages(version):
        text = library.load(language, version)
        assert text.version == version and text.language == language
        for purpose in Purpose:
            assert text.for_purpose(purpose).strip()
        for channel in Channel:
            assert text.for_purpose(Purpose.CONTACT, channel).strip()
        assert text.withdrawal.strip() and text.intro.strip()
        # Only German and English are reviewed; drafts are marked as such.
        assert text.reviewed == (language in {"de", "en"})


def test_texts_differ_per_language(library):
    sentences = {lang: library.load(lang).for_purpose("store") for lang in REQUIRED}
    assert len(set(sentences.values())) == len(REQUIRED)


def test_parent_language_is_shown_next_to_german(library):
    choice = library.for_parent("ar")
    assert [t.language for t in choice.texts] == ["de", "ar"]
    assert not choice.fallback
    assert choice.texts[1].direction == "rtl" and choice.texts[0].direction == "ltr"
    assert choice.text_language == "ar"
    assert any("not been reviewed" in n for n in choice.notices())


def test_german_parent_sees_german_only(library):
    choice = library.for_parent("de")
    assert [t.language for t in choice.texts] == ["de"]
    assert choice.notices() == []


def test_regional_tag_uses_the_base_language(library):
    choice = library.for_parent("fa-AF")
    assert [t.language for t in choice.texts] == ["de", "fa"]
    assert choice.text_language == "fa"


def test_missing_language_falls_back_to_german_and_english_and_says_so(library):
    choice = library.for_parent("ti")
    assert choice.fallback
    assert [t.language for t in choice.texts] == ["de", "en"]
    assert choice.text_language == "en"
    notice = choice.notices()[0]
    assert "no consent text" in notice.lower() and "German and English" in notice
    assert "Tigrinya" in notice


def test_unknown_version_is_refused(library):
    with pytest.raises(NotFoundError):
        library.load("de", "1999-1")


def test_incomplete_file_is_refused(library, tmp_path):
    data = json.loads((library.root / library.current_version() / "de.json").read_text(encoding="utf-8"))
    del data["channels"]["post"]
    with pytest.raises(ValidationError) as error:
        parse_consent_text(data, "broken.json")
    assert "channels.post" in str(error.value)


def test_newest_complete_version_wins(tmp_path):
    for version in ("2026-1", "2026-10", "2026-2", "2026-11"):
        (tmp_path / version).mkdir()
        for language in ("de", "en") if version != "2026-11" else ("de",):
            (tmp_path / version / f"{language}.json").write_text("{}", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    assert ConsentTextLibrary(tmp_path).versions() == ["2026-1", "2026-2", "2026-10", "2026-11"]
    # 2026-11 has no English text, so a parent without a translation could not be shown one: not current
    assert ConsentTextLibrary(tmp_path).current_version() == "2026-10"


def test_same_words_as_the_paper_consent_form(library):
    """The screen and the printed consent form (handout) say the same, language by language."""
    forms = library.root.parent / "handouts" / "consent-form"
    checked = 0
    for language in library.languages():
        form = forms / f"{language}.json"
        if not form.exists():
            continue
        blocks = json.loads(form.read_text(encoding="utf-8"))["blocks"]
        lines = [b.get("text", "") for b in blocks] + [item for b in blocks for item in b.get("items", [])]
        text = library.load(language)
        for sentence in [text.intro, text.withdrawal, *text.purposes.values()]:
            assert any(sentence in line for line in lines), (language, sentence)
        for phrase in text.channels.values():
            assert any(line.startswith(phrase) for line in lines), (language, phrase)
        checked += 1
    assert checked >= len(REQUIRED)


def test_frozen_build_reads_consent_texts_below_meipass(monkeypatch, tmp_path, library):
    """In a PyInstaller bundle resources/ sits below sys._MEIPASS (build.spec puts it there)."""
    import shutil
    import sys

    target = tmp_path / "resources" / "consent-texts"
    shutil.copytree(library.root, target)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    frozen = ConsentTextLibrary()
    assert frozen.root == target
    assert frozen.for_parent("uk").texts[1].language == "uk"
