"""Benchmark: desktop start-up (unlock dialog, then the Families page) vs a bare PySide6 window.

    .venv/bin/python bench/bench_ui_startup.py [--families 10000] [--repeat 5] [--data-dir DIR]

Each start is a separate process (a fresh interpreter, as a person starting the
app), interleaved so that all kinds see the same machine load:

* bare: ``import PySide6``, a ``QMainWindow`` with a ``QTableView``, shown and its
  first events (paint) processed; from process start (measured by the parent).
* unlock: the real desktop start path (``ui.start.Session.start``, no passphrase in
  the environment) until the unlock dialog is shown and painted, from process
  start.  Then, in the same process, the passphrase is typed and "Unlock"
  pressed (``QTest``, as a person would) and the time is taken until the main
  window is shown with the Families page and its first rows loaded and painted.
* kdf: the key derivation alone, in the same process afterwards: the store's own
  ``_connect`` (passphrase -> key -> first page of the encrypted file read), the
  part of "Unlock" no code of ours can make faster.

Goals (issue 10, item 8): unlock dialog on screen within 1.5x the bare window;
"Unlock" to first rows within the key derivation's own time + 300 ms.  The
demo store is created once (``services.demo.fill_demo``) and reused from
``--data-dir``.  Platform: $QT_QPA_PLATFORM (offscreen by default).  Times are
printed, never asserted.

Bytecode: an installed app starts from cached bytecode (.pyc, or the frozen
build's archive).  This machine sets PYTHONDONTWRITEBYTECODE=1, which made every
start compile about a hundred modules from source (0.4 s, a third of the window's
time).  The children therefore run with bytecode caching on, into
``PYTHONPYCACHEPREFIX`` (a temporary folder, nothing written into the tree), after
one warm-up start of each kind whose figures are printed separately ("first start").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bench-passphrase"

BARE = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1366, 768)
window.show()
for _ in range(3):
    app.processEvents()
print(json.dumps({"shown_at": time.time(), "cpu": time.process_time()}))
"""

UNLOCK = r"""
import json, os, sys, time
from pathlib import Path
os.environ.pop("ELTERNLOTSE_PASSPHRASE", None)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import elternlotse.ui.start as start
from elternlotse.ui.start import Session, make_application
marks = {}

def timed(name, fn):  # how long each thread's share of "Unlock" takes
    def wrapper(*args):
        started = time.perf_counter()
        try:
            return fn(*args)
        finally:
            marks[name] = time.perf_counter() - started
    return wrapper

start.import_window = timed("gui_imports", start.import_window)
start.open_for_window = timed("worker_open", start.open_for_window)
data_dir, passphrase = Path(sys.argv[1]), sys.argv[2]
qapp = make_application()
session = Session(qapp, data_dir)
_open_window = session.open_window

def open_window(*args, **kwargs):  # phases: store open and dialog closed / window built and shown
    marks["opened"] = time.perf_counter()
    window = _open_window(*args, **kwargs)
    marks["built"] = time.perf_counter()
    return window

session.open_window = open_window

def on_dialog():
    dialog = QApplication.activeModalWidget()
    if dialog is None or not dialog.isVisible():
        QTimer.singleShot(1, on_dialog)
        return
    for _ in range(3):
        qapp.processEvents()
    marks["dialog_at"], marks["dialog_cpu"] = time.time(), time.process_time()
    marks["dialog_modules"] = sorted(m for m in sys.modules if m.startswith("elternlotse"))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    QTest.keyClicks(dialog.passphrase_edit, passphrase)
    marks["click"], marks["click_cpu"] = time.perf_counter(), time.process_time()
    QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)

QTimer.singleShot(0, on_dialog)
assert session.start()
window = session.window
rows = window.current_page().model.rowCount()
for _ in range(3):
    qapp.processEvents()
ready, ready_cpu = time.perf_counter(), time.process_time()
total = window.current_page().model.total()
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"reportlab", "fontTools", "sqlite_utils", "pyrage", "email_validator", "qrcode"})
session.close()

from elternlotse.store.database import Store, _connect
started, started_cpu = time.perf_counter(), time.process_time()
_connect(Store.file_in(data_dir), passphrase).close()
kdf, kdf_cpu = time.perf_counter() - started, time.process_time() - started_cpu
print(json.dumps({"dialog_at": marks["dialog_at"], "cpu": marks["dialog_cpu"], "unlock_to_rows": ready - marks["click"], "kdf": kdf,
                  "unlock_cpu": ready_cpu - marks["click_cpu"], "kdf_cpu": kdf_cpu,
                  "phases": {"open_store": marks["opened"] - marks["click"], "window": marks["built"] - marks["opened"],
                             "paint": ready - marks["built"], "gui_imports": marks["gui_imports"],
                             "worker_open": marks["worker_open"]},
                  "rows": rows, "total_families": total, "heavy_modules_loaded": heavy,
                  "modules_before_dialog": len(marks["dialog_modules"])}))
"""


def prepare(data_dir: Path, families: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from elternlotse.app import create_store, open_store
    from elternlotse.services.demo import fill_demo
    from elternlotse.store import Store

    if Store.exists(data_dir):
        services = open_store(data_dir, PASSPHRASE)
        have = services.families.count()
        if have >= families:
            services.store.close()
            return
    else:
        services = create_store(data_dir, PASSPHRASE, "Bench Navigator", "KoKo Bench")
        have = 0
    started = time.perf_counter()
    fill_demo(services, families - have, seed=7)
    print(f"demo store: {families} families in {time.perf_counter() - started:.1f} s ({data_dir})")
    services.store.close()


PYCACHE = Path(tempfile.gettempdir()) / "elternlotse-bench-pycache"


def run_child(code: str, *args: str) -> tuple[float, dict]:
    """(seconds from process start to the child's first mark, the child's report)."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHONPATH": str(ROOT / "src"), "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("ELTERNLOTSE_PASSPHRASE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    report = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
    first = report.get("shown_at", report.get("dialog_at"))
    return first - started, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "elternlotse-bench-ui"))
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    prepare(data_dir, args.families)

    first_bare, first_unlock = run_child(BARE), run_child(UNLOCK, str(data_dir), PASSPHRASE)
    bare, unlock = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        bare.append(run_child(BARE))
        unlock.append(run_child(UNLOCK, str(data_dir), PASSPHRASE))

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    bare_ms = statistics.median(w for w, _ in bare)
    dialog_ms = statistics.median(w for w, _ in unlock)
    to_rows = statistics.median(r["unlock_to_rows"] for _, r in unlock)
    kdf = statistics.median(r["kdf"] for _, r in unlock)
    info = unlock[-1][1]
    print(f"platform: {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}, repeats: {args.repeat}, medians; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"bare PySide6 window, process start to first paint:   {ms(bare_ms):>8}")
    print(f"unlock dialog, process start to first paint:         {ms(dialog_ms):>8}   "
          f"ratio {dialog_ms / bare_ms:.2f} x bare (goal <= 1.5)")
    print(f"'Unlock' to Families page with first rows painted:   {ms(to_rows):>8}   "
          f"({info['rows']} of {info['total_families']} families)")
    print(f"key derivation alone (store's _connect):             {ms(kdf):>8}   "
          f"unlock - kdf = {ms(to_rows - kdf)} (goal <= 300 ms)")
    phases = {k: statistics.median(r["phases"][k] for _, r in unlock)
              for k in ("open_store", "window", "paint", "worker_open", "gui_imports")}
    print("  unlock phases: " + ", ".join(f"{k} {ms(phases[k])}" for k in ("open_store", "window", "paint"))
          + f"; during open_store: background thread (key, first page read) {ms(phases['worker_open'])}, "
          f"GUI thread imports {ms(phases['gui_imports'])}")
    cpu, kdf_cpu = (statistics.median(r[k] for _, r in unlock) for k in ("unlock_cpu", "kdf_cpu"))
    bare_cpu, dialog_cpu = (statistics.median(r["cpu"] for _, r in runs) for runs in (bare, unlock))
    print(f"  CPU time (all threads, less sensitive to load): bare {ms(bare_cpu)}, dialog {ms(dialog_cpu)} "
          f"(ratio {dialog_cpu / bare_cpu:.2f}), unlock {ms(cpu)}, kdf {ms(kdf_cpu)}, "
          f"unlock - kdf = {ms(cpu - kdf_cpu)}")
    print(f"  all runs: bare {[round(w * 1000) for w, _ in bare]}, dialog {[round(w * 1000) for w, _ in unlock]}, "
          f"unlock {[round(r['unlock_to_rows'] * 1000) for _, r in unlock]}, kdf {[round(r['kdf'] * 1000) for _, r in unlock]}")
    print(f"  first start (bytecode cache possibly cold): bare {round(first_bare[0] * 1000)} ms, "
          f"dialog {round(first_unlock[0] * 1000)} ms, unlock {round(first_unlock[1]['unlock_to_rows'] * 1000)} ms, "
          f"kdf {round(first_unlock[1]['kdf'] * 1000)} ms")
    print(f"  elternlotse modules before the dialog: {info['modules_before_dialog']}; "
          f"heavy modules loaded by the first page: {info['heavy_modules_loaded'] or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
