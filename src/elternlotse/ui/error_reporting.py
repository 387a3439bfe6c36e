"""Errors nobody caught, in the desktop app: logged, then shown in one dialog (Anki, Vorta).

``install_error_reporting(qapp, data_dir)`` (``ErrorReporter(qapp, log_path).install()``
and the fault log) is called once by the desktop's composition root
(``ui.start.run_desktop``), never at import time.  It takes over

* ``sys.excepthook``: exceptions that escape a slot or a Qt virtual method (PySide
  hands them to the hook, and the app goes on), or the main loop;
* ``threading.excepthook``: exceptions that end a Python thread;
* Qt's message handler (``qInstallMessageHandler``): Qt's debug, info and warning
  messages go to the log; critical ones also to the dialog; a fatal one is logged
  and flushed before Qt aborts.

Each report is written to the log (``elternlotse.logs``: no locals, no personal
data) on the thread where it happened, then handed to the GUI thread through a
queued signal, where one ``ErrorDialog`` collects them.  ``uninstall()`` puts the
previous hooks back (tests).
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QtMsgType, Signal, qInstallMessageHandler, qVersion
from PySide6.QtWidgets import QApplication

from elternlotse.logs import describe, format_exception, scrub

log = logging.getLogger(__name__)
qt_log = logging.getLogger("elternlotse.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def install_error_reporting(qapp: QApplication, data_dir: Path) -> "ErrorReporter":
    """The desktop's composition root calls this once: uncaught errors and Qt's messages to the
    log and one dialog; hard crashes (faults inside Qt) to ``logs/faults.log``."""
    from elternlotse.logs import enable_fault_log, log_file

    reporter = ErrorReporter(qapp, log_file(data_dir)).install()
    enable_fault_log(data_dir)  # faulthandler holds the file open until the process ends
    return reporter


class ErrorReporter(QObject):
    reported = Signal(str, str)  # (error type, details): queued to the GUI thread

    def __init__(self, qapp: QApplication, log_path: Path | None = None) -> None:
        super().__init__(qapp)
        self.log_path = log_path
        self.dialog = None
        self._previous: tuple | None = None
        self._last = ("", 0)  # (details of the last report, times in a row): a paint loop must not flood the log
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    @staticmethod
    def of(qapp: QApplication | None) -> "ErrorReporter | None":
        """The reporter installed on ``qapp``, if any (tasks use it for unexpected failures)."""
        if qapp is None:
            return None
        installed = [r for r in qapp.findChildren(ErrorReporter) if r._previous is not None]
        return installed[-1] if installed else None

    # ---------------------------------------------------------------- hooks
    def install(self) -> "ErrorReporter":
        previous_qt = qInstallMessageHandler(self._qt_message)
        self._previous = (sys.excepthook, threading.excepthook, previous_qt)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook
        import PySide6

        log.info("error reporting installed; Qt %s, PySide6 %s, platform %s", qVersion(), PySide6.__version__,
                 QApplication.platformName())
        return self

    def uninstall(self) -> None:
        if self._previous is None:
            return
        sys.excepthook, threading.excepthook, previous_qt = self._previous
        qInstallMessageHandler(previous_qt)
        self._previous = None

    def _excepthook(self, kind, error, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in the terminal that started the app
            QApplication.quit()
            return
        if error is None:
            error = kind()
        self.report(error.with_traceback(tb) if tb is not None else error)

    def _thread_excepthook(self, hook_args) -> None:
        if hook_args.exc_type is SystemExit:
            return
        error = hook_args.exc_value if hook_args.exc_value is not None else hook_args.exc_type()
        self.report(error, thread=getattr(hook_args.thread, "name", ""))

    def _qt_message(self, mode, context, message) -> None:
        level = _QT_LEVELS.get(mode, logging.WARNING)
        text = scrub(message or "")
        qt_log.log(level, "%s: %s", getattr(context, "category", "") or "qt", text)
        if mode == QtMsgType.QtFatalMsg:
            for handler in logging.getLogger("elternlotse").handlers:
                handler.flush()
        elif mode == QtMsgType.QtCriticalMsg:
            self.reported.emit("Qt", f"Qt critical message: {text}")

    # ---------------------------------------------------------------- reports
    def report(self, error: BaseException, thread: str = "", logged: bool = False) -> None:
        """Log ``error`` (unless already ``logged``) and show it in the dialog; any thread."""
        details = getattr(error, "formatted", None) or format_exception(error)
        if thread:
            details = f"Thread {thread}:\n{details}"
        last, times = self._last
        self._last = (details, times + 1 if details == last else 1)
        if details == last and times >= 3:
            if times + 1 in (10, 100, 1000) or (times + 1) % 10_000 == 0:
                log.error("the same unexpected error again (%d times in a row): %s", times + 1, describe(error))
            return
        if not logged:
            log.error("unexpected error%s", f" in thread {thread}" if thread else "", exc_info=error)
        self.reported.emit(type(error).__name__, details)

    def _show(self, error_name: str, details: str) -> None:
        from elternlotse.ui.dialogs.error_dialog import ErrorDialog

        if self.dialog is None:
            self.dialog = ErrorDialog(self.log_path)  # no parent: a window rebuilt on lock must not take it along
            self.dialog.finished.connect(self._closed)
        self.dialog.add(error_name, details)
        self.dialog.show()
        self.dialog.raise_()

    def _closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
