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

Export and imports run each in a fresh subprocess (``--child``), so their peak memory
(``VmHWM``) is theirs alone.  On Linux the peak is reset right after the store is
opened (the key derivation's Argon2id memory would hide everything else), so "peak"
is the highest resident memory of the export or import itself, and "above the open
store" subtracts what the open store, interpreter and modules already held.  Times are wall clock and CPU time of the process
(``time.process_time``): on a shared machine the CPU ratios scatter less.
"""

from __future__ import annotations

import argparse
import json
import subprocess
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

from elternlotse.app import create_store, open_store
from elternlotse.domain.consent import ConsentEntry, Evidence, Purpose
from elternlotse.services.demo import fill_demo
from elternlotse.store.migrations import all_migrations

PASSPHRASE = "benchmark passphrase"
COPIED = ["families", "persons", "channels", "consents", "changes"]


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.1f}"


def peak_rss_mb() -> float:
    """The process's peak resident memory since start or since the last ``reset_peak``."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Linux: forget the peak so far (the key derivation's Argon2id memory would hide everything else)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


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


def child(mode: str, folder: str, files: list[str]) -> int:
    """One measurement in this (fresh) process; prints a JSON line."""
    from elternlotse.app import open_store
    from elternlotse.sync.fileformat import check_sealed, read_file, unseal

    services = open_store(Path(folder), PASSPHRASE)
    services.sync.secrets()
    services.store.conn.execute("SELECT count(*) FROM changes").fetchone()
    reset_peak()
    base = peak_rss_mb()
    out: dict = {"base_mb": base}
    if mode == "import":
        # the inflated payload of the first file (not timed): the yardstick for import memory
        sync = services.sync
        data = read_file(files[0])
        header, offset = check_sealed(data, files[0], sync.node_id, sync._sender_key)
        out["inflated"] = len(unseal(data, header, offset, files[0], sync.secrets()))
        del data
        # measure the growth from here on (the yardstick itself is freed)
        reset_peak()
        base = out["base_mb"] = peak_rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "export":
        result = services.sync.export(Path(files[0]))
        out.update(rows=result.rows, changes=result.changes, consents=result.consents)
    else:
        report = services.sync.import_files([Path(f) for f in files])
        out.update(refused=report.refused, new=report.new, conflicts=report.conflicts,
                   families=services.families.count())
    out.update(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu, peak_mb=peak_rss_mb())
    services.store.close()
    print(json.dumps(out))
    return 0


def measure(mode: str, folder: Path, files: list[Path]) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(folder), *map(str, files)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def raw_cpu(folder: Path, source) -> tuple[float, float]:
    cpu = time.process_time()
    wall = raw_executemany(folder, source)
    return wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--per-file", type=int, default=2_000)
    parser.add_argument("--small", action="store_true", help="2,000 families; 4 files of 500 (a quick run)")
    parser.add_argument("--only", choices=("one", "many"), help="only part 1 (one big file) or part 2 (many files)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], args.child[1], args.child[2:])
    if args.small:
        args.families, args.files, args.per_file = 2_000, 4, 500
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if args.only != "many":
            one_file(root, args)
        if args.only != "one":
            many_files(root, args)
    return 0


def one_file(root: Path, args) -> None:
    # ---- 1. one navigator, N families
    nav = navigator(root / "nav", "Bench navigator", args.families, seed=5)
    office = create_store(root / "office", PASSPHRASE, "Bench office", office=True)
    link(nav, office)
    nav_node = nav.store.info.node_id
    for s in (nav, office):
        s.store.close()
    big = root / "big.elsync"
    exp = measure("export", root / "nav", [big])
    imp = measure("import", root / "office", [big])
    assert imp["refused"] == 0 and imp["families"] == args.families, imp
    office = open_store(root / "office", PASSPHRASE)
    changes = office.store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    t_raw, c_raw = raw_cpu(root, office.store.conn)
    size = big.stat().st_size
    inflated = imp["inflated"] / 1e6
    print(f"\n1. {args.families:,} families ({exp['rows']:,} records, {exp['changes']:,} field changes, "
          f"{exp['consents']:,} consent entries), file {size / 1e6:.1f} MB, payload {inflated:.1f} MB inflated")
    print(f"   export (collect, zlib, age, Ed25519, atomic write): {exp['wall']:6.2f} s wall, {exp['cpu']:6.2f} s CPU; "
          f"peak memory {exp['peak_mb']:.0f} MB ({exp['peak_mb'] - exp['base_mb']:.0f} MB above the open store)")
    print(f"   import (verify, decrypt, validate, merge, index):   {imp['wall']:6.2f} s wall, {imp['cpu']:6.2f} s CPU; "
          f"peak memory {imp['peak_mb']:.0f} MB, {imp['peak_mb'] - imp['base_mb']:.0f} MB above the open store "
          f"= {(imp['peak_mb'] - imp['base_mb']) / inflated:.1f}x the inflated payload")
    print(f"   raw SQLCipher executemany of the same {changes:,} change rows and records: {t_raw:6.2f} s wall, "
          f"{c_raw:6.2f} s CPU")
    print(f"   -> import is {imp['wall'] / t_raw:.1f}x raw (wall), {imp['cpu'] / c_raw:.1f}x raw (CPU); "
          f"export + import {(exp['wall'] + imp['wall']) / t_raw:.1f}x raw (wall)")
    start = time.perf_counter()
    again = office.sync.import_files([big])
    print(f"   the same file again (ledger: nothing changes): {time.perf_counter() - start:.2f} s, "
          f"duplicates={again.duplicates}")
    nav = open_store(root / "nav", PASSPHRASE)
    # the everyday case: a receipt came back, one new family was added, the next export is a delta
    office.sync.export(root / "receipt.elsync", to=nav_node)
    nav.sync.import_files([root / "receipt.elsync"])
    fill_demo(nav, families=1, seed=999)
    start = time.perf_counter()
    delta = nav.sync.export(root / "delta.elsync")
    t_delta = time.perf_counter() - start
    print(f"   next export after the receipt, one family added: {t_delta:.2f} s, {delta.rows} records "
          f"({(root / 'delta.elsync').stat().st_size:,} bytes)")
    for s in (nav, office):
        s.store.close()
    shutil.rmtree(root / "nav")
    shutil.rmtree(root / "office")


def many_files(root: Path, args) -> None:
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
    office.store.close()
    t_setup = time.perf_counter() - start
    many = measure("import", root / "office2", files)
    total = args.files * args.per_file
    assert many["refused"] == 0 and many["families"] == total, many
    print(f"\n2. {args.files} files x {args.per_file:,} families ({total:,} families; "
          f"{sum(p.stat().st_size for p in files) / 1e6:.1f} MB) imported at once: {many['wall']:.2f} s wall, "
          f"{many['cpu']:.2f} s CPU ({total / many['wall']:,.0f} families/s); new records {many['new']:,}, "
          f"conflicts {many['conflicts']}; peak memory {many['peak_mb']:.0f} MB")
    print(f"   (setting up {args.files} navigators and exporting took {t_setup:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
