"""Handouts: content validation, glyph coverage, rendering of every topic x language, RTL order."""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics

from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.family import parse_family_document
from elternlotse.handouts import (
    LANGUAGES,
    BatchEntry,
    HandoutContext,
    HandoutLibrary,
    render_batch,
    render_handout,
    write_atomic,
)
from elternlotse.handouts.fonts import FAMILIES, font_name, fonts_dir, missing_glyphs, shaped_notdef
from elternlotse.handouts.render import build_document, handout_string
from elternlotse.handouts.textlayout import direction, script_family, wrap

from conftest import family_document

LIBRARY = HandoutLibrary()
PAIRS = [(t.id, lang) for t in LIBRARY.topics() for lang in t.languages]
CONTEXT = HandoutContext(organisation="KoKo Hagen", navigator="Ayla Navigator", contact="0176 1234567")
ARABIC = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
ETHIOPIC = re.compile(r"[\u1200-\u139F]")


def _cmaps() -> dict[str, frozenset[int]]:
    out = {}
    for family, files in FAMILIES.items():
        for bold, file in ((False, files[0]), (True, files[1])):
            with TTFont(str(fonts_dir() / file), lazy=True) as font:
                out[font_name(family, bold)] = frozenset(font.getBestCmap())
    return out


CMAPS = _cmaps()


def _pdf_text(data: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() or "" for page in reader.pages)


def test_there_are_topics_and_texts_to_test():
    assert len(LIBRARY.topics()) >= 11
    assert all("de" in t.languages for t in LIBRARY.topics())
    assert len(PAIRS) >= 22


def test_fonts_are_bundled_small_and_licensed():
    folder = fonts_dir()
    for files in FAMILIES.values():
        for file in files:
            assert (folder / file).stat().st_size < 2 * 1024 * 1024
    licence = (folder / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "PERMISSION" in licence.upper()


# ---------------------------------------------------------------- content validation

def _library(tmp_path: Path, files: dict[str, dict], topics=None) -> HandoutLibrary:
    root = tmp_path / "handouts"
    (root / "t").mkdir(parents=True)
    (root / "topics.json").write_text(json.dumps(topics or [{"id": "t", "order": 1, "qr_url": None}]), encoding="utf-8")
    for lang, data in files.items():
        (root / "t" / f"{lang}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    strings = Path(LIBRARY.root / "strings.json").read_text(encoding="utf-8")
    (root / "strings.json").write_text(strings, encoding="utf-8")
    return HandoutLibrary(root)


GERMAN = {"title": "Titel", "reviewed": True, "blocks": [
    {"kind": "heading", "text": "Kopf"},
    {"kind": "paragraph", "text": "Ein Absatz."},
    {"kind": "bullets", "items": ["eins", "zwei"]},
]}


def test_loader_refuses_misaligned_blocks(tmp_path):
    english = {"title": "Title", "reviewed": False, "blocks": [
        {"kind": "heading", "text": "Head"}, {"kind": "paragraph", "text": "A paragraph."}]}
    library = _library(tmp_path, {"de": GERMAN, "en": english})
    with pytest.raises(ValidationError, match="has 2 blocks but German has 3"):
        library.load("t", "en")


def test_loader_refuses_other_kinds_and_item_counts(tmp_path):
    swapped = json.loads(json.dumps(GERMAN))
    swapped["blocks"][0]["kind"] = "paragraph"
    library = _library(tmp_path, {"de": GERMAN, "tr": swapped})
    with pytest.raises(ValidationError, match="block 1 is a paragraph, but in German it is a heading"):
        library.load("t", "tr")
    fewer = json.loads(json.dumps(GERMAN))
    fewer["blocks"][2]["items"] = ["bir"]
    library = _library(tmp_path / "b", {"de": GERMAN, "tr": fewer})
    with pytest.raises(ValidationError, match="block 3 has 1 items, but in German it has 2"):
        library.load("t", "tr")


def test_loader_refuses_unknown_kind_and_placeholder(tmp_path):
    bad = json.loads(json.dumps(GERMAN))
    bad["blocks"][1]["kind"] = "table"
    library = _library(tmp_path, {"de": bad})
    with pytest.raises(ValidationError, match="unknown kind 'table'"):
        library.load("t", "de")
    bad = json.loads(json.dumps(GERMAN))
    bad["blocks"][1]["text"] = "Hallo {name}"
    library = _library(tmp_path / "b", {"de": bad})
    with pytest.raises(ValidationError, match="unknown placeholder"):
        library.load("t", "de")


def test_loader_says_when_a_language_is_missing_or_unknown(tmp_path):
    library = _library(tmp_path, {"de": GERMAN})
    with pytest.raises(NotFoundError, match="not written in 'ar' yet"):
        library.load("t", "ar")
    with pytest.raises(ValidationError, match="'xx' is not a handout language"):
        library.load("t", "xx")
    with pytest.raises(NotFoundError, match="There is no handout 'nope'"):
        library.load("nope", "de")
    assert library.review_table() == [{"topic": "t", "qr_url": None,
                                       "languages": {lang: ("reviewed" if lang == "de" else "missing") for lang in LANGUAGES}}]


def test_a_topic_without_german_is_refused(tmp_path):
    library = _library(tmp_path, {"en": {"title": "T", "blocks": [{"kind": "paragraph", "text": "x"}]}})
    with pytest.raises(ValidationError, match="German text"):
        library.topics()


def test_every_shipped_file_is_valid_and_aligned():
    texts = LIBRARY.validate_all()
    assert len(texts) == len(PAIRS)


# ---------------------------------------------------------------- glyphs

@pytest.mark.parametrize("topic,lang", PAIRS)
def test_every_character_has_a_glyph_in_the_font_chosen_for_it(topic, lang):
    text = LIBRARY.load(topic, lang)
    rtl = direction(lang) == "rtl"
    family = script_family(text.strings())
    strings = [_filled(s, CONTEXT.values(lang)) for s in text.strings()] + [handout_string(k, lang, names="Ayşe", name="Elif", grade=8) for k in ("unreviewed", "family", "child", "next_steps", "navigator", "more_info")]
    checked = 0
    for string in strings:
        for bold in (False, True):
            for line in wrap(string.replace("{", "").replace("}", ""), 240, 11, family, rtl, bold):
                for run in line.runs:
                    # the font's cmap, plus the private codes ReportLab gives glyphs the shaper chose
                    # that have no code point (Pashto/Sorani contextual forms); never glyph 0 (.notdef)
                    glyphs = pdfmetrics.getFont(run.font).face.charToGlyph
                    missing = [f"U+{ord(c):04X}" for c in run.text
                               if ord(c) not in CMAPS[run.font] and not glyphs.get(ord(c))]
                    assert not missing, f"{topic}/{lang}: {missing} not in {run.font} ({run.text!r})"
                    checked += len(run.text)
    assert checked > 200
    assert missing_glyphs("".join(strings), family) == []
    if family == "arabic":
        for bold in (False, True):
            assert shaped_notdef(" ".join(strings), family, bold) == []


def test_a_character_no_font_has_is_reported():
    assert missing_glyphs("abc \U0001F600", "latin") == ["\U0001F600"]


# ---------------------------------------------------------------- rendering every topic x language

def _filled(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text) if not w.isdigit()}


@pytest.mark.parametrize("topic,lang", PAIRS)
def test_every_topic_renders_in_every_language(topic, lang):
    text = LIBRARY.load(topic, lang)
    data = render_handout(topic, lang, context=CONTEXT, library=LIBRARY)
    reader, extracted = _pdf_text(data)
    assert 1 <= len(reader.pages) <= 3
    assert reader.metadata.title == text.title
    assert reader.trailer["/Root"]["/Lang"] == lang
    if direction(lang) == "ltr" and script_family(text.strings()) == "latin" or lang in ("ru", "uk", "bg"):
        flat = re.sub(r"\s+", " ", extracted)
        source = _words(" ".join(_filled(s, CONTEXT.values(lang)) for s in text.strings()))
        found = _words(flat)
        missing = sorted(source - found)
        assert not missing, f"{topic}/{lang}: words not extractable: {missing[:10]}"
    elif script_family(text.strings()) == "arabic":
        letters = [c for c in extracted if c.isalpha()]
        assert sum(1 for c in letters if ARABIC.match(c)) > 0.6 * len(letters)
    else:
        letters = [c for c in extracted if c.isalpha()]
        assert sum(1 for c in letters if ETHIOPIC.match(c)) > 0.6 * len(letters)
    if not text.reviewed:
        assert handout_string("unreviewed", "de") in extracted.replace("\n", " ")


@pytest.mark.parametrize("topic,lang", [(t, lang) for t, lang in PAIRS if lang != "de"])
def test_bilingual_layout_keeps_blocks_side_by_side(topic, lang):
    doc = build_document(topic, lang, "de", context=CONTEXT, library=LIBRARY)
    assert 1 <= len(doc.pages) <= 4
    xs = sorted({round(x) for page in doc.pages for _, x, _ in page})
    assert len(xs) >= 2  # two columns
    parent_left = direction(lang) == "ltr"
    assert doc.footer_languages == [lang, "de"]
    for page in doc.pages[:-1]:
        for x in xs:
            column = [item for item, ix, _ in page if round(ix) == x]
            assert not column or column[-1].kind != "heading", f"{topic}/{lang}: a heading ends a page"
    left_titles = [item for item, x, y in doc.pages[0] if round(x) == xs[0]]
    assert left_titles  # the left column has content on page one
    if not parent_left:
        assert doc.language == lang


# ---------------------------------------------------------------- right to left

RTL_SENTENCE = "أولا كلمة ثم المرحلة (PDF) في Agentur für Arbeit وأخيرا نهاية."
RTL_LONG = " ".join(["بداية"] + ["كلمة عربية طويلة"] * 30 + ["خاتمة."])


def _rtl_library(tmp_path: Path) -> HandoutLibrary:
    german = {"title": "Titel", "reviewed": True, "blocks": [
        {"kind": "paragraph", "text": "Zuerst ein Wort, dann die Stufe (PDF) bei der Agentur für Arbeit, am Ende Schluss."},
        {"kind": "paragraph", "text": "Langer Absatz."}]}
    arabic = {"title": "عنوان", "reviewed": False, "blocks": [
        {"kind": "paragraph", "text": RTL_SENTENCE}, {"kind": "paragraph", "text": RTL_LONG}]}
    persian = {"title": "عنوان", "reviewed": False, "blocks": [
        {"kind": "paragraph", "text": "گام‌های بعدی در کلاس ۸ (مهم) است."}, {"kind": "paragraph", "text": "متن."}]}
    return _library(tmp_path, {"de": german, "ar": arabic, "fa": persian})


def _lines(page) -> list[list[dict]]:
    """Characters grouped into lines by their baseline, each line sorted left to right."""
    lines: dict[int, list[dict]] = {}
    for ch in page.chars:
        key = round(ch["matrix"][5])  # the baseline (PDF units, up is larger)
        lines.setdefault(key, []).append(ch)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(lines.items(), key=lambda kv: -kv[0])]


def _logical(word_visual: str) -> str:
    """Presentation forms in visual order -> the logical word (for comparing)."""
    return unicodedata.normalize("NFKC", word_visual[::-1])


def test_rtl_line_words_run_right_to_left(tmp_path):
    library = _rtl_library(tmp_path)
    data = render_handout("t", "ar", library=library)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = _lines(pdf.pages[0])
    line = next(chars for chars in lines if "Agentur" in "".join(c["text"] for c in chars))
    text = "".join(c["text"] for c in line)
    words: list[tuple[float, str]] = []  # (x of the word's left edge, the word in logical order)
    current: list[dict] = []
    for ch in line + [{"text": " ", "x0": 0.0}]:
        if ch["text"].isspace():
            if current:
                words.append((current[0]["x0"], _logical("".join(c["text"] for c in current))))
            current = []
        else:
            current.append(ch)
    right_to_left = [w for _, w in sorted(words, reverse=True)]
    arabic = [w.strip(".") for w in right_to_left if ARABIC.search(w)]
    assert arabic == ["أولا", "كلمة", "ثم", "المرحلة", "في", "وأخيرا", "نهاية"]
    # the German words inside keep their own order, and the brackets are the right way round
    assert text.index("Agentur") < text.index("Arbeit")
    assert "(PDF)" in text
    assert text.index("Arbeit") < text.index("(PDF)")  # "(PDF)" comes before "Agentur ..." when read from the right
    # right-aligned: the line ends at the right margin
    assert max(c["x1"] for c in line) > pdfplumber.open(io.BytesIO(data)).pages[0].width - 60


def test_rtl_paragraph_over_several_lines_starts_on_top_right(tmp_path):
    library = _rtl_library(tmp_path)
    data = render_handout("t", "ar", library=library)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = [chars for chars in _lines(pdf.pages[0]) if "ﺔﻠﻳﻮﻃ" in "".join(c["text"] for c in chars)
                 or "ﺔﻤﺗﺎﺧ" in "".join(c["text"] for c in chars) or "ﺔﻳﺍﺪﺑ" in "".join(c["text"] for c in chars)]
    assert len(lines) >= 3
    first, last = "".join(c["text"] for c in lines[0]), "".join(c["text"] for c in lines[-1])
    assert unicodedata.normalize("NFKC", first).rstrip().endswith("بداية"[::-1])  # first word at the right end
    assert "خاتمة"[::-1] in unicodedata.normalize("NFKC", last)


def test_persian_keeps_zwnj_shaping_digits_and_brackets(tmp_path):
    library = _rtl_library(tmp_path)
    doc = build_document("t", "fa", library=library)
    lines = [item for page in doc.pages for item, _, _ in page]
    assert lines
    line = wrap("گام‌های بعدی در کلاس ۸ (مهم) است.", 400, 11, "arabic", True)[0]
    drawn = "".join(r.text for r in line.runs)
    assert "\u200c" not in drawn and line.logical.startswith("گام\u200cهای")
    # ZWNJ: "گام" and "های" are shaped apart (final meem, initial he), not as one joined word
    joined = "".join(r.text for r in wrap("گامهای", 400, 11, "arabic", True)[0].runs)
    apart = "".join(r.text for r in wrap("گام\u200cهای", 400, 11, "arabic", True)[0].runs)
    assert joined != apart and " " not in apart and "\u200c" not in apart
    assert "۸" in drawn
    assert "(ﻢﻬﻣ)" in drawn  # mirrored: reads "(مهم)" from the right
    assert handout_string("child", "fa", name="Ali", grade=8).endswith("۸")


def test_rtl_text_extracts_in_logical_order_with_pypdf_and_pdftotext(tmp_path):
    """Copy and search: the words come out as typed, not letter-reversed (no /ActualText for poppler to reverse)."""
    import shutil
    import subprocess

    library = _rtl_library(tmp_path)
    data = render_handout("t", "ar", library=library, context=CONTEXT)
    extracted = [unicodedata.normalize("NFKC", _pdf_text(data)[1])]
    if shutil.which("pdftotext"):
        pdf = tmp_path / "ar.pdf"
        pdf.write_bytes(data)
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        extracted.append(unicodedata.normalize("NFKC", out))
    for text in extracted:
        assert "عنوان" in text and "المرحلة" in text and "ةلحرملا" not in text


def test_phone_numbers_and_versions_keep_their_order_in_rtl_text():
    line = wrap("تماس: 0176 1234567. نسخه 2026-1", 400, 11, "arabic", True)[0]
    drawn = "".join(r.text for r in line.runs)
    assert "0176\u00a01234567" in drawn and "2026-1" in drawn


# ---------------------------------------------------------------- personalised, batch, files

def test_personalised_handout_names_family_children_steps_and_navigator():
    family = parse_family_document(family_document())
    family.children[0].id = "child-1"

    def steps(child, language):
        assert language in ("tr", "de")
        return [f"Schritt für {child.first_name} ({language})"]
    data = render_handout("dual-training", "tr", "de", family=family, next_steps=steps, context=CONTEXT, library=LIBRARY)
    _, text = _pdf_text(data)
    flat = re.sub(r"\s+", " ", text)
    assert "Ayşe Yılmaz" in flat and "Elif" in flat
    assert "Schritt für Elif (tr)" in flat and "Schritt für Elif (de)" in flat
    assert "Ayla Navigator" in flat and "0176 1234567" in flat
    assert "8. sınıf" in flat and "Klasse 8" in flat


def test_batch_gives_each_family_its_language_in_one_pdf():
    families = [parse_family_document(family_document(name=n)) for n in ("Ayşe Yılmaz", "Olena Petrenko", "Anna Schmidt")]
    entries = [BatchEntry(families[0], "tr"), BatchEntry(families[1], "uk"), BatchEntry(families[2], "xx")]
    data = render_batch("dual-training", entries, context=CONTEXT, library=LIBRARY)
    reader, text = _pdf_text(data)
    singles = sum(len(build_document("dual-training", lang, "de" if lang != "de" else None, family=f,
                                     context=CONTEXT, library=LIBRARY).pages)
                  for f, lang in zip(families, ("tr", "uk", "de"), strict=True))
    assert len(reader.pages) == singles
    assert "Olena Petrenko" in text and "Anna Schmidt" in text
    assert LIBRARY.load("dual-training", "uk").title.split()[0] in text
    with pytest.raises(ValidationError):
        render_batch("dual-training", [], library=LIBRARY)


def test_write_is_atomic(tmp_path):
    target = write_atomic(tmp_path / "out" / "h.pdf", render_handout("dual-training", "de", library=LIBRARY))
    assert target.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in target.parent.iterdir()] == ["h.pdf"]
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "out" / "bad.pdf", object())  # type: ignore[arg-type]
    assert [p.name for p in target.parent.iterdir()] == ["h.pdf"]


def test_bilingual_needs_german_beside_it():
    with pytest.raises(ValidationError, match="beside German"):
        render_handout("dual-training", "tr", "en", library=LIBRARY)


def test_arabic_name_on_a_german_sheet_is_shaped_and_ordered():
    line = wrap("Familie: محمد علي", 400, 11, "latin", False)[0]
    drawn = "".join(r.text for r in line.runs)
    assert drawn.startswith("Familie: ")
    name = drawn[len("Familie: "):]
    assert unicodedata.normalize("NFKC", name[::-1]) == "محمد علي"  # visual order, presentation forms
    assert all(ord(c) >= 0xFB50 or c == " " for c in name)


def test_a_phone_number_is_never_broken_over_two_lines():
    for rtl, family, text in ((True, "arabic", "للتواصل: 0176 1234567."), (False, "latin", "Kontakt: 0176 1234567.")):
        width = wrap(text[:-4], 400, 11, family, rtl)[0].width + 2  # the number cannot end the first line
        lines = wrap(text, width, 11, family, rtl)
        assert len(lines) == 2 and "0176\u00a01234567" in lines[1].logical, [line.logical for line in lines]


def test_a_public_page_gets_a_qr_code_and_its_address():
    topic = next(t for t in LIBRARY.topics() if t.qr_url)
    for lang, other in (("de", None), ("ar", "de"), ("tr", "de")):
        if lang not in topic.languages:
            continue
        data = render_handout(topic.id, lang, other, library=LIBRARY)
        reader, text = _pdf_text(data)
        assert topic.qr_url in text.replace("\n", "")
        content = reader.pages[0].get_contents().get_data()
        assert content.count(b" re") > 100  # the modules of the code, drawn as rectangles
    plain = next(t for t in LIBRARY.topics() if not t.qr_url)
    content = pypdf.PdfReader(io.BytesIO(render_handout(plain.id, "de", library=LIBRARY))).pages[0].get_contents().get_data()
    assert content.count(b" re") < 20



def test_a_language_file_added_later_is_found(tmp_path):
    library = _library(tmp_path, {"de": GERMAN})
    assert library.languages("t") == ["de"]
    english = json.loads(json.dumps(GERMAN))
    english["title"] = "Title"
    (library.root / "t" / "en.json").write_text(json.dumps(english), encoding="utf-8")
    os.utime(library.root / "t", (1, 1))  # a different folder time, whatever the clock's resolution
    assert library.languages("t") == ["de", "en"]


from hypothesis import given, settings, strategies as st

_WORDS = st.sampled_from(["كلمة", "مدرسه‌ها", "(BIZ)", "Agentur", "für", "۱۲۳", "0176 1234567", "«قدم»", "2026-1",
                          "ابنكم", "Berufskolleg.", "(PDF)", "ሓበሬታ", "İstanbul", "ı"])


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORDS, min_size=1, max_size=25), width=st.floats(min_value=60, max_value=400),
       rtl=st.booleans())
def test_wrapping_keeps_every_word_in_order_and_within_the_width(words, width, rtl):
    text = " ".join(words)
    family = "arabic" if rtl else "latin"
    lines = wrap(text, width, 11, family, rtl)
    joined = " ".join(line.logical for line in lines).replace("\u00a0", " ")
    assert "".join(joined.split()) == "".join(text.split())  # nothing lost, nothing reordered (long words are cut)
    for line in lines:
        assert line.width <= width + 0.01
        for run in line.runs:
            assert all(ord(c) in CMAPS[run.font] for c in run.text)


def test_a_short_german_term_in_brackets_stays_on_one_rtl_line():
    text = "الإرشاد المهني في وكالة العمل (Agentur für Arbeit) مجاني."
    full = wrap(text, 1000, 12, "arabic", True)[0].width
    for width in range(int(full * 0.4), int(full), 7):
        lines = wrap(text, width, 12, "arabic", True)
        assert any("(Agentur\u00a0für\u00a0Arbeit)" in line.logical for line in lines), [l.logical for l in lines]
