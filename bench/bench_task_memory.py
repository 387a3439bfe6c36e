"""Benchmark: memory kept alive by finished background tasks (ui/tasks.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_task_memory.py [--tasks N] [--mb M]

Submits N tasks that each return (or fail holding) an object of M MB, waits for
all of them to end, collects garbage and prints how many of those objects are
still alive and how many MB tracemalloc still sees, next to what a runner that
kept every task would hold.  Before the fix (December 2026) 20 tasks of 5 MB
kept 100 MB; the figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
import weakref
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from PySide6.QtWidgets import QApplication

from elternlotse.ui.tasks import TaskRunner


class Blob:
    def __init__(self, mb: int) -> None:
        self.data = bytearray(mb * 1_000_000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--mb", type=int, default=5)
    args = parser.parse_args()
    qapp = QApplication.instance() or QApplication([])
    runner = TaskRunner(None)
    alive: list[weakref.ref] = []

    def produce(services, progress):
        blob = Blob(args.mb)
        alive.append(weakref.ref(blob))
        return blob

    def fail(services, progress):
        blob = Blob(args.mb)
        alive.append(weakref.ref(blob))
        raise LookupError("no such row")

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    ended: list[int] = []
    for n in range(args.tasks):
        task = runner.submit(produce if n % 2 else fail)
        task.ended.connect(lambda: ended.append(1))
    del task
    while len(ended) < args.tasks:
        qapp.processEvents()
    qapp.processEvents()
    gc.collect()
    kept = (tracemalloc.get_traced_memory()[0] - before) / 1e6
    tracemalloc.stop()
    still = sum(ref() is not None for ref in alive)
    print(f"{args.tasks} tasks of {args.mb} MB (half of them failing): {still} results alive, {kept:.1f} MB kept "
          f"(a runner keeping every task: {args.tasks * args.mb} MB)")
    runner.shutdown()


if __name__ == "__main__":
    main()
