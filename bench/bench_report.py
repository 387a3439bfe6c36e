"""The office's report over a year: our report (every default table, protected) vs raw SQL GROUP BYs.

    .venv/bin/python bench/bench_report.py [--families 60000] [--contacts 200000]

Both sides count the same rows in the same run: the baseline is one plain
``SELECT dim, count(*) ... GROUP BY dim`` per table of the report (with the same joins for
topic and grade), so the ratio is what labels, tallies, events and protection cost on top.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import uuid
from pathlib import Path

from elternlotse.app import create_store
from elternlotse.services.demo import fill_demo

FORMATS = ["individual_talk", "phone_call", "parent_teacher_day", "family_cafe", "mso_meeting", "home_visit"]
LANGUAGES = ["tr", "ar", "ru", "uk", "pl", "fa", "de", "ro", "bg", "ti", "ps", "ckb"]
STAGES = ["bo-info", "pa", "bfe", "internship", "applications", "career-counselling", "school-counselling"]


def fill_contacts(services, count: int, seed: int = 7) -> None:
    """``count`` contacts over 2026 spread over the families (raw inserts: the bench measures reading)."""
    rng = random.Random(seed)
    conn = services.store.conn
    families = [r[0] for r in conn.execute("SELECT id FROM families WHERE deleted IS NULL")]
    node = services.store.info.node_id
    rows = []
    for i in range(count):
        stamp = f"{1767225600000 + i:013d}-0000-{node}"
        day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append((str(uuid.uuid4()), rng.choice(families), day, rng.choice(FORMATS), rng.choice(LANGUAGES),
                     int(rng.random() < 0.2), json.dumps(rng.sample(STAGES, rng.choice((1, 2)))), stamp, stamp))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO contacts (id, family_id, day, format, language, interpreter, topics, created, updated)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")


def raw_group_bys(conn, first: str, last: str) -> int:
    """The same counts as plain GROUP BYs: the floor of what any report on these rows costs."""
    queries = [
        "SELECT language, count(*) FROM contacts WHERE day BETWEEN ? AND ? GROUP BY 1",
        "SELECT format, count(*) FROM contacts WHERE day BETWEEN ? AND ? GROUP BY 1",
        "SELECT t.value, count(*) FROM contacts c, json_each(c.topics) t WHERE c.day BETWEEN ? AND ? GROUP BY 1",
        "SELECT p.grade, count(*) FROM contacts c JOIN (SELECT family_id, min(grade) AS grade FROM persons"
        " WHERE role = 'child' GROUP BY family_id) p ON p.family_id = c.family_id WHERE c.day BETWEEN ? AND ? GROUP BY 1",
        "SELECT substr(day, 1, 7), count(*) FROM contacts WHERE day BETWEEN ? AND ? GROUP BY 1",
        "SELECT substr(created, -16), count(*) FROM contacts WHERE day BETWEEN ? AND ? GROUP BY 1",
        "SELECT count(*), count(DISTINCT family_id) FROM contacts WHERE day BETWEEN ? AND ?",
    ]
    return sum(len(conn.execute(q, (first, last)).fetchall()) for q in queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=60_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = create_store(Path(tmp), "bench passphrase for the report", "Bench", "Bench office", office=True)
        try:
            start = time.perf_counter()
            fill_demo(services, families=args.families)
            fill_contacts(services, args.contacts)
            print(f"{args.families} families, {args.contacts} contacts (filled in {time.perf_counter() - start:.0f} s)")
            ours, raw = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                report = services.reports.build("2026-01-01", "2026-12-31").protected("suppress")
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                raw_group_bys(services.store.conn, "2026-01-01", "2026-12-31")
                raw.append(time.perf_counter() - start)
            best_ours, best_raw = min(ours), min(raw)
            print(f"report (every default table, protected): {best_ours:.2f} s (best of {args.runs}), "
                  f"{len(report.tables)} tables")
            print(f"raw GROUP BYs of the same rows: {best_raw:.2f} s")
            print(f"ratio: {best_ours / best_raw:.2f}x")
        finally:
            services.store.close()


if __name__ == "__main__":
    main()
