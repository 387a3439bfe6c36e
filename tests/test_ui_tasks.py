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


def test_binding_refcount_leaks_cannot_crash_the_interpreter():
    """PySide6 6.12 loses references to None and True (see ui/qt_workarounds.py)."""
    import sys

    from PySide6.QtCore import QObject, Signal

    from elternlotse.ui import qt_workarounds

    class Emitter(QObject):
        value = Signal(object)

    emitter = Emitter()
    emitter.value.connect(lambda _v: None)
    qt_workarounds.none_leak_per_call(1000)
    for flag in (True, False) * 500:
        emitter.value.emit(flag)
    if sys.version_info < (3, 12):
        for singleton in (None, True, False):
            assert sys.getrefcount(singleton) > 2**39  # far out of reach of the leaks
