"""Duplicate candidates of an office with many families (issue 16: 60,000 in under 10 s).

    .venv/bin/python bench/bench_duplicates.py [--families 60000]
    .venv/bin/python bench/bench_duplicates.py --small        # 5,000 families

An office store filled with demo families (random names from the demo's name lists, so
names repeat as they do in a real office), plus a known share of planted duplicates (the
same number written nationally, the same e-mail in capitals, the same name in another
spelling).  It prints the time of ``DuplicateService.candidates()`` (blocking by phone key,
e-mail and name skeleton), the number of pairs and how many planted pairs were found, and
the ratio against a baseline measured in the same run: one plain SELECT over every guardian
with its phone numbers and e-mail addresses (the least any candidate search must read).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from elternlotse.app import create_store
from elternlotse.services.demo import fill_demo

PASSPHRASE = "benchmark passphrase"


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.1f}"


def plant_duplicates(services, count: int) -> list[tuple[str, str]]:
    """Copy ``count`` families' first guardian as new families written differently; return the pairs."""
    conn = services.store.conn
    rows = conn.execute(
        "SELECT p.family_id, p.name, (SELECT value FROM channels c WHERE c.person_id = p.id AND c.kind = 'phone'"
        " AND c.deleted IS NULL LIMIT 1) FROM persons p WHERE p.role = 'guardian' AND p.position = 0"
        " ORDER BY p.family_id LIMIT ?", (count,)).fetchall()
    planted = []
    for family_id, name, phone in rows:
        national = "0" + phone[3:] if phone and phone.startswith("+49") else (phone or "")
        doc = {"guardians": [{"id": "g1", "name": name.upper(), "languages": ["de"],
                              "phones": [national] if national else [], "emails": [], "messenger": []}],
               "children": [],
               "consents": [{"person": "g1", "purpose": "store", "granted": True, "at": "2026-11-01T10:00:00Z",
                             "evidence": "signed_form", "text_version": "2026-1", "text_language": "de"}]}
        planted.append((family_id, services.families.add(doc).id))
    return planted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=60000)
    parser.add_argument("--planted", type=int, default=200)
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    families = 5000 if args.small else args.families
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        services = create_store(Path(tmp) / "office", PASSPHRASE, "Bench office", office=True)
        started = time.perf_counter()
        fill_demo(services, families=families, seed=16, batch=2000)
        planted = plant_duplicates(services, args.planted)
        print(f"filled {families:,} families + {len(planted)} planted duplicates in {time.perf_counter() - started:.1f} s")
        conn = services.store.conn

        started = time.perf_counter()
        rows = conn.execute(
            "SELECT p.family_id, p.name, c.kind, c.value FROM persons p LEFT JOIN channels c ON c.person_id = p.id"
            " AND c.kind IN ('phone', 'email') AND c.deleted IS NULL WHERE p.role = 'guardian' AND p.deleted IS NULL"
        ).fetchall()
        baseline = time.perf_counter() - started
        print(f"baseline: one SELECT of every guardian with phones and e-mails ({len(rows):,} rows): {baseline:.2f} s")
        del rows

        started = time.perf_counter()
        found = services.duplicates.candidates()
        elapsed = time.perf_counter() - started
        pairs = {frozenset((c.first, c.second)) for c in found}
        hits = sum(1 for a, b in planted if frozenset((a, b)) in pairs)
        print(f"candidates: {len(found):,} pairs in {elapsed:.2f} s ({elapsed / baseline:.1f}x the baseline);"
              f" planted pairs found: {hits}/{len(planted)}")
        started = time.perf_counter()
        for c in found[:50]:
            services.duplicates.compare(c.first, c.second)
        print(f"comparison of one pair: {(time.perf_counter() - started) / max(1, min(50, len(found))) * 1000:.1f} ms")
        services.store.close()


if __name__ == "__main__":
    main()
