"""Backup benchmark: a backup of N demo families against a raw file copy of the same database.

    .venv/bin/python bench/bench_backup.py [--families 10000] [--runs 3]

Per run: ``BackupService.backup`` (sqlcipher_export of one read snapshot, quick_check
and row counts of the copy, sha256, header, fsync, rename), the restore of that file
into a new folder (digest, integrity_check, open with the passphrase), and
``shutil.copyfile`` of the checkpointed database file (what a plain copy costs; not a
safe backup of a WAL database while the app is open).  Prints seconds, MB and ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from elternlotse.app import create_store, restore_store
from elternlotse.services.demo import fill_demo

PASSPHRASE = "benchmark passphrase"


def run(families: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        start = time.perf_counter()
        services = create_store(tmp_path / "data", PASSPHRASE, "Bench")
        fill_demo(services, families=families, seed=7)
        store = services.store
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        filled = time.perf_counter() - start
        size = store.path.stat().st_size
        backup, copy, restore = [], [], []
        out_size = 0
        for i in range(runs):
            target = tmp_path / f"b{i}.elbackup"
            start = time.perf_counter()
            result = services.backup.backup(target)
            backup.append(time.perf_counter() - start)
            out_size = result.bytes
            start = time.perf_counter()
            shutil.copyfile(store.path, tmp_path / f"raw{i}.db")
            with open(tmp_path / f"raw{i}.db", "rb+") as handle:
                os.fsync(handle.fileno())
            copy.append(time.perf_counter() - start)
            start = time.perf_counter()
            restore_store(target, tmp_path / f"restored{i}", PASSPHRASE)  # one Argon2id derivation included
            restore.append(time.perf_counter() - start)
        store.close()
        b, c, r = statistics.median(backup), statistics.median(copy), statistics.median(restore)
        print(f"{families:>6} families (filled in {filled:.1f} s): database {size / 1e6:6.1f} MB, backup file "
              f"{out_size / 1e6:6.1f} MB ({out_size / size:4.2f}x)")
        print(f"        backup {b:6.2f} s, raw copy {c:6.3f} s: backup = {b / c:5.1f}x the raw copy;"
              f" restore (incl. one key derivation) {r:6.2f} s; median of {runs}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, nargs="+", default=[10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()},"
          f" load average {os.getloadavg()[0]:.1f}")
    for families in args.families:
        run(families, args.runs)


if __name__ == "__main__":
    main()
