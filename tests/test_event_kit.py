"""The event kit: invitation letters (German beside each family's language, a reply slip) and sign-in sheets."""

from __future__ import annotations

import io
import json
import shutil
import stat
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from elternlotse.handouts.kit import format_day, kit_string
from elternlotse.handouts.sign_in import sign_in_capacity, sign_in_layout
from tests.conftest import family_document

CAFE = {
    "type": "family_cafe", "title": "Potenzialanalyse – was passiert da?", "starts": "2026-10-08T16:30",
    "ends": "2026-10-08T18:30", "place": "Gesamtschule Haspe, Mensa", "topics": ["pa"],
    "speakers": [{"name": "Frau Berg", "role": "career_counselling"}, {"name": "Herr Aksoy", "role": "stubo"}],
    "languages": ["de", "tr", "ar"], "interpreter": True,
}
CONTACT = "0176 1234567"


def _family(services, name, languages, grade=8, invitations=True):
    doc = family_document(name=name, children=[{"id": "c1", "first_name": "Kind", "grade": grade,
                                                 "school_year": "2026/27"}])
    doc["guardians"][0]["languages"] = languages
    doc["consents"] = [c for c in doc["consents"] if invitations or c["purpose"] != "invitations"]
    return services.families.add(doc)


def _pages(data: bytes) -> list[str]:
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def event(services):
    services.handouts.set_contact(CONTACT)
    _family(services, "Ayşe Yılmaz", ["tr", "de"])
    _family(services, "Rania Haddad", ["ar"])
    _family(services, "Olena Kovalenko", ["uk"], invitations=False)  # no invitation consent
    return services.events.add(CAFE)


def test_invitation_has_german_beside_each_invited_familys_language_and_the_reply_slip(services, event):
    assert services.event_kit.invitation_languages(event.id) == ["ar", "tr"]  # uk: no consent, not invited
    pages = _pages(services.event_kit.invitation(event.id))
    assert len(pages) == 2
    arabic, turkish = pages
    for page, lang in ((arabic, "ar"), (turkish, "tr")):
        for key in ("title", "come", "child", "class"):
            assert unicodedata.normalize("NFKC", kit_string(key, lang)).split()[0].rstrip(":") in page
            assert kit_string(key, "de").split()[0].rstrip(":") in page
        assert "Gesamtschule Haspe, Mensa" in page
    assert format_day(CAFE["starts"], "de") in turkish and format_day(CAFE["starts"], "tr") in turkish
    assert "16:30 – 18:30" in turkish and "Frau Berg" in turkish
    assert "Potenzialanalyse" in turkish  # the stage's title from the catalogue, German column


def test_rtl_page_keeps_date_time_and_phone_in_logical_order(services, event):
    pages = _pages(services.event_kit.invitation(event.id, ["ar"]))
    assert len(pages) == 1
    text = pages[0]
    assert text.count(CONTACT) == 2              # the navigator's phone, unbroken and in order, in both columns
    assert "16:30 – 18:30" in text               # German column
    assert "16:30-18:30" in text                 # Arabic column: one left-to-right group, start first
    assert format_day(CAFE["starts"], "ar").split()[-1] == "2026" and "2026" in text


def _visual_rows(data: bytes, page: int, alphabet: str) -> list[str]:
    """The characters of ``alphabet`` on each line of a page, left to right as drawn (pdfplumber)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rows: dict[int, list] = {}
        for ch in pdf.pages[page].chars:
            if ch["text"] in alphabet:
                rows.setdefault(round(ch["matrix"][5]), []).append(ch)  # by baseline
    return ["".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"])) for _, cs in sorted(rows.items())]


def test_persian_page_draws_persian_digits_left_to_right(services, event):
    rows = _visual_rows(services.event_kit.invitation(event.id, ["fa"]), 0, "۰۱۲۳۴۵۶۷۸۹-")
    assert "۱۶۳۰-۱۸۳۰" in rows and any("۲۰۲۶" in row for row in rows)


def test_invitation_without_invited_families_uses_the_events_languages(services):
    event = services.events.add({**CAFE, "topics": ["internship"]})  # no child at this stage
    assert services.events.invitations(event.id) == []
    assert services.event_kit.invitation_languages(event.id) == ["tr", "ar"]


def test_sign_in_lists_exactly_the_invited_families_and_the_blank_rows(services, event):
    data = services.event_kit.sign_in(event.id, blank=4)
    text = "\n".join(_pages(data))
    assert "Ayşe Yılmaz" in text and "Olena Kovalenko" not in text
    assert "Haddad" in text
    table = text.split(kit_string("headcount", "de"))[0]
    numbers = [line.split()[0] for line in table.splitlines() if line.split() and line.split()[0].isdigit()]
    assert numbers == [str(n) for n in range(1, 2 + 4 + 1)]
    assert kit_string("headcount", "de") in text and "Gesamtschule Haspe, Mensa" in text
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape


def test_sign_in_uses_as_few_pages_as_possible():
    full, last = sign_in_capacity()
    assert full > last > 10
    for rows in range(0, 3 * full + 2):
        plan = sign_in_layout(rows)
        fewest = 1 + max(0, -(-(rows - last) // full))  # the last page also holds the headcount box
        assert sum(plan) == rows and len(plan) == fewest, rows
        assert all(n <= full for n in plan) and plan[-1] <= last
        assert rows == 0 or all(n > 0 for n in plan)


def test_long_sign_in_sheet_pages(services):
    event = services.events.add(CAFE)
    full, last = sign_in_capacity()
    data = services.event_kit.sign_in(event.id, blank=full + 1)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_a_withdrawn_invitation_consent_removes_the_family_from_the_sheet(services, event):
    family = services.events.invitations(event.id)[0]
    guardian = services.families.get(family.family_id).guardians[0]
    services.consent.withdraw(guardian.id, "invitations")
    text = "\n".join(_pages(services.event_kit.sign_in(event.id, blank=0)))
    assert family.name not in text


def test_cli_invitation_and_sign_in(cli, tmp_path):
    assert cli("init", "--name", "Ayla").code == 0
    fam = tmp_path / "family.json"
    fam.write_text(json.dumps(family_document()), encoding="utf-8")
    assert cli("family", "add", str(fam)).code == 0
    event_id = cli("event", "add", "-", stdin=json.dumps(CAFE)).out.strip()

    letter, sheet = tmp_path / "letter.pdf", tmp_path / "sheet.pdf"
    assert cli("event", "invitation", event_id, "--language", "tr", "--language", "ar", "-o", str(letter)).code == 0
    assert len(PdfReader(letter).pages) == 2 and stat.S_IMODE(letter.stat().st_mode) == 0o600
    assert cli("event", "sign-in", event_id, "--blank", "3", "-o", str(sheet)).code == 0
    assert "Ayşe Yılmaz" in _pages(sheet.read_bytes())[0] and stat.S_IMODE(sheet.stat().st_mode) == 0o600

    unknown = cli("event", "invitation", "no-such-event", "-o", str(tmp_path / "x.pdf"))
    assert unknown.code == 1 and len(unknown.err.strip().splitlines()) == 1 and "no-such-event" in unknown.err
    assert not (tmp_path / "x.pdf").exists()
    assert cli("event", "sign-in", "no-such-event", "-o", str(tmp_path / "y.pdf")).code == 1
    assert cli("event", "sign-in", event_id, "--blank", "many", "-o", str(sheet)).code == 2
    assert cli("event", "sign-in", event_id, "--blank", "-1", "-o", str(sheet)).code == 2
    bad = cli("event", "invitation", event_id, "--language", "xx", "-o", str(tmp_path / "z.pdf"))
    assert bad.code == 1 and not (tmp_path / "z.pdf").exists()
    folder = cli("event", "sign-in", event_id, "-o", str(tmp_path))
    assert folder.code == 1 and len(folder.err.strip().splitlines()) == 1
    nested = tmp_path / "kit" / "sheet.pdf"
    assert cli("event", "sign-in", event_id, "-o", str(nested)).code == 0 and nested.exists()


def test_german_only_when_nobody_speaks_another_language(services):
    _family(services, "Anna Schmidt", ["de"])
    event = services.events.add({**CAFE, "languages": ["de"]})
    assert services.event_kit.invitation_languages(event.id) == ["de"]
    pages = _pages(services.event_kit.invitation(event.id))
    assert len(pages) == 1 and "Einladung" in pages[0] and "Davet" not in pages[0]
    assert "Noch nicht von Muttersprachlern" not in pages[0]  # German is the reviewed source


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_poppler_reads_the_arabic_page_in_logical_order(services, event, tmp_path):
    path = tmp_path / "ar.pdf"
    services.event_kit.write_invitation(path, event.id, ["ar"])
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                                        text=True, check=True).stdout)
    text = "".join(ch for ch in text if ch not in "\u202a\u202b\u202c\u200e\u200f")
    assert CONTACT in text and "16:30-18:30" in text and "16:30 – 18:30" in text
    assert unicodedata.normalize("NFKC", kit_string("not_come", "ar")).rstrip(".") in text


def test_kit_sentences_match_german_and_every_letter_has_a_glyph():
    import re
    import string

    from elternlotse.domain.events import SPEAKER_ROLES
    from elternlotse.handouts.content import LANGUAGES
    from elternlotse.handouts.fonts import missing_glyphs
    from elternlotse.handouts.kit import _table, kit_languages
    from elternlotse.handouts.content import handouts_root
    from elternlotse.handouts.textlayout import script_family

    table = _table(handouts_root() / "event_kit.json")
    german = table["de"]
    assert {f"role_{role}" for role in SPEAKER_ROLES} <= set(german)
    fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)
    for lang in kit_languages():
        assert lang in LANGUAGES
        for key, text in table[lang].items():
            assert key in german, (lang, key)
            assert fields(text) == fields(german[key]), (lang, key)
            family = script_family([re.sub(r"\{\w+\}", "", text)])
            assert missing_glyphs(text.replace("{value}", ""), family) == [], (lang, key)


def test_an_invitation_in_every_handout_language(services, event):
    from elternlotse.handouts.content import LANGUAGES

    others = [lang for lang in LANGUAGES if lang != "de"]
    pages = _pages(services.event_kit.invitation(event.id, others))
    assert len(pages) == len(others)
    assert all("Einladung" in page and "Gesamtschule Haspe, Mensa" in page for page in pages)


def test_a_language_without_kit_sentences_gets_german_sentences_and_its_own_topic_text(services, event):
    from elternlotse.handouts.kit import kit_has

    assert not kit_has("ps")
    text = _pages(services.event_kit.invitation(event.id, ["ps"]))[0]
    catalog = services.catalogs.get()
    pashto = unicodedata.normalize("NFKC", catalog.stage("pa").parents_text("ps"))
    assert pashto != catalog.stage("pa").parents_text("de")
    assert text.count("Liebe Eltern") == 2                 # German sentences, left to right, in both columns
    assert pashto.split()[0] in text.replace("\u200c", "")   # the catalogue's Pashto parents' text
