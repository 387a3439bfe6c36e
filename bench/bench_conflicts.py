"""Conflict list and resolving one conflict at office scale (issue 11, "Structure").

    .venv/bin/python bench/bench_conflicts.py [--families 6000] [--conflicts 100]

A store with demo families (about 2.5 persons each) and N conflicts kept for review on guardians'
names.  Measures ``SyncService.conflicts()`` (the Sync page's list: current values and the family's
guardians for every conflict) and ``resolve()`` of one conflict, against the earlier way of reading
them (one whole-table binding scan per conflict), in the same run.  Prints figures and the ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from elternlotse.app import create_store
from elternlotse.services.demo import fill_demo
from elternlotse.store import replication as repl

PASSPHRASE = "benchmark passphrase"


def earlier_conflicts(conn) -> int:
    """The reading before store/replication.py: per conflict, the bindings of its whole table."""
    count = 0
    for _cid, table, row_id, name in conn.execute(
            "SELECT id, tbl, row_id, field FROM sync_conflicts WHERE resolved = '' ORDER BY id").fetchall():
        conn.execute(f"SELECT {name} FROM {table} WHERE id = ?", (row_id,)).fetchone()
        family = repl.bindings(conn, table).get(row_id, (None, None))[0]
        conn.execute("SELECT name FROM persons WHERE family_id = ? AND role = 'guardian' AND deleted IS NULL"
                     " ORDER BY position", (family,)).fetchall()
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=6000)
    parser.add_argument("--conflicts", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        services = create_store(Path(folder) / "office", PASSPHRASE, "Bench office", office=True)
        fill_demo(services, families=args.families, seed=7, batch=2000)
        conn = services.store.conn
        persons = conn.execute("SELECT count(*) FROM persons").fetchone()[0]
        guardians = [r[0] for r in conn.execute(
            f"SELECT id FROM persons WHERE role = 'guardian' ORDER BY id LIMIT {args.conflicts}")]
        with services.store.write("bench", "bench.conflicts") as writer:
            writer.conn.executemany(
                "INSERT INTO sync_conflicts(tbl, row_id, field, lost_value, lost_stamp, kept_stamp, detected)"
                " VALUES ('persons', ?, 'name', '\"Anderer Name\"', ?, ?, '2026-12-01T10:00:00Z')",
                [(g, f"1796000000000-0000-{i:016x}", writer.stamp) for i, g in enumerate(guardians)])
        start = time.perf_counter()
        listed = services.sync.conflicts()
        now = time.perf_counter() - start
        start = time.perf_counter()
        earlier_conflicts(conn)
        before = time.perf_counter() - start
        start = time.perf_counter()
        services.sync.resolve(listed[0].id, use_lost_value=True)
        resolve = time.perf_counter() - start
        print(f"{args.families} families, {persons} persons, {len(listed)} open conflicts")
        print(f"conflicts(): {now:.3f} s   (earlier reading, same store: {before:.3f} s, {before / now:.0f}x)")
        print(f"resolve() of one conflict (reads that one, writes the value, re-indexes its family): {resolve:.3f} s")
        services.store.close()


if __name__ == "__main__":
    main()
