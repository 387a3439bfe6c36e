"""The log file: where it lives, what may go into it, how errors are written down.

``<data folder>/logs/elternlotse.log``, rotated at about 1 MB (three older files
kept), readable only by the owner (0600, folder 0700).  Each entry point sets it
up once (``entry.main`` for the CLI and the desktop app) with
``install_logging(data_dir)``; importing this module does nothing.

**No personal data.**  Modules log with ``logging.getLogger(__name__)`` and write
only ids, counts, kinds, error types and durations, never names, phone numbers,
e-mail addresses, notes, addresses or search text.  Errors are formatted here,
never with the standard formatter:

* tracebacks without local variables (file, line, function and source line only);
* our domain errors (``ElternlotseError``) as type and **msgid**: their formatted
  message may hold what a person typed, the msgid ("{field}: '{value}' is not a
  role.") does not;
* other exceptions: the messages Python and SQLite write about the code
  (AttributeError, TypeError, OSError, KeyError, sqlite errors, ...) pass through
  ``scrub``, which replaces quoted text, e-mail addresses and long digit runs
  (phone numbers); any other message (ValueError, RuntimeError, a library's own
  error) is withheld, only the type is written; Qt's messages are scrubbed.

Like ``locations.py`` this module sits outside the layers: every entry point
needs it before any store is open, and the layers below never import it (they use
the standard ``logging`` module only).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from elternlotse.domain.errors import ElternlotseError

LOGGER_NAME = "elternlotse"
LOG_FOLDER = "logs"
LOG_NAME = "elternlotse.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3

log = logging.getLogger(__name__)


def log_folder(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_FOLDER


def log_file(data_dir: Path) -> Path:
    return log_folder(data_dir) / LOG_NAME


# ------------------------------------------------------------------ safe formatting
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_EMAIL = re.compile(r"[^\s@'\"<>(),;]+@[^\s@'\"<>(),;]+")
_DIGITS = re.compile(r"\+?\d[\d ()/.\-]{4,}\d")


def scrub(text: str) -> str:
    """``text`` without what could be a person's data: quoted text, e-mail addresses, digit runs."""
    text = _QUOTED.sub("'<redacted>'", text)
    text = _EMAIL.sub("<e-mail>", text)
    return _DIGITS.sub("<number>", text)


#: Errors whose messages Python or SQLite write about the *code* ("'NoneType' object has no
#: attribute 'id'", "no such table: x", "[Errno 13] Permission denied: '<path>'"): kept, scrubbed.
#: Any other message (ValueError, RuntimeError, a library's own errors) may repeat what a person
#: typed ("invalid literal for int(): 'Ayşe'"), so only the error's type is written.
_CODE_MESSAGES = (AttributeError, NameError, TypeError, ImportError, LookupError, ArithmeticError, RecursionError,
                  NotImplementedError, OSError, MemoryError)
_CODE_MESSAGE_MODULES = ("sqlite3", "sqlcipher3")
#: The interpreter quotes names of types, attributes and modules in these ("'NoneType' object has no
#: attribute 'id'"): quoted identifiers are kept there; a KeyError's quoted key is data and is not.
_NAMES_QUOTED = (AttributeError, NameError, TypeError, ImportError)
_IDENTIFIER = re.compile(r"'[A-Za-z_][A-Za-z0-9_.]{0,60}'")
WITHHELD = "<message withheld>"


def describe(error: BaseException) -> str:
    """One line naming the error: ``module.Type: msgid`` (domain), ``Type: scrubbed message`` or ``Type: <message withheld>``."""
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ in ("builtins", "__main__") else f"{kind.__module__}.{kind.__qualname__}"
    if isinstance(error, ElternlotseError):
        return f"{name}: {error.message_id}"
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - an error that cannot print itself still gets its line
        message = "<unprintable>"
    if not message:
        return name
    if isinstance(error, _NAMES_QUOTED):
        names = _IDENTIFIER.findall(message)
        text = scrub(_IDENTIFIER.sub("\0", message))
        for quoted in names:
            text = text.replace("\0", quoted, 1)
        return f"{name}: {text}"
    if isinstance(error, _CODE_MESSAGES) or kind.__module__.split(".")[0] in _CODE_MESSAGE_MODULES:
        return f"{name}: {scrub(message)}"
    return f"{name}: {WITHHELD}"


def format_exception(error: BaseException) -> str:
    """The traceback of ``error`` and its causes, without locals and without personal data."""
    return "".join(_chain(error, set()))


def _chain(error: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(error))
    lines: list[str] = []
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in seen:
        lines += _chain(cause, seen)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not error.__suppress_context__ and id(context) not in seen:
        lines += _chain(context, seen)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if error.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_tb(error.__traceback__)
    lines.append(describe(error) + "\n")
    return lines


class SafeFormatter(logging.Formatter):
    """UTC times; exceptions through ``format_exception`` (never ``traceback.format_exception``)."""

    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__("%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s [%(threadName)s] %(message)s",
                         "%Y-%m-%dT%H:%M:%S")

    def formatException(self, ei) -> str:
        error = ei[1] if ei and ei[1] is not None else None
        return format_exception(error).rstrip("\n") if error is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None  # never reuse a text another formatter made
        return super().format(record)


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating file that only its owner can read, also after each rollover."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # a file made earlier with a wider mode
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


class LogFile:
    """The installed log: ``path``, ``close()``; also a context manager (closed on exit)."""

    def __init__(self, path: Path | None, handler: logging.Handler | None, before: tuple[bool, int] = (True, 0)) -> None:
        self.path = path
        self._handler = handler
        self._before = before  # the logger's propagate flag and level before install

    def close(self) -> None:
        """Flush and close the file; the ``elternlotse`` logger is as it was before."""
        if self._handler is not None:
            logger = logging.getLogger(LOGGER_NAME)
            logger.removeHandler(self._handler)
            logger.propagate, level = self._before
            logger.setLevel(level)
            self._handler.close()
            self._handler = None

    def __enter__(self) -> "LogFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def install_logging(data_dir: Path, level: int = logging.INFO, max_bytes: int = MAX_BYTES,
                    backup_count: int = BACKUP_COUNT) -> LogFile:
    """Send the ``elternlotse`` loggers to ``<data_dir>/logs/elternlotse.log``.

    Logging is best effort: a folder that cannot be written gives a ``LogFile``
    with ``path`` None, and the program carries on.
    """
    path: Path | None = log_file(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = _PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=backup_count,
                                                               encoding="utf-8")
    except OSError:
        # No file: warnings and errors to stderr, still through the safe formatter (never logging's last resort).
        path, handler = None, logging.StreamHandler() if sys.stderr is not None else logging.NullHandler()
        handler.setLevel(logging.WARNING)
    handler.setFormatter(SafeFormatter())
    logger = logging.getLogger(LOGGER_NAME)
    before = (logger.propagate, logger.level)
    logger.setLevel(level)
    logger.addHandler(handler)
    # Only this handler formats our records: a root handler set up by a library (basicConfig) would
    # print domain errors' messages with the values in them, and would keep records (and frames) alive.
    logger.propagate = False
    return LogFile(path, handler, before)


def enable_fault_log(data_dir: Path) -> IO[str] | None:
    """A hard crash (a fault inside Qt, an abort) writes the Python stacks to ``logs/faults.log``.

    ``faulthandler`` writes file names, lines and function names only, never values.
    Keep the returned file open for as long as the program runs.
    """
    import faulthandler

    path = log_folder(data_dir) / "faults.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        stream = open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a", encoding="utf-8")  # noqa: SIM115
    except OSError:
        return None
    faulthandler.enable(stream, all_threads=True)
    return stream


def log_start(kind: str) -> None:
    """The first line of a run: program kind, version, Python, system (no user or host names)."""
    import platform

    from elternlotse import __version__

    log.info("start %s version=%s python=%s system=%s %s frozen=%s", kind, __version__, platform.python_version(),
             platform.system(), platform.release(), bool(getattr(sys, "frozen", False)))


def report_cli_crash(error: BaseException, err: IO[str] | None, path: Path | None) -> int:
    """A CLI command failed in a way we did not foresee: log the traceback, print one sentence, exit 1."""
    from elternlotse.i18n import _

    log.critical("command failed unexpectedly", exc_info=error)
    if err is not None:
        if path is not None:
            text = _("Elternlotse stopped because of an unexpected error ({error}). The details are in {path}.")
        else:
            text = _("Elternlotse stopped because of an unexpected error ({error}).")
        err.write(text.format(error=type(error).__name__, path=str(path)) + "\n")
    return 1
