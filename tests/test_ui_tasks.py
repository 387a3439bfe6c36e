"""The background executor: results on the GUI thread, its own store connection, errors translated."""

from __future__ import annotations

import threading

from elternlotse.app import open_store
from elternlotse.domain.errors import NotFoundError
from elternlotse.ui.tasks import TaskRunner, error_text

from tests.conftest import PASSPHRASE, family_document


def test_task_runs_off_the_gui_thread_and_reports_back_on_it(qtbot, services, data_dir):
    runner = TaskRunner(lambda: open_store(data_dir, PASSPHRASE))
    gui_thread = threading.get_ident()
    seen = {}

    def job(worker_services, progress):
        seen["thread"] = threading.get_ident()
        seen["same_connection"] = worker_services.store.conn is services.store.conn
        family = worker_services.families.add(family_document())
        progress(1, 1, "done")
        return family.id

    progress_calls = []
    task = runner.submit(job)
    task.progressed.connect(lambda d, t, text: progress_calls.append((d, t, text)))
    with qtbot.waitSignal(task.finished, timeout=10000) as blocker:
        pass
    family_id = blocker.args[0]
    assert seen["thread"] != gui_thread
    assert seen["same_connection"] is False
    # The GUI's own connection sees the worker's committed write (WAL, second connection).
    assert services.families.get(family_id).guardians[0].name == "Ayşe Yılmaz"
    assert progress_calls == [(1, 1, "done")]
    # A later write on the GUI connection gets a newer stamp than the worker's (clock moved past it).
    worker_stamp = services.store.meta("clock")
    updated = services.families.update(family_id, {**services.families.document(family_id), "notes": "neu"})
    assert updated.updated > worker_stamp
    runner.shutdown()


def test_failure_comes_back_as_a_translated_sentence(qtbot, services, data_dir):
    runner = TaskRunner(lambda: open_store(data_dir, PASSPHRASE))
    task = runner.submit(lambda s, p: s.families.get("no-such-id"))
    with qtbot.waitSignal(task.failed, timeout=10000) as blocker:
        pass
    error = blocker.args[0]
    assert isinstance(error, NotFoundError)
    assert "no-such-id" in error_text(error)
    runner.shutdown()


def test_tasks_run_one_after_the_other(qtbot):
    runner = TaskRunner(None)
    running, overlaps, order = [0], [], []

    def job(n):
        def fn(services, progress):
            running[0] += 1
            overlaps.append(running[0])
            order.append(n)
            running[0] -= 1
            return n
        return fn

    tasks = [runner.submit(job(n)) for n in range(5)]
    with qtbot.waitSignal(tasks[-1].finished, timeout=10000):
        pass
    assert order == [0, 1, 2, 3, 4]
    assert max(overlaps) == 1
    runner.shutdown()


def test_pinned_qt_binding_keeps_the_references_of_none_and_true():
    """Guard for the pin in pyproject.toml (docs/architecture.md, "Qt binding").

    PySide6 6.12.0 on CPython 3.11 lost one reference to ``True`` per signal emission and one
    to ``None`` per Python ``data()`` returning None, and aborted the interpreter after about 50
    of them.  The app has no workaround any more, so a lock update to a leaking binding must fail here.
    """
    import sys

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Signal

    class Emitter(QObject):
        value = Signal(object)

    class Probe(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):
            return 1

        def columnCount(self, parent=QModelIndex()):
            return 1

        def data(self, index, role=0):
            return None

    emitter = Emitter()
    emitter.value.connect(lambda _v: None)
    model = Probe()
    index = model.index(0, 0)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(40):  # below the ~50 that aborted 6.12.0; enough to see a loss of one per call
        index.data()
        emitter.value.emit(True)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] >= before[0] - 5 and after[1] >= before[1] - 5
