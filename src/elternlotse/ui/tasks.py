"""Run service calls off the GUI thread; progress and results come back on the GUI thread.

The rule (see docs/architecture.md, "Threads and the store"):

* The GUI thread owns ``services`` (the one passed to every page).  It uses it
  for short reads (a page of the family list, one family) and short writes
  (saving one family).  Slots stay short.
* Everything that can take longer than a blink (import, export, sync, demo data,
  erasing, rendering many handouts) is a *task*: a function
  ``fn(services, progress)`` that runs on **one** background thread (a
  single-writer executor, Anki-style).  That thread has **its own** ``Services``
  opened on the same data folder (a second SQLCipher connection; WAL lets the
  GUI keep reading while the task writes).  Tasks therefore never share a
  connection or a transaction with the GUI thread, and they run one after the
  other, never interleaved.
* ``on_done(result)`` / ``on_error(error)`` are called on the GUI thread, so they
  may touch widgets; afterwards pages ``refresh()``.

Usage from a page::

    def _export(self):
        self.tasks.run(lambda services, progress: services.families.document(fid),
                       on_done=self._show, title=_("Preparing the access copy..."), parent=self)

``progress(done, total, text="")`` reports progress; ``progress.cancelled``
becomes true when the person pressed "Cancel" (stop at the next safe point and
return).  A task that needs no store just ignores its ``services`` argument.

Every task is logged with its function's name and duration; a failure with its
type (a domain error with its msgid) and, when unexpected, its traceback
(``elternlotse.logs``: no locals, no personal data).  A finished task is
released: the runner keeps a task only while it runs, and nothing of the task's
(result, error, function) stays reachable from Qt once it has ended.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from PySide6 import QtCore
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, translate_error
from elternlotse.logs import format_exception

log = logging.getLogger(__name__)


class Progress:
    """Handed to a task: ``progress(done, total, text)``; ``progress.cancelled`` to stop early."""

    def __init__(self, signals: "_Signals") -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int = 0, text: str = "") -> None:
        self._signals.progress.emit(int(done), int(total), str(text))

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)


class Task(QObject):
    """Handle of one submitted task (lives on the GUI thread)."""

    progressed = Signal(int, int, str)
    finished = Signal(object)       # the result
    failed = Signal(object)         # the exception
    ended = Signal()                # after finished or failed

    def __init__(self, parent: QObject | None = None, on_end: Callable[["Task"], None] | None = None) -> None:
        super().__init__(parent)
        self._on_end = on_end  # the runner lets go of the task (a plain call: no connection keeps it alive)
        self.signals = _Signals()
        self.progress = Progress(self.signals)
        self.result: Any = None
        self.error: BaseException | None = None
        self.is_done = False
        queued = QtCore.Qt.ConnectionType.QueuedConnection  # at run time: the Qt namespace costs 50-80 ms once
        self.signals.progress.connect(self.progressed, queued)
        self.signals.done.connect(self._on_done, queued)
        self.signals.failed.connect(self._on_failed, queued)

    def cancel(self) -> None:
        self.progress.cancel()

    def _on_done(self, result: Any) -> None:
        self.result, self.is_done = result, True
        self.finished.emit(result)
        self._end()

    def _on_failed(self, error: BaseException) -> None:
        self.error, self.is_done = error, True
        self.failed.emit(error)
        self._end()

    def _end(self) -> None:
        self.ended.emit()
        on_end, self._on_end = self._on_end, None
        if on_end is not None:
            on_end(self)


class _Runnable(QRunnable):
    def __init__(self, runner: "TaskRunner", task: Task, fn: Callable) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.runner, self.task, self.fn = runner, task, fn

    def run(self) -> None:  # on the worker thread
        task, fn, runner = self.task, self.fn, self.runner
        self.task = self.fn = self.runner = None  # the runnable's wrapper may outlive the run: keep nothing
        signals, name = task.signals, _task_name(fn)
        started = time.monotonic()
        try:
            result = fn(runner._worker_services(), task.progress)
        except BaseException as error:  # every failure goes back to the GUI (and into the log)
            ms = int((time.monotonic() - started) * 1000)
            if isinstance(error, ElternlotseError):
                log.info("task %s refused after %d ms: %s %s", name, ms, type(error).__name__, error.message_id)
            else:
                log.error("task %s failed after %d ms", name, ms, exc_info=error)
                error.formatted = format_exception(error)  # type: ignore[attr-defined]
            _drop_tracebacks(error)  # their frames hold the task's locals: do not keep them alive with the error
            signals.failed.emit(error)
        else:
            log.info("task %s done in %d ms", name, int((time.monotonic() - started) * 1000))
            signals.done.emit(result)


def _drop_tracebacks(error: BaseException) -> None:
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        current.__traceback__ = None
        stack += [current.__cause__, current.__context__]


def _task_name(fn: Callable) -> str:
    """``module.function`` of a task (code names only, never its arguments)."""
    inner = getattr(fn, "func", fn)  # functools.partial
    return f"{getattr(inner, '__module__', '?')}.{getattr(inner, '__qualname__', type(inner).__name__)}"


def error_text(error: BaseException) -> str:
    """The sentence to show for a failed task."""
    if isinstance(error, ElternlotseError):
        return translate_error(error)
    if isinstance(error, OSError):  # a full or vanished disk while saving: its true sentence
        from pathlib import Path

        from elternlotse.store.safekeeping import fault_error

        fault = fault_error(error, Path(str(error.filename)).parent if error.filename else Path("."))
        if fault is not None:
            return translate_error(fault, isolate=True)
    return _("Something went wrong: {error}").format(error=str(error) or type(error).__name__)


class TaskRunner(QObject):
    """A single-writer executor: tasks run one at a time on one background thread.

    ``opener`` builds the worker's own ``Services`` (called once, lazily, on the
    worker thread), e.g. ``lambda: app.open_store(data_dir, passphrase)``.  Pass
    ``opener=None`` for tasks that never touch the store.
    """

    def __init__(self, opener: Callable[[], Any] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._opener = opener
        self._services: Any = None
        self._lock = threading.Lock()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._tasks: set[Task] = set()

    def _worker_services(self):
        with self._lock:
            if self._services is None and self._opener is not None:
                self._services = self._opener()
            return self._services

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def submit(self, fn: Callable[[Any, Progress], Any]) -> Task:
        """Queue ``fn(services, progress)``; connect to the returned ``Task``'s signals."""
        # No Qt parent and no closure over the task in a connection: either would keep every
        # finished task (and its result) alive for as long as the runner lives.
        task = Task(None, on_end=self._tasks.discard)
        self._tasks.add(task)
        self._pool.start(_Runnable(self, task, fn))
        return task

    def run(self, fn: Callable[[Any, Progress], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, title: str = "",
            parent: QWidget | None = None, cancellable: bool = False, delay_ms: int = 400) -> Task:
        """Submit ``fn`` and wire the callbacks; with ``title`` show a progress dialog.

        The dialog appears only if the task takes longer than ``delay_ms``.
        Without ``on_error`` a failure is shown in a message box over ``parent``.
        """
        task = self.submit(fn)
        if on_done is not None:
            task.finished.connect(on_done)
        if on_error is not None:
            task.failed.connect(on_error)
        else:
            task.failed.connect(lambda error: _show_error(parent, error))
        if title:
            dialog = QProgressDialog(title, _("Cancel") if cancellable else "", 0, 0, parent)
            dialog.setWindowTitle(title)
            modality = QtCore.Qt.WindowModality
            dialog.setWindowModality(modality.WindowModal if parent else modality.ApplicationModal)
            dialog.setMinimumDuration(delay_ms)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if not cancellable:
                dialog.setCancelButton(None)
            else:
                dialog.canceled.connect(task.cancel)

            def on_progress(done: int, total: int, text: str) -> None:
                dialog.setMaximum(max(total, 0))
                dialog.setValue(min(done, total) if total else 0)
                if text:
                    dialog.setLabelText(text)

            task.progressed.connect(on_progress)
            task.ended.connect(dialog.close)
            task.ended.connect(dialog.deleteLater)
            dialog.setValue(0)
            task.dialog = dialog  # type: ignore[attr-defined]
        return task

    def wait(self, msecs: int = -1) -> bool:
        """Block until the queue is empty (shutdown, lock, tests)."""
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Wait for running tasks and close the worker's store connection."""
        for task in list(self._tasks):
            task.cancel()
        self._pool.waitForDone()
        with self._lock:
            if self._services is not None:
                self._services.store.close()
                self._services = None


    def set_opener(self, opener: Callable[[], Any] | None) -> None:
        """After ``shutdown``: forget the old opener (a lock forgets the passphrase) or give a new one."""
        with self._lock:
            self._opener = opener


def _show_error(parent: QWidget | None, error: BaseException) -> None:
    """A refusal (domain error) as its sentence; anything unexpected in the app's one error dialog."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from elternlotse.ui.error_reporting import ErrorReporter

    reporter = None if isinstance(error, ElternlotseError) else ErrorReporter.of(QApplication.instance())
    if reporter is not None:
        reporter.report(error, logged=True)  # the worker logged it with its traceback
    else:
        QMessageBox.warning(parent, _("Elternlotse"), error_text(error))


def runner_for(widget: QObject) -> TaskRunner:
    """The ``TaskRunner`` of the window that holds ``widget`` (pages call this when they need one).

    The main window sets ``tasks`` on itself; outside a main window (tests, a
    page shown alone) a runner without store is created once per top-level widget.
    """
    node: QObject | None = widget
    while node is not None:
        runner = getattr(node, "tasks", None)
        if isinstance(runner, TaskRunner):
            return runner
        node = node.parent()
    top = widget.window() if isinstance(widget, QWidget) else widget
    top.tasks = TaskRunner(None, top)  # type: ignore[attr-defined]
    return top.tasks  # type: ignore[attr-defined]
