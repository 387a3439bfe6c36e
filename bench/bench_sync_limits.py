"""Input bounds of a sync import: compression ratio, memory per inflated byte, cost of the checks.

    .venv/bin/python bench/bench_sync_limits.py [--families 2000]

A navigator with N demo families (all consenting to pass data to the office) exports one
file; the office imports it under ``tracemalloc``.  Printed: the file's compression ratio
(inflated payload / ciphertext; ``fileformat.MAX_INFLATE_RATIO`` must stay well above it),
the peak of Python allocations while reading and validating the payload, and while
importing it (read, verify, decrypt, validate, merge), each as a multiple of the inflated
payload, and the time of the bounded JSON reader against plain ``json.loads``.
Figures, no assertions (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync import PASSPHRASE, machine, navigator

from elternlotse.app import create_store
from elternlotse.domain.fields import loads
from elternlotse.store.tables import SYNCED_FIELDS
from elternlotse.sync import fileformat
from elternlotse.sync import payload as payload_mod


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=2000)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        nav = navigator(root / "nav", "Navigator", args.families, seed=7)
        office = create_store(root / "office", PASSPHRASE, "Office", office=True)
        nav.sync.trust(office.sync.own_card())
        office.sync.trust(nav.sync.own_card())
        path = root / "n.elsync"
        nav.sync.export(path)
        data = path.read_bytes()
        header, offset = office.sync.check_bytes(data, str(path)), None
        header, offset = fileformat.check_sealed(data, str(path), office.store.info.node_id, office.sync._sender_key)
        plain = fileformat.unseal(data, header, offset, str(path), office.sync.secrets())
        compressed = len(zlib.compress(plain, 6))
        print(f"{args.families} families: file {len(data) / 2**20:.1f} MiB, payload {len(plain) / 2**20:.1f} MiB, "
              f"ratio {len(plain) / header.length:.1f} (bound {fileformat.MAX_INFLATE_RATIO})")
        start = time.perf_counter()
        json.loads(plain)
        plain_s = time.perf_counter() - start
        start = time.perf_counter()
        loads(plain)
        bounded_s = time.perf_counter() - start
        print(f"json.loads {plain_s:.2f} s, bounded loads {bounded_s:.2f} s ({bounded_s / plain_s:.2f}x)")
        start = time.perf_counter()
        parsed = payload_mod.parse(plain, header, SYNCED_FIELDS, str(path))
        parse_s = time.perf_counter() - start
        count = parsed.change_count
        del parsed
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        parsed = payload_mod.parse(plain, header, SYNCED_FIELDS, str(path))
        peak = tracemalloc.get_traced_memory()[1] - base
        print(f"parse and validate: {parse_s:.2f} s ({count / parse_s:,.0f} changes/s), peak {peak / 2**20:.0f} MiB"
              f" = {peak / len(plain):.1f}x the payload ({count} changes)")
        del parsed
        tracemalloc.stop()
        size = len(plain)
        del plain, data
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        report = office.sync.import_files([path])
        import_s = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        print(f"import (under tracemalloc, slower): {import_s:.2f} s, peak {peak / 2**20:.0f} MiB = {peak / size:.1f}x the payload,"
              f" new {report.new}, refused {report.refused} (zlib {compressed} bytes)")
        nav.store.close()
        office.store.close()


if __name__ == "__main__":
    main()
