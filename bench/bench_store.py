"""Store benchmarks: insert, search latency, CLI start-up.  Prints figures and ratios.

    .venv/bin/python bench/bench_store.py [--persons 100000] [--queries 200]

1. Insert: demo families through the store's write path (encrypted, change log,
   audit, search index) vs raw ``sqlite3`` ``executemany`` of exactly the same
   rows into the same schema (plain file), and vs raw executemany into SQLCipher.
2. Search latency (p50/p95) over the store at the given number of persons.
3. CLI start-up: ``elternlotse --version`` and ``family list --search`` vs ``python -c pass``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlcipher3

from elternlotse.app import create_store
from elternlotse.services.demo import fill_demo
from elternlotse.store.migrations import all_migrations

PASSPHRASE = "benchmark passphrase"
TABLES = ["families", "persons", "channels", "consents", "changes", "search_docs", "person_search", "audit"]


def machine() -> str:
    return f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"


def copy_rows(source, tables):
    rows = {}
    for table in tables:
        cursor = source.execute(f"SELECT * FROM {table}" if table != "person_search" else
                                "SELECT rowid, folded, skeleton FROM person_search")
        rows[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    return rows


def raw_insert(conn, rows) -> float:
    for _, module in all_migrations():
        module.apply(conn)
    start = time.perf_counter()
    conn.execute("BEGIN")
    for table, (columns, values) in rows.items():
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)
    conn.execute("COMMIT")
    return time.perf_counter() - start


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        services = create_store(folder / "store", PASSPHRASE, "Bench")
        store = services.store
        # ~3.1 persons per demo family: estimate families from persons.
        families = max(1, round(args.persons / 3.1))
        start = time.perf_counter()
        fill_demo(services, families=families, seed=11, batch=2000)
        t_store = time.perf_counter() - start
        persons = store.conn.execute("SELECT count(*) FROM persons").fetchone()[0]
        rows = copy_rows(store.conn, TABLES)
        n_rows = sum(len(v) for _, v in rows.values())
        print(f"\n## insert {families} families ({persons} persons, {n_rows} rows incl. change log and index)")
        print(f"store write path (SQLCipher, change log, audit, index): {t_store:8.2f} s  {families / t_store:9.0f} families/s")
        plain = sqlite3.connect(folder / "raw.db", isolation_level=None)
        t_raw = raw_insert(plain, rows)
        print(f"raw sqlite3 executemany, same rows:                    {t_raw:8.2f} s  {families / t_raw:9.0f} families/s")
        cipher = sqlcipher3.connect(str(folder / "rawcipher.db"), isolation_level=None)
        cipher.execute(f"PRAGMA key = '{PASSPHRASE}'")
        t_raw_cipher = raw_insert(cipher, rows)
        print(f"raw SQLCipher executemany, same rows:                  {t_raw_cipher:8.2f} s  {families / t_raw_cipher:9.0f} families/s")
        print(f"ratio store / raw sqlite3: {t_store / t_raw:.1f}x   store / raw SQLCipher: {t_store / t_raw_cipher:.1f}x")

        rng = random.Random(5)
        names = [r[0] for r in store.conn.execute("SELECT name FROM persons WHERE name != '' ORDER BY random() LIMIT 500")]
        phones = [r[0] for r in store.conn.execute("SELECT value FROM channels WHERE kind = 'phone' LIMIT 200")]
        queries = []
        for i in range(args.queries):
            kind = i % 4
            if kind == 0:
                queries.append(rng.choice(names).split()[0])
            elif kind == 1:
                queries.append(rng.choice(["Yilmaz", "Mohammed", "Olena", "Muller", "Kovalenko", "Ahmadi", "Yusuf"]))
            elif kind == 2:
                queries.append("0" + rng.choice(phones)[3:9])
            else:
                queries.append(rng.choice(names)[:3])
        timings, hits = [], []
        for query in queries:
            start = time.perf_counter()
            found = services.families.list(query, limit=200)
            timings.append((time.perf_counter() - start) * 1000)
            hits.append(len(found))
        print(f"\n## search at {persons} persons ({len(queries)} queries: names, other spellings, phone prefixes, 3-letter prefixes)")
        print(f"p50 {percentile(timings, 0.5):.1f} ms   p95 {percentile(timings, 0.95):.1f} ms   max {max(timings):.1f} ms"
              f"   mean hits {statistics.mean(hits):.0f} (capped at 200)")
        store.close()

        print("\n## CLI start-up (5 runs each, median)")
        env = {**os.environ, "ELTERNLOTSE_DATA_DIR": str(folder / "store"), "ELTERNLOTSE_PASSPHRASE": PASSPHRASE}

        def median_run(argv):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run(argv, env=env, capture_output=True, check=True)
                times.append(time.perf_counter() - start)
            return statistics.median(times)

        base = median_run([sys.executable, "-c", "pass"])
        version = median_run([sys.executable, "-m", "elternlotse", "--version"])
        listing = median_run([sys.executable, "-m", "elternlotse", "family", "list", "--search", "Yilmaz"])
        print(f"python -c pass:                       {base * 1000:7.0f} ms")
        print(f"elternlotse --version:                {version * 1000:7.0f} ms  ({version / base:.1f}x bare Python)")
        print(f"elternlotse family list --search ...: {listing * 1000:7.0f} ms  ({listing / base:.1f}x bare Python; includes"
              " the SQLCipher key derivation)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
