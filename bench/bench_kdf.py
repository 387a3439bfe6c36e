"""Key derivation benchmark: what one passphrase guess costs.  Prints figures, asserts nothing.

    .venv/bin/python bench/bench_kdf.py [--repeat 5]

1. Argon2id with the production parameters (``keys.PRODUCTION``): wall time per
   derivation (median, min), CPU time per derivation (independent of other load on
   the machine) and the peak memory it adds (max RSS of a fresh child
   process that only derives, minus the same child that does not).
2. SQLCipher 4's own PBKDF2 (what stores before key files paid per open): the time
   of ``PRAGMA key`` with a passphrase plus the first read.
3. Store open with the production key file, and with the tests' cheap derivation.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlcipher3

from elternlotse.store import Store
from elternlotse.store.keys import PRODUCTION, KeyDerivation

CHILD = r"""
import json, os, resource, sys
from elternlotse.store.keys import PRODUCTION
if sys.argv[1] == "derive":
    PRODUCTION.derive("a passphrase of five words", os.urandom(16))
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def peak_kib(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True).stdout
    return int(json.loads(out))


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    p = PRODUCTION
    print(f"production Argon2id: memory {p.memory_kib // 1024} MiB, {p.iterations} passes, {p.lanes} lanes")

    # Children first: Linux carries a parent's peak RSS into a forked child, so measure before deriving here.
    extra = (peak_kib("derive") - peak_kib("none")) / 1024
    argon = timed(lambda: p.derive("a passphrase of five words", os.urandom(16)), args.repeat)
    cpu_started = time.process_time()
    for _ in range(args.repeat):
        p.derive("a passphrase of five words", os.urandom(16))
    cpu = (time.process_time() - cpu_started) / args.repeat
    print(f"argon2id derive: median {statistics.median(argon):.3f} s, min {min(argon):.3f} s wall; "
          f"{cpu:.3f} s of CPU (one core: what a guess costs on an idle machine); adds {extra:.0f} MiB peak memory")

    with tempfile.TemporaryDirectory() as tmp:
        legacy = Path(tmp) / "legacy.db"
        conn = sqlcipher3.connect(str(legacy))
        conn.execute("PRAGMA key = 'a passphrase of five words'")
        conn.execute("CREATE TABLE t (x)")
        conn.close()

        def pbkdf2_open():
            c = sqlcipher3.connect(str(legacy))
            c.execute("PRAGMA key = 'a passphrase of five words'")
            c.execute("SELECT count(*) FROM sqlite_master").fetchone()
            c.close()

        pbkdf2 = timed(pbkdf2_open, args.repeat)
        print(f"sqlcipher pbkdf2 open (before key files): median {statistics.median(pbkdf2):.3f} s")
        print(f"ratio argon2id / pbkdf2 per guess: {statistics.median(argon) / statistics.median(pbkdf2):.1f}x "
              f"time, {extra:.0f} MiB vs ~0 MiB memory")

        Store.create(Path(tmp) / "prod", "a passphrase of five words", "Bench").close()
        prod_open = timed(lambda: Store.open(Path(tmp) / "prod", "a passphrase of five words").close(), args.repeat)
        cheap = KeyDerivation(memory_kib=64, iterations=1, lanes=1)  # the tests' derivation (tests/conftest.py)
        Store.create(Path(tmp) / "cheap", "a passphrase of five words", "Bench", key_derivation=cheap).close()
        cheap_open = timed(lambda: Store.open(Path(tmp) / "cheap", "a passphrase of five words").close(), args.repeat)
        print(f"store open: production {statistics.median(prod_open):.3f} s, "
              f"tests' derivation {statistics.median(cheap_open) * 1000:.1f} ms "
              f"({statistics.median(prod_open) / statistics.median(cheap_open):.0f}x)")


if __name__ == "__main__":
    main()
