"""Sync benchmarks: export + import of many families vs raw executemany; many files at once.

    .venv/bin/python bench/bench_sync.py [--families 10000] [--files 30] [--per-file 2000]
    .venv/bin/python bench/bench_sync.py --small        # 2,000 families; 4 files of 500

1. A navigator with N demo families, all consenting to pass data to the office:
   ``sync export`` (collect, JSON, zlib, age-encrypt, Ed25519-sign, atomic write)
   and the office's ``sync import`` (verify, decrypt, validate, merge in one
   transaction, search index), against raw SQLCipher ``executemany`` of exactly
   the rows the import wrote (families, persons, channels, consents, change log),
   measured in the same run.
2. F navigators with P families each; the office imports all F files at once.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import sqlcipher3

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from elternlotse.app import create_store
from elternlotse.domain.consent import ConsentEntry, Evidence, Purpose
from elternlotse.services.demo import fill_demo
from elternlotse.store.migrations import all_migrations

PASSPHRASE = "benchmark passphrase"
COPIED = ["families", "persons", "channels", "consents", "changes"]


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.1f}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def navigator(folder: Path, name: str, families: int, seed: int):
    services = create_store(folder, PASSPHRASE, name)
    fill_demo(services, families=families, seed=seed, batch=2000)
    # every guardian consents to passing data to the office, so every family travels
    store = services.store
    guardians = [r[0] for r in store.conn.execute("SELECT id FROM persons WHERE role = 'guardian'")]
    with store.write(name, "bench.consent") as writer:
        for person_id in guardians:
            writer.append_consent(ConsentEntry(person_id=person_id, purpose=Purpose.PASS_TO_OFFICE, channel=None,
                                               granted=True, at="2026-11-20T10:00:00Z", recorded_by=name,
                                               evidence=Evidence.SIGNED_FORM))
    return services


def link(nav, office) -> None:
    nav.sync.trust(office.sync.own_card())
    office.sync.trust(nav.sync.own_card())


def raw_executemany(folder: Path, source) -> float:
    rows = {}
    for table in COPIED:
        cursor = source.execute(f"SELECT * FROM {table}")
        rows[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    conn = sqlcipher3.connect(str(folder / "raw.db"), isolation_level=None)
    conn.execute("PRAGMA key = 'benchmark passphrase'")
    conn.execute("PRAGMA journal_mode = WAL")
    for _, module in all_migrations():
        module.apply(conn)
    start = time.perf_counter()
    conn.execute("BEGIN")
    for table, (columns, values) in rows.items():
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--per-file", type=int, default=2_000)
    parser.add_argument("--small", action="store_true", help="2,000 families; 4 files of 500 (a quick run)")
    args = parser.parse_args()
    if args.small:
        args.families, args.files, args.per_file = 2_000, 4, 500
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # ---- 1. one navigator, N families
        nav = navigator(root / "nav", "Bench navigator", args.families, seed=5)
        office = create_store(root / "office", PASSPHRASE, "Bench office", office=True)
        link(nav, office)
        start = time.perf_counter()
        result = nav.sync.export(root / "big.elsync")
        t_export = time.perf_counter() - start
        start = time.perf_counter()
        report = office.sync.import_files([root / "big.elsync"])
        t_import = time.perf_counter() - start
        assert report.refused == 0 and office.families.count() == args.families, report.as_dict()
        changes = office.store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        t_raw = raw_executemany(root, office.store.conn)
        size = (root / "big.elsync").stat().st_size
        print(f"\n1. {args.families:,} families ({result.rows:,} records, {result.changes:,} field changes, "
              f"{result.consents:,} consent entries), file {size / 1e6:.1f} MB")
        print(f"   export (collect, zlib, age, Ed25519, atomic write): {t_export:6.2f} s")
        print(f"   import (verify, decrypt, validate, merge, index):   {t_import:6.2f} s")
        print(f"   export + import:                                    {t_export + t_import:6.2f} s "
              f"({args.families / (t_export + t_import):,.0f} families/s)")
        print(f"   raw SQLCipher executemany of the same {changes:,} change rows and records: {t_raw:6.2f} s")
        print(f"   -> import is {t_import / t_raw:.1f}x raw, export + import {(t_export + t_import) / t_raw:.1f}x raw")
        start = time.perf_counter()
        again = office.sync.import_files([root / "big.elsync"])
        print(f"   the same file again (ledger: nothing changes): {time.perf_counter() - start:.2f} s, "
              f"duplicates={again.duplicates}")
        # the everyday case: a receipt came back, one new family was added, the next export is a delta
        office.sync.export(root / "receipt.elsync", to=nav.store.info.node_id)
        nav.sync.import_files([root / "receipt.elsync"])
        fill_demo(nav, families=1, seed=999)
        start = time.perf_counter()
        delta = nav.sync.export(root / "delta.elsync")
        t_delta = time.perf_counter() - start
        print(f"   next export after the receipt, one family added: {t_delta:.2f} s, {delta.rows} records "
              f"({(root / 'delta.elsync').stat().st_size:,} bytes)")
        print(f"   peak memory of the process so far: {peak_rss_mb():.0f} MB")
        for s in (nav, office):
            s.store.close()
        shutil.rmtree(root / "nav")
        shutil.rmtree(root / "office")

        # ---- 2. F files of P families, imported at once
        office = create_store(root / "office2", PASSPHRASE, "Bench office", office=True)
        files = []
        start = time.perf_counter()
        for i in range(args.files):
            nav = navigator(root / f"nav{i}", f"Navigator {i}", args.per_file, seed=100 + i)
            link(nav, office)
            path = root / f"file{i:02d}.elsync"
            nav.sync.export(path)
            files.append(path)
            nav.store.close()
            shutil.rmtree(root / f"nav{i}")
        t_setup = time.perf_counter() - start
        start = time.perf_counter()
        report = office.sync.import_files(files)
        t_many = time.perf_counter() - start
        total = args.files * args.per_file
        assert report.refused == 0 and office.families.count() == total, report.as_dict()
        print(f"\n2. {args.files} files x {args.per_file:,} families ({total:,} families; "
              f"{sum(p.stat().st_size for p in files) / 1e6:.1f} MB) imported at once: {t_many:.2f} s "
              f"({total / t_many:,.0f} families/s); new records {report.new:,}, conflicts {report.conflicts}")
        print(f"   (setting up {args.files} navigators and exporting took {t_setup:.0f} s); "
              f"peak memory of the process: {peak_rss_mb():.0f} MB")
        office.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
