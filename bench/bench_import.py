"""Spreadsheet import benchmark: a 20,000-row XLSX made here, imported into an office store.

    .venv/bin/python bench/bench_import.py [--rows 20000]

Prints the time of ``SheetImportService.run(..., dry_run=False)`` (reading the XLSX, validating
every row, one transaction through the write path) split into read + plan and write, and the
time raw SQLCipher ``executemany`` needs for exactly the rows the import wrote (same schema,
one transaction), with the ratio (goal: import <= 3x raw).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import sqlcipher3
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).parent))
from bench_store import TABLES, copy_rows, machine, raw_insert

from elternlotse.app import create_store
from elternlotse.store.keys import KeyDerivation

PASSPHRASE = "benchmark passphrase"
FIRST = ["Ayşe", "Mehmet", "Olena", "Fatima", "Yusuf", "Irina", "Ahmad", "Leyla", "Dmytro", "Samira"]
LAST = ["Yılmaz", "Kaya", "Kovalenko", "Haddad", "Ahmadi", "Petrenko", "Demir", "Nasser", "Schewtschenko", "Rahimi"]
LANGUAGES = ["Türkisch", "Arabisch", "Ukrainisch", "Russisch", "Persisch", "tr, de"]


def make_xlsx(path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Familien")
    sheet.append(["Nachname", "Vorname", "Telefon", "E-Mail", "Sprache", "Kind", "Klasse", "Schule",
                  "Einwilligung", "Einwilligung Telefon", "Einladungen", "Datum"])
    for i in range(rows):
        first, last = FIRST[i % 10], LAST[(i // 10) % 10]
        sheet.append([f"{last}", f"{first} {i}", f"0176 {10000000 + i}", f"p{i}@example.org" if i % 3 else "",
                      LANGUAGES[i % len(LANGUAGES)], f"Kind {i}", 5 + i % 6, "Gesamtschule Haspe",
                      "ja" if i % 20 else "nein", "ja", "x" if i % 2 else "", 46000 + i % 300])
    book.save(path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "liste.xlsx"
        start = time.perf_counter()
        make_xlsx(path, args.rows)
        print(f"made {path.name}: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
        # The key derivation is not what is measured here: the smallest Argon2id parameters.
        services = create_store(folder / "store", PASSPHRASE, "Bench", office=True,
                                key_derivation=KeyDerivation(memory_kib=64, iterations=1, lanes=1))
        importer = services.sheet_import
        start = time.perf_counter()
        sheet = importer.read(path)
        plan = importer.plan(sheet, importer.mapping_for(sheet))
        t_plan = time.perf_counter() - start
        start = time.perf_counter()
        importer.apply(plan)
        t_write = time.perf_counter() - start
        t_import = t_plan + t_write
        counts = plan.counts()
        rows = copy_rows(services.store.conn, TABLES)
        n_rows = sum(len(v) for _, v in rows.values())
        print(f"\n## import of {args.rows} rows: {counts}")
        print(f"read XLSX + validate every row (dry run): {t_plan:7.2f} s  {args.rows / t_plan:8.0f} rows/s")
        print(f"write (one transaction, bulk):            {t_write:7.2f} s  ({n_rows} table rows incl. change log, index)")
        print(f"import total:                             {t_import:7.2f} s  {args.rows / t_import:8.0f} rows/s")
        cipher = sqlcipher3.connect(str(folder / "raw.db"), isolation_level=None)
        cipher.execute(f"PRAGMA key = '{PASSPHRASE}'")
        t_raw = raw_insert(cipher, rows)
        print(f"raw SQLCipher executemany, same rows:     {t_raw:7.2f} s")
        print(f"ratio import / raw: {t_import / t_raw:.1f}x   write alone / raw: {t_write / t_raw:.1f}x")
        services.store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
