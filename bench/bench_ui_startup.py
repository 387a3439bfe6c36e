"""Benchmark: start-up of the main window on a store with 10,000 families vs a bare PySide6 window.

    .venv/bin/python bench/bench_ui_startup.py [--families 10000] [--repeat 5] [--data-dir DIR]

Each start is a separate process (a fresh interpreter, as a person starting the
app), measured from the parent: from process start until the window has been
shown and its first events (paint) processed, then the child exits.

* bare: ``import PySide6``, a ``QMainWindow`` with a ``QTableView``, shown;
* app: the real start-up path without the dialogs: settings, UI language, open
  the encrypted store (key derivation included), ``MainWindow`` with every
  registered page type, the Families page built and its first page of rows
  loaded, shown.

The child also reports its own phases (imports, open store, build window,
first paint).  The demo store is created once (``services.demo.fill_demo``) and
reused from ``--data-dir``.  Platform: $QT_QPA_PLATFORM (offscreen by default).
Times are printed, never asserted.
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
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
t1 = time.perf_counter()
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1366, 768)
window.show()
t2 = time.perf_counter()
for _ in range(3):
    app.processEvents()
t3 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "build": t2 - t1, "first_paint": t3 - t2}))
"""

APP = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from elternlotse import app, settings
from elternlotse.ui.start import make_application
from elternlotse.ui.i18n_qt import install_language
from elternlotse.ui.main_window import MainWindow
from elternlotse.ui.tasks import TaskRunner
t1 = time.perf_counter()
data_dir = Path(sys.argv[1])
qapp = make_application()
install_language(qapp, settings.load(data_dir).ui_language)
services = app.open_store(data_dir, sys.argv[2])
t2 = time.perf_counter()
window = MainWindow(services, TaskRunner(lambda: app.open_store(data_dir, sys.argv[2])))
window.resize(1366, 768)
window.show()
rows = window.current_page().model.rowCount()
t3 = time.perf_counter()
for _ in range(3):
    qapp.processEvents()
t4 = time.perf_counter()
window.shutdown()
services.store.close()
print(json.dumps({"imports": t1 - t0, "open_store": t2 - t1, "build": t3 - t2, "first_paint": t4 - t3,
                  "rows": rows, "total_families": window.current_page().model.total()}))
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


def run_child(code: str, *args: str) -> tuple[float, dict]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - started
    last = [line for line in done.stdout.splitlines() if line.startswith("{")][-1]
    return wall, json.loads(last)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "elternlotse-bench-ui"))
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    prepare(data_dir, args.families)

    bare, app = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        bare.append(run_child(BARE))
        app.append(run_child(APP, str(data_dir), PASSPHRASE))
    bare_wall = statistics.median(w for w, _ in bare)
    app_wall = statistics.median(w for w, _ in app)
    print(f"platform: {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}, repeats: {args.repeat}, medians")
    print(f"bare PySide6 window:             {bare_wall * 1000:7.0f} ms per process start")
    phases = {k: statistics.median(p[k] for _, p in app) for k in ("imports", "open_store", "build", "first_paint")}
    info = app[-1][1]
    print(f"Elternlotse main window:         {app_wall * 1000:7.0f} ms per process start "
          f"({info['total_families']} families, {info['rows']} rows loaded)")
    print("  phases: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in phases.items()))
    bare_phases = {k: statistics.median(p[k] for _, p in bare) for k in ("imports", "build", "first_paint")}
    print("  bare phases: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in bare_phases.items()))
    print(f"ratio app / bare: {app_wall / bare_wall:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
