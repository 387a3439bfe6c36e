"""Handouts a parent can act on: parents' steps in every language, values left to right in RTL lines,
one-page forms, fonts for every letter, logical-order extraction, honest metadata (issue 14)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date

import pdfplumber
import pypdf
import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics

from elternlotse.catalogs import bundled_catalogs
from elternlotse.domain.family import parse_family_document
from elternlotse.handouts import LANGUAGES, HandoutContext, HandoutLibrary, render_handout
from elternlotse.handouts.fonts import FAMILIES, font_name, fonts_dir, register_fonts, shaped_notdef, split_runs
from elternlotse.handouts.textlayout import direction, wrap

from conftest import family_document

LIBRARY = HandoutLibrary()
CONTACT = "0176 1234567, lotse@koko-hagen.de, Di 10-12 Uhr"
CONTEXT = HandoutContext(organisation="KoKo Hagen", navigator="Ayla Navigator", contact=CONTACT)
PASHTO = "ټډړږښګڼېۍ"
SORANI = "ڕڵۆێە"

#: Every family is stored only with a guardian's consent to store it (FamilyService.add).
STORE_ONLY = [{"person": "g1", "purpose": "store", "granted": True, "at": "2026-11-01T10:00:00Z", "evidence": "signed_form", "text_version": "2026-1", "text_language": "de"}]



def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFKC", " ".join(p.extract_text() or "" for p in reader.pages))


def _flat(text: str) -> str:
    """Whitespace folded; Sorani ە as ه: Naskh draws both with one final glyph, so it copies out as ه."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).replace("ە", "ه")


# ---------------------------------------------------------------- catalogue texts


@pytest.mark.parametrize("catalog_id", ["nrw-kaoa", "generic-bop"])
def test_every_stage_has_title_and_parents_action_in_every_handout_language(catalog_id):
    catalog = next(c for c in bundled_catalogs() if c.id == catalog_id)
    for stage in catalog.stages:
        german = stage.parents_texts["de"]
        for lang in LANGUAGES:
            assert stage.parents_texts.get(lang), f"{catalog_id}/{stage.key}: no parents' action in {lang}"
            assert stage.titles.get(lang), f"{catalog_id}/{stage.key}: no title in {lang}"
            if lang != "de":
                assert stage.parents_texts[lang] != german, f"{catalog_id}/{stage.key}/{lang} is the German text"
        # written for parents ("Gehen Sie ...", "Fragen Sie ..."), not a checklist entry ("Eltern waren ...")
        assert re.search(r"\bSie\b|\bIhr", german), f"{stage.key}: {german}"
        assert not german.startswith("Eltern ")


def test_a_language_the_catalogue_lacks_falls_back_to_german_not_english():
    catalog = next(c for c in bundled_catalogs() if c.id == "nrw-kaoa")
    stage = catalog.stage("bo-info")
    assert stage.parents_text("xx") == stage.parents_texts["de"]
    assert stage.parents_text("fa-IR") == stage.parents_texts["fa"]  # the base language first


# ---------------------------------------------------------------- personalised sheets

@pytest.fixture()
def family(services):
    return services.families.add(family_document())


def test_parents_steps_are_parents_actions_in_every_language(services, family):
    provider = services.handouts.next_steps()
    child = family.children[0]
    catalog = services.catalogs.get()
    checklist_texts = {i.texts.get("de") for s in catalog.stages for i in s.items}
    german = provider(child, "de")
    assert german
    for step in german:
        action = step.split(": ", 1)[1] if step[0].isdigit() or step.startswith(("bis ", "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")) else step
        assert action not in checklist_texts  # never the navigator's checklist entry
        assert not action.startswith("Eltern ")
    for lang in LANGUAGES:
        steps = provider(child, lang)
        assert len(steps) == len(german), lang
        actions = {s.parents_text(lang) for s in catalog.stages}
        for step in steps:
            assert any(step.endswith(a) for a in actions), f"{lang}: {step}"
        if lang != "de":
            assert steps != german


@pytest.mark.parametrize("lang", ["tr", "uk", "so", "sq", "ar", "ps", "ckb", "fa-AF"])
def test_a_bilingual_personalised_sheet_has_the_steps_in_both_columns(services, family, lang):
    provider = services.handouts.next_steps()
    mine, german = provider(family.children[0], lang), provider(family.children[0], "de")
    data = services.handouts.render("dual-training", lang, "de", family.id)
    text = _flat(_text(data))  # two columns: their lines interleave, so compare words
    for step in mine + german:
        action = _flat(step.split(": ", 1)[1] if ": " in step else step)
        words = [w for w in re.findall(r"\w+", action) if len(w) > 3][:6]
        assert words and all(w in text for w in words), (lang, words)


@pytest.mark.parametrize("lang", ["tr", "ru", "so"])
def test_a_single_language_personalised_sheet_has_the_steps(services, family, lang):
    steps = services.handouts.next_steps()(family.children[0], lang)
    text = _flat(_text(services.handouts.render("dual-training", lang, None, family.id)))
    assert _flat(steps[0].split(": ", 1)[1])[:40] in text


# ---------------------------------------------------------------- right-to-left lines

def _visual_lines(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines: dict[int, list[dict]] = {}
        for page in pdf.pages:
            for ch in page.chars:
                lines.setdefault((page.page_number, round(ch["matrix"][5])), []).append(ch)
    return ["".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])) for chars in lines.values()]


@pytest.mark.parametrize("lang", ["ar", "fa", "ps", "ckb"])
def test_contact_values_stay_left_to_right_and_in_order_inside_rtl_lines(services, family, lang):
    services.handouts.set_contact(CONTACT)
    data = services.handouts.render("dual-training", lang, None, family.id)
    lines = _visual_lines(data)
    assert any("0176 1234567" in line for line in lines)
    assert any("lotse@koko-hagen.de" in line for line in lines)
    assert any("Di 10-12 Uhr" in line for line in lines)
    assert not any(".lotse@" in line or "/https" in line for line in lines)
    # the QR address under the title: one piece, read left to right
    assert any("https://www.arbeitsagentur.de/bildung/ausbildung" in line for line in lines)


def test_values_inside_an_rtl_sentence_keep_their_order():
    sentence = "للتواصل: 0176 1234567، lotse@koko-hagen.de، الثلاثاء 10-12. انظروا https://www.arbeitsagentur.de/jobsuche/ للمزيد."
    drawn = " | ".join("".join(r.text for r in line.runs) for line in wrap(sentence, 900, 10, "arabic", True))
    assert "0176\u00a01234567" in drawn and "lotse@koko-hagen.de" in drawn and "https://www.arbeitsagentur.de/jobsuche/" in drawn
    # read from the right: the phone number comes before the e-mail
    assert drawn.index("lotse@") < drawn.index("0176")


def test_embedded_values_broken_over_lines_stay_left_to_right_on_each():
    text = "تماس: \u2066Tel. 0176 1234567, lotse@koko-hagen.de, Di 10-12 Uhr\u2069 است."
    lines = ["".join(r.text for r in line.runs) for line in wrap(text, 150, 11, "arabic", True)]
    assert len(lines) >= 2
    assert "lotse@koko-hagen.de, Di" in " ".join(lines) or "lotse@koko-hagen.de," in lines[1]


def test_persian_sheets_have_no_middle_dot_separator(services):
    family = services.families.add(family_document(guardians=[{"id": "g1", "name": "Reza Ahmadi", "languages": ["fa"]}],
                                                   consents=STORE_ONLY))
    services.handouts.set_contact(CONTACT)
    data = services.handouts.render("dual-training", "fa", "de", family.id)
    assert "·" not in _text(data)


# ---------------------------------------------------------------- layout, fonts, metadata

@pytest.mark.parametrize("lang", [lang for lang in LIBRARY.languages("consent-form") if lang != "de"])
def test_consent_form_beside_german_is_one_page_with_one_box_per_purpose(lang):
    data = render_handout("consent-form", lang, "de", context=CONTEXT)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        boxes = [r for r in page.rects if abs(r["width"] - r["height"]) < 0.5 and 5 < r["width"] < 12]
        signature_rules = [ln for ln in page.lines if 100 < ln["width"] < 300]
    checkboxes = sum(1 for b in LIBRARY.load("consent-form", "de").blocks if b.kind == "checkbox")
    assert len(boxes) == checkboxes  # the parent's column only: nobody ticks twice
    assert signature_rules and min(b["top"] for b in boxes) < signature_rules[0]["top"] < max(b["bottom"] for b in boxes)


@pytest.mark.parametrize("lang,with_language", [("de", None), ("ar", "de"), ("tr", "de")])
def test_consent_form_signature_stands_beside_the_tick_boxes_on_one_page(lang, with_language):
    data = render_handout("consent-form", lang, with_language, context=CONTEXT)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        boxes = [r for r in page.rects if abs(r["width"] - r["height"]) < 0.5 and 5 < r["width"] < 12]
        rules = [ln for ln in page.lines if 100 < ln["width"] < 300]  # not the footer's full-width rule
    assert boxes and len(rules) == 1
    rule = rules[0]
    top, bottom = min(b["top"] for b in boxes), max(b["bottom"] for b in boxes)
    assert top < rule["top"] < bottom  # level with the boxes, not below the last one
    assert rule["top"] - top < 60  # top-aligned: near the first box
    if direction(lang) == "rtl":  # mirrored: the boxes on the right, the signature on the left
        assert rule["x1"] < min(b["x0"] for b in boxes)
    else:
        assert rule["x0"] > max(b["x1"] for b in boxes)


@pytest.mark.parametrize("topic,lang", [(t.id, lang) for t in LIBRARY.topics() for lang in t.languages])
def test_every_single_language_handout_is_one_page(topic, lang):
    assert len(pypdf.PdfReader(io.BytesIO(render_handout(topic, lang, context=CONTEXT))).pages) == 1


@pytest.mark.parametrize("bold", [False, True])
def test_naskh_has_every_pashto_and_sorani_letter_and_shapes_them(bold):
    with TTFont(str(fonts_dir() / FAMILIES["arabic"][1 if bold else 0]), lazy=True) as font:
        cmap = font.getBestCmap()
    assert [ch for ch in PASHTO + SORANI if ord(ch) not in cmap] == []
    assert shaped_notdef(PASHTO + " " + SORANI, "arabic", bold) == []
    register_fonts()
    glyphs = pdfmetrics.getFont(font_name("arabic", bold)).face.charToGlyph
    for letter in "ټښګڼڵێ":  # joining letters without presentation forms: contextual glyphs from the shaper
        drawn = "".join(r.text for r in split_runs(letter * 3, "arabic", 11, bold))
        assert drawn != letter * 3 and all(glyphs.get(ord(c)) for c in drawn)


@pytest.mark.parametrize("family_name", list(FAMILIES))
def test_each_font_covers_the_letters_of_the_languages_it_serves(family_name):
    serves = {"latin": ["de", "en", "tr", "pl", "ro", "kmr", "so", "sq", "ru", "uk", "bg"],
              "arabic": ["ar", "fa", "fa-AF", "ps", "ckb"], "ethiopic": ["ti"]}[family_name]
    for bold in (False, True):
        with TTFont(str(fonts_dir() / FAMILIES[family_name][1 if bold else 0]), lazy=True) as font:
            cmap = font.getBestCmap()
        for lang in serves:
            letters = {ch for t in LIBRARY.topics() if lang in t.languages
                       for s in LIBRARY.load(t.id, lang).strings() for ch in s if ch.isalpha()}
            script = {"latin": "LATIN", "arabic": "ARABIC", "ethiopic": "ETHIOPIC"}[family_name]
            if family_name == "latin" and lang in ("ru", "uk", "bg"):
                script = "CYRILLIC"
            own = [ch for ch in letters if script in unicodedata.name(ch, "")]
            assert own, (family_name, lang)
            assert [ch for ch in own if ord(ch) not in cmap] == [], (family_name, lang, bold)


@pytest.mark.parametrize("lang", ["ar", "fa", "ps", "ckb"])
def test_rtl_handouts_extract_in_logical_order(lang, tmp_path):
    data = render_handout("potential-analysis", lang, context=CONTEXT)
    source = LIBRARY.load("potential-analysis", lang)
    words = [w for w in re.findall(r"\w+", source.blocks[0].text) if len(w) > 2 and not w.isascii()]
    texts = {"pypdf": _text(data)}
    if shutil.which("pdftotext"):
        pdf = tmp_path / "h.pdf"
        pdf.write_bytes(data)
        texts["pdftotext"] = unicodedata.normalize(
            "NFKC", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    for reader, text in texts.items():
        flat = text.replace("\u200c", "")
        found = [w for w in words if w.replace("\u200c", "") in flat]
        if lang == "ckb":  # Naskh draws ە and ه final with one glyph: it copies out as ه
            found = [w for w in words if w.replace("\u200c", "").replace("ە", "ه") in flat.replace("ە", "ه")]
        assert found == words, (reader, lang, sorted(set(words) - set(found)))
        assert not any(w[::-1] in flat for w in words if len(w) > 3 and w != w[::-1]), reader


def test_metadata_is_true_and_declares_both_languages():
    data = render_handout("dual-training", "ar", "de", context=CONTEXT)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.metadata.creation_date.date().year == date.today().year
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        assert "Helvetica" not in str(font["/BaseFont"])
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded
    content = reader.pages[0].get_contents().get_data()
    assert b"/Lang (ar)" in content and b"/Lang (de)" in content
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert "de" in reader.metadata["/Keywords"] and "ar" in reader.metadata["/Keywords"]


def test_the_list_has_all_seventeen_languages_and_the_new_topics(cli):
    import json

    result = cli("handout", "--list", "--json")
    assert result.code == 0, result.err
    listing = json.loads(result.out)
    assert set(listing["languages"]) >= {"fa-AF", "ps", "ckb", "so", "sq"} and len(listing["languages"]) == 17
    topics = {t["topic"]: t for t in listing["topics"]}
    for topic in ("newly-arrived", "money", "other-routes"):
        assert topics[topic]["sources"] and date.fromisoformat(topics[topic]["as_of"])
    assert all(state != "missing" for state in topics["dual-training"]["languages"].values())


def test_new_language_texts_are_marked_as_drafts():
    for lang in ("fa-AF", "ps", "ckb", "so", "sq"):
        for topic in LIBRARY.topics():
            if lang in topic.languages:
                assert LIBRARY.load(topic.id, lang).reviewed is False


def test_direction_of_the_new_languages_comes_from_cldr():
    assert [direction(lang) for lang in ("fa-AF", "ps", "ckb", "so", "sq")] == ["rtl", "rtl", "rtl", "ltr", "ltr"]


def test_a_family_document_in_dari_gets_the_dari_sheet(services):
    doc = family_document(guardians=[{"id": "g1", "name": "Wahid Sherzad", "languages": ["fa-AF"]}], consents=STORE_ONLY)
    assert parse_family_document(doc)
    family = services.families.add(doc)
    assert services.handouts.family_language(services.families.get(family.id), LIBRARY.languages("kaoa-path")) == "fa-AF"
