"""Files the user saves that hold personal data: owner-only from the first byte, and said once.

Access copies, personalised handouts and call lists leave the encrypted store when they
are saved.  They are written through a temporary file created ``0600`` in the target
folder and renamed (complete or absent), and the first such save in a store tells the
person, once, that the file is no longer protected by the store.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from elternlotse.i18n import _
from elternlotse.services.notices import SAVED_FILES


def write_private(path: str | os.PathLike, render: Callable[[str], None]) -> Path:
    """``render(tmp_path)`` writes the file; it appears at ``path`` owner-only and complete."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))  # 0600
    os.close(fd)
    try:
        render(tmp)
        if os.path.getsize(tmp) == 0:
            raise OSError(f"nothing was written to {target}")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def write_private_bytes(path: str | os.PathLike, data: bytes) -> Path:
    return write_private(path, lambda tmp: Path(tmp).write_bytes(data))


def tell_once(parent: QWidget | None, services) -> None:
    """The first saved file with personal data in this store: say that it leaves the encrypted store."""
    if services is None or not services.notices.first_time(SAVED_FILES):
        return
    box = QMessageBox(QMessageBox.Icon.Information, _("Saved outside the encrypted store"),
                      _("This file holds personal data and is not protected by the encrypted store: "
                        "only you can open it on this computer, but keep it safe and delete it when it is no longer needed."),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("saved_file_notice")
    box.open()


def saved(parent: QWidget | None, services, path: str | os.PathLike, write: Callable[[], object]) -> bool:
    """Run ``write()`` (one of the writers above); say once that the file left the store, or why it failed."""
    try:
        write()
    except OSError as error:
        reason = error.strerror or str(error)
        QMessageBox.warning(parent, _("Not saved"), _("The file {path} cannot be saved ({reason}); nothing was saved.")
                            .format(path=str(path), reason=reason))
        return False
    tell_once(parent, services)
    return True
