"""Erasure benchmark: what making an erasure reach every byte costs.  Prints figures and ratios.

    .venv/bin/python bench/bench_erasure.py [--families 3000 10000] [--erasures 3]

Per store size: the file size, the erasing transaction alone (rows blanked, change log
and search rows removed, FTS5 secure-delete), and ``Store.after_erasure`` (VACUUM of
the whole file plus the WAL checkpoint that truncates it), median of ``--erasures``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path

from elternlotse.app import create_store
from elternlotse.services.demo import fill_demo

PASSPHRASE = "benchmark passphrase"


def run(families: int, erasures: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        services = create_store(Path(tmp) / "data", PASSPHRASE, "Bench")
        fill_demo(services, families=families, seed=7)
        store = services.store
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = store.path.stat().st_size
        ids = [row.id for row in services.families.list(limit=erasures)]
        transaction, after = [], []
        real_after = store.after_erasure
        timings: dict[str, float] = {}

        def timed_after():
            start = time.perf_counter()
            real_after()
            timings["after"] = time.perf_counter() - start

        store.after_erasure = timed_after
        for family_id in ids:
            start = time.perf_counter()
            services.families.erase(family_id)
            total = time.perf_counter() - start
            after.append(timings["after"])
            transaction.append(total - timings["after"])
        store.close()
        t, a = statistics.median(transaction), statistics.median(after)
        print(f"{families:>6} families, file {size / 2**20:6.1f} MiB: erase transaction {t * 1000:6.0f} ms,"
              f" VACUUM + WAL truncate {a * 1000:6.0f} ms, total {(t + a) * 1000:6.0f} ms"
              f" ({(t + a) / t:4.1f}x the transaction alone); peak RSS so far"
              f" {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, nargs="+", default=[3000, 10000])
    parser.add_argument("--erasures", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()},"
          f" load average {os.getloadavg()[0]:.1f}")
    for families in args.families:
        run(families, args.erasures)


if __name__ == "__main__":
    main()
