"""Benchmark: handouts against a bare ReportLab canvas writing the same text, in the same run.

    .venv/bin/python bench/bench_handouts.py [--repeat N]

1. one bilingual handout (Arabic beside German, the heaviest case: shaping,
   reordering, two fonts per line), alternating with the bare canvas run for
   run (the machine may be shared); also its first render in the process;
2. every topic x every language that has a text (single-language layout).

The baseline draws the same strings with ``drawString`` line by line in one font
(Noto Sans, no wrapping by width, no shaping, no runs per font): the floor of
what ReportLab costs for that much text.  Prints seconds, per-handout
milliseconds and the ratio.  Times are never asserted anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from elternlotse.handouts import HandoutContext, HandoutLibrary, render_handout
from elternlotse.handouts.fonts import font_name, register_fonts

CONTEXT = HandoutContext("KoKo Hagen", "Ayla Navigator", "0176 1234567")


def bare(strings_per_doc: list[list[str]]) -> int:
    """Draw every string of every document, 60 characters a line, on plain canvases."""
    size = 0
    font = font_name("latin")
    for strings in strings_per_doc:
        buffer = BytesIO()
        c = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
        c.setFont(font, 11)
        y = 800.0
        for text in strings:
            for start in range(0, len(text), 60):
                c.drawString(50, y, text[start:start + 60])
                y -= 15
                if y < 60:
                    c.showPage()
                    c.setFont(font, 11)
                    y = 800.0
        c.showPage()
        c.save()
        size += len(buffer.getvalue())
    return size


def interleaved(first, second, repeat: int) -> tuple[float, float]:
    """Median times of two functions run alternately, so that a busy machine slows both alike."""
    a, b = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        first()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        second()
        b.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    library = HandoutLibrary()
    register_fonts()
    topics = library.topics()
    pairs = [(t.id, lang) for t in topics for lang in t.languages]
    topic = topics[0].id
    bilingual_lang = "ar" if "ar" in library.languages(topic) else library.languages(topic)[-1]

    strings_one = [library.load(topic, bilingual_lang).strings() + library.load(topic, "de").strings()]
    bare(strings_one)
    # the first render in this process: layout caches empty (fonts already parsed by register_fonts)
    start = time.perf_counter()
    data = render_handout(topic, bilingual_lang, "de", context=CONTEXT, library=library)
    t_cold = time.perf_counter() - start
    # then as in a running app (the page re-renders its preview): caches of words, lines and shapes filled
    t_one, t_one_bare = interleaved(
        lambda: render_handout(topic, bilingual_lang, "de", context=CONTEXT, library=library),
        lambda: bare(strings_one), args.repeat)

    def all_handouts() -> int:
        return sum(len(render_handout(t, lang, context=CONTEXT, library=library)) for t, lang in pairs)
    strings_all = [library.load(t, lang).strings() for t, lang in pairs]
    t_all, size_all = timed(all_handouts, args.repeat)
    t_all_bare, size_bare = timed(lambda: bare(strings_all), args.repeat)

    print(f"bilingual handout ({topic}, {bilingual_lang} beside de): {t_one * 1000:.1f} ms, {len(data) // 1024} KB"
          f" (first render in the process: {t_cold * 1000:.1f} ms = {t_cold / t_one_bare:.1f}x)")
    print(f"  bare canvas, same text:                  {t_one_bare * 1000:.1f} ms   ratio {t_one / t_one_bare:.1f}x")
    print(f"all topics x languages ({len(pairs)} handouts): {t_all:.2f} s = {t_all / len(pairs) * 1000:.1f} ms each,"
          f" {size_all // 1024} KB in all")
    print(f"  bare canvas, same text:                  {t_all_bare:.2f} s = {t_all_bare / len(pairs) * 1000:.1f} ms each,"
          f" {size_bare // 1024} KB   ratio {t_all / t_all_bare:.1f}x")


if __name__ == "__main__":
    main()
