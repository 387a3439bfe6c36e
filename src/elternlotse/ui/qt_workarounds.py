"""Workarounds for bugs in the Qt binding, applied once when ``elternlotse.ui`` is imported.

PySide6 6.12 on CPython 3.11 drops references to the singletons ``None``,
``True`` and ``False`` that it does not own:

* C++ calling a Python ``data()``/``headerData()`` override that returns ``None``
  (the usual "no value for this role"): one reference to ``None`` per call.
  Views call ``data()`` thousands of times a second.
* Emitting a Python ``Signal(object)`` or ``Signal(bool)`` with ``True`` or
  ``False``: one reference to ``True`` per emission (for either value).

Their reference counts sink until the interpreter aborts with "Fatal Python
error: none_dealloc / bool_dealloc" (seen at exit after a few test modules; in a
long session it would happen while the navigator works).  Measured: 300 calls
lower ``sys.getrefcount(None)`` (or ``True``) by exactly 300; text and numbers
are not affected.

From CPython 3.12 on, these objects are immortal and the lost references do no
harm.  On 3.11 we give them a reference count so large (2**40) that the leak can
never reach zero; they are never freed anyway, so nothing else changes.
Remove this module once the binding is fixed (check with ``none_leak_per_call``).
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40


def immortalise_singletons() -> bool:
    """Raise the reference counts of None, True and False out of reach of the leaks; True if needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt: the first field of every object
        if refcount.value < _HEADROOM:
            refcount.value += _HEADROOM
    return True


def none_leak_per_call(calls: int = 200) -> float:
    """References to ``None`` lost per C++ call of a Python ``data()`` returning None (0.0 when fixed)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex

    class Probe(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):  # noqa: N802
            return 1

        def columnCount(self, parent=QModelIndex()):  # noqa: N802
            return 1

        def data(self, index, role=0):
            return None

    model = Probe()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(calls):
        index.data()
    return (before - sys.getrefcount(None)) / calls


immortalise_singletons()
