"""Language table (script, direction, own names from CLDR), default UI language, Babel formats."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale

from elternlotse import i18n
from elternlotse.i18n import formatting
from elternlotse.i18n.compile import compile_all
from elternlotse.i18n.languages import (
    PARENT_LANGUAGES, UI_LANGUAGES, default_ui_language, language, normalise_tag, resolve_ui_language,
    supported_ui_language,
)


@pytest.mark.parametrize("tag", sorted(set(UI_LANGUAGES) | set(PARENT_LANGUAGES)))
def test_every_language_resolves_in_babel(tag):
    row = language(tag)
    loc = Locale.parse(row.babel_tag)
    assert loc.text_direction in ("ltr", "rtl")
    assert row.own_name and row.own_name != tag
    assert len(row.script) == 4


@pytest.mark.parametrize(
    ("tag", "script", "direction"),
    [("de", "Latn", "ltr"), ("tr", "Latn", "ltr"), ("ar", "Arab", "rtl"), ("fa", "Arab", "rtl"),
     ("fa-AF", "Arab", "rtl"), ("ps", "Arab", "rtl"), ("ckb", "Arab", "rtl"), ("ur", "Arab", "rtl"),
     ("kmr", "Latn", "ltr"), ("ti", "Ethi", "ltr"), ("ru", "Cyrl", "ltr"), ("uk", "Cyrl", "ltr"),
     ("bg", "Cyrl", "ltr"), ("sr", "Cyrl", "ltr"), ("so", "Latn", "ltr")],
)
def test_script_and_direction_match_domain_table(tag, script, direction):
    row = language(tag)
    assert (row.script, row.direction) == (script, direction)
    assert row.rtl == (direction == "rtl")


def test_own_names_are_written_in_their_own_script():
    assert language("tr").own_name == "Türkçe"
    assert language("ar").own_name == "العربية"
    assert language("uk").own_name == "Українська"
    assert language("ti").own_name == "ትግርኛ"
    assert language("fa-AF").own_name == "دری"
    assert language("kmr").own_name.startswith("Kurdî")


def test_names_in_the_ui_language():
    assert formatting.language_name("tr", "de") == "Türkisch"
    assert formatting.language_name("de", "tr") == "Almanca"
    assert formatting.language_name("ar", "ar") == "العربية"


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [(["tr-TR", "de-DE"], "tr"), (["fr-FR", "uk-UA"], "uk"), (["fr-FR", "es"], "de"), ([], "de"),
     (["de_AT.UTF-8"], "de"), (["fa-AF"], "fa"), (["en-GB"], "en")],
)
def test_default_ui_language_is_the_system_language_if_supported_else_german(preferred, expected):
    assert default_ui_language(preferred) == expected


def test_stored_choice_wins_over_the_system_language():
    assert resolve_ui_language("ar", ["tr-TR"]) == "ar"
    assert resolve_ui_language("xx", ["tr-TR"]) == "tr"
    assert resolve_ui_language(None, ["it"]) == "de"
    assert supported_ui_language("ps") is None  # a parent language, not a UI language


def test_the_c_locale_counts_as_english(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert default_ui_language() == "en"


def test_default_ui_language_reads_the_environment(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANGUAGE", "ru_RU:en")
    assert default_ui_language() == "ru"


def test_normalise_tag():
    assert normalise_tag("fa_af") == "fa-AF"
    assert normalise_tag("sr_latn_RS") == "sr-Latn-RS"
    assert normalise_tag("de_DE.UTF-8@euro") == "de-DE"


def test_formats_follow_the_active_ui_language():
    compile_all()
    moment = dt.datetime(2026, 3, 5, 14, 30)
    try:
        i18n.install("de")
        assert formatting.format_date(moment) == "05.03.2026"
        assert formatting.format_number(1234.5) == "1.234,5"
        assert formatting.format_datetime(moment) == "05.03.2026, 14:30"
        i18n.install("en")
        assert formatting.format_number(1234.5) == "1,234.5"
        # English as read in Germany: day before month, a 24-hour clock (not en_US's 3/5/2026, 2:30 PM)
        assert formatting.format_datetime(moment) == "05/03/2026, 14:30"
        # One numeric date per language ("medium" is no longer "5 мар. 2026 г." beside a field's 05.03.2026).
        assert formatting.format_date(moment, language="ru") == "05.03.2026"
        assert formatting.format_date(moment, "long", language="ru").replace("\u202f", " ") == "5 марта 2026 г."
        assert formatting.format_time(moment, language="ar").endswith("م")
    finally:
        i18n.install("en")


def test_isolate_wraps_once():
    text = formatting.isolate("Gesamtschule Haspe")
    assert text == "\u2068Gesamtschule Haspe\u2069"
    assert formatting.isolate(text) == text
    assert formatting.isolate_params({"name": "محمد", "count": 3}) == {"name": "\u2068محمد\u2069", "count": 3}


def test_translate_error_isolates_names_for_the_gui():
    from elternlotse.domain.errors import NotFoundError

    error = NotFoundError("No family {name} in {school}.", name="محمد", school="Gesamtschule Haspe")
    assert i18n.translate_error(error) == "No family محمد in Gesamtschule Haspe."
    assert i18n.translate_error(error, isolate=True) == "No family \u2068محمد\u2069 in \u2068Gesamtschule Haspe\u2069."


def test_ui_paragraph_sets_the_direction_of_the_ui_language():
    line = formatting.ui_paragraph("{} · {}".format(formatting.isolate("Ayla"), formatting.isolate("مرشد")), "ar")
    assert line.startswith("\u200f")  # RLM: an Arabic UI reads the line right to left
    assert formatting.ui_paragraph("x", "de").startswith("\u200e")
    assert formatting.ui_value("Gesamtschule Haspe", "fa") == "\u200f\u2068Gesamtschule Haspe\u2069"
    assert formatting.ui_value("", "ar") == ""


def test_phone_numbers_are_isolated_left_to_right():
    assert formatting.ltr("+49 176 1234567") == "\u2066+49 176 1234567\u2069"
    assert formatting.ltr(formatting.ltr("+49")) == "\u2066+49\u2069"
    assert formatting.ltr("") == ""
