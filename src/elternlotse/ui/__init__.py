"""The desktop app (PySide6).  The only package that imports Qt."""

from elternlotse.ui import qt_workarounds  # noqa: F401  (PySide6 6.12 / CPython 3.11 refcount bug, see there)
