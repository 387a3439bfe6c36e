"""Small-cell protection on large tables: the Fraction attacker before vs the integer one now.

    .venv/bin/python bench/bench_protection.py

Both run in the same process on the same tables (navigator x month, school x topic sized);
``protection_before`` is the old module, kept here only to measure against.  The two must hide
exactly the same cells.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import protection_before

from elternlotse.domain import protection

SIZES = ((10, 10), (20, 10), (30, 8))


def table(rows: int, columns: int, seed: int = 1) -> list[list[int]]:
    rng = random.Random(seed)
    return [[rng.choice((0, 0, 1, 2, 3, 4, 6, 9, 15, 30, 80)) for _ in range(columns)] for _ in range(rows)]


def timed(module, cells) -> tuple[float, object]:
    start = time.perf_counter()
    published = module.suppress(cells)
    return time.perf_counter() - start, published


def main() -> None:
    for rows, columns in SIZES:
        cells = table(rows, columns)
        before, old = timed(protection_before, cells)
        after, new = timed(protection, cells)
        same = vars(old) == vars(new)
        hidden = sum(isinstance(v, str) for row in new.cells for v in row)
        print(f"{rows}x{columns}: before {before:.3f} s, after {after:.4f} s ({before / after:.0f}x faster),"
              f" {hidden} cells hidden, same cells published: {same}")


if __name__ == "__main__":
    main()
