"""Errors nobody caught in the desktop app: logged, one dialog, "Copy details"; finished tasks let go."""

from __future__ import annotations

import gc
import threading
import tracemalloc
import weakref

import pytest
from PySide6.QtCore import Qt, qCritical
from PySide6.QtWidgets import QApplication, QPushButton

from elternlotse import logs
from elternlotse.ui.error_reporting import ErrorReporter
from elternlotse.ui.tasks import TaskRunner

NAME, PHONE = "Ayşe Yılmaz", "0176 1234 5678"


@pytest.fixture
def reporter(qapp, data_dir):
    installed = logs.install_logging(data_dir)
    reporter = ErrorReporter(qapp, installed.path).install()
    yield reporter
    reporter.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()
    reporter.deleteLater()
    installed.close()


def _save_guardian():
    guardian = {"name": NAME, "phone": PHONE}  # a local of the failing frame
    return guardian["name"] / 2


def test_an_error_in_a_slot_is_logged_and_shown_once_with_copy_details(qtbot, reporter):
    button = QPushButton("go")
    qtbot.addWidget(button)
    button.clicked.connect(_save_guardian)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # TypeError inside the slot: the app goes on
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=5000)
    dialog = reporter.dialog
    assert "TypeError" in dialog.message.text()
    assert "Traceback" not in dialog.message.text()  # never shown, only copied

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # again: the same dialog, not a second one
    qtbot.waitUntil(lambda: dialog.count == 2, timeout=5000)
    assert len([w for w in QApplication.topLevelWidgets() if type(w).__name__ == "ErrorDialog" and w.isVisible()]) == 1

    QApplication.clipboard().clear()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    assert QApplication.focusWidget() is dialog.close_button  # Enter or Escape closes it
    for _ in range(4):  # Tab to "Copy details" and press Space, as with the keyboard
        if QApplication.focusWidget() is dialog.copy_button:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.copy_button, Qt.Key.Key_Space)
    copied = QApplication.clipboard().text()
    assert "Traceback (most recent call last)" in copied and "_save_guardian" in copied and "TypeError" in copied
    assert "errors: 2" in copied
    assert NAME not in copied and PHONE not in copied
    assert dialog.copied.isVisible()

    text = logs.log_file(reporter.log_path.parent.parent).read_text(encoding="utf-8")
    assert text.count("unexpected error") == 2 and "_save_guardian" in text
    assert NAME not in text and PHONE not in text

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reporter.dialog is None, timeout=5000)


def test_thread_errors_and_qt_criticals_reach_the_log_and_the_dialog(qtbot, reporter):
    def worker():
        raise RuntimeError(NAME)

    thread = threading.Thread(target=worker, name="import-thread")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.count == 1, timeout=5000)
    qCritical(f"cannot open '{NAME}.pdf' for {PHONE}")
    qtbot.waitUntil(lambda: reporter.dialog.count == 2, timeout=5000)
    details = reporter.dialog.details()
    assert "Thread import-thread" in details and "RuntimeError: <message withheld>" in details
    text = reporter.log_path.read_text(encoding="utf-8")
    assert "in thread import-thread" in text and "ERROR elternlotse.qt" in text
    assert "cannot open '<redacted>' for <number>" in text
    assert NAME not in text and PHONE not in text


def _import_rows(services, progress):
    rows = [{"name": NAME}]
    return rows[0]["name"].missing_method()


def test_an_unexpected_task_failure_without_on_error_ends_in_the_same_dialog(qtbot, reporter):
    runner = TaskRunner(None)
    task = runner.run(_import_rows)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.count == 1, timeout=10000)
    assert task.is_done and isinstance(task.error, AttributeError)
    details = reporter.dialog.details()
    assert "in _import_rows" in details and "AttributeError: 'str' object has no attribute 'missing_method'" in details
    text = reporter.log_path.read_text(encoding="utf-8")
    assert text.count("in _import_rows") == 1  # logged once, by the worker
    assert NAME not in details and NAME not in text
    runner.shutdown()


def test_uninstall_puts_the_previous_hooks_back(qapp):
    import sys

    before = (sys.excepthook, threading.excepthook)
    reporter = ErrorReporter(qapp).install()
    assert sys.excepthook != before[0]
    reporter.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    reporter.deleteLater()


class _Blob:
    def __init__(self) -> None:
        self.data = bytearray(5_000_000)


def test_finished_tasks_are_released(qtbot, data_dir):
    """20 tasks of 5 MB each: once they have ended, neither results nor failed tasks' frames stay alive."""
    installed = logs.install_logging(data_dir)
    runner = TaskRunner(None)
    alive: list[weakref.ref] = []

    def produce(services, progress):
        blob = _Blob()
        alive.append(weakref.ref(blob))
        return blob

    def fail(services, progress):
        blob = _Blob()  # a big local in the failing frame: the traceback must not keep it
        alive.append(weakref.ref(blob))
        try:
            raise KeyError("row")
        except KeyError as cause:  # a chained failure, as domain code raises them
            raise LookupError("no such row") from cause

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        seen = []
        for n in range(20):
            task = runner.submit(produce if n % 2 else fail)
            task.ended.connect(lambda: seen.append(1))
        del task
        qtbot.waitUntil(lambda: len(seen) == 20, timeout=20000)
        QApplication.processEvents()
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(alive) == 20
    assert [ref for ref in alive if ref() is not None] == []
    assert retained < 5_000_000  # less than one task's result
    assert not runner.busy
    runner.shutdown()
    installed.close()
    text = installed.path.read_text(encoding="utf-8")
    assert text.count("failed after") == 10 and "LookupError: no such row" in text and "in fail" in text
    assert text.count(" done in ") == 10


WINDOWED = r"""
import sys
from pathlib import Path
sys.stdout = sys.stderr = None  # what a windowed build (console=False) gets
from PySide6.QtCore import QTimer
from elternlotse.logs import install_logging
from elternlotse.ui.error_reporting import install_error_reporting
from elternlotse.ui.start import make_application

data_dir = Path(sys.argv[1])
with install_logging(data_dir):
    qapp = make_application()
    install_error_reporting(qapp, data_dir)

    def broken_slot():
        raise ZeroDivisionError("division by zero")

    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(300, qapp.quit)
    code = qapp.exec()
sys.exit(code)
"""


@pytest.mark.slow
def test_a_windowed_build_without_stderr_keeps_the_traceback_in_the_log(data_dir, tmp_path):
    import os
    import subprocess
    import sys

    script = tmp_path / "windowed.py"
    script.write_text(WINDOWED, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(script), str(data_dir)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr  # reported, not a crash
    text = logs.log_file(data_dir).read_text(encoding="utf-8")
    assert "unexpected error" in text and "in broken_slot" in text
    assert "ZeroDivisionError: division by zero" in text
