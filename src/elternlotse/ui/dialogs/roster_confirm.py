"""The two questions of the Navigators page before something is gone: delete hours, remove a navigator.

Each box is opened window-modal and returned (a test answers it by keyboard); the default button
is the harmless one, so Enter on a misclick deletes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from elternlotse.domain.roster import ACTIVITY_LABELS, HoursEntry
from elternlotse.i18n import _
from elternlotse.i18n.formatting import format_date, format_number, isolate


def ask_delete_hours(parent: QWidget, entry: HoursEntry, delete: Callable[[], None]) -> QMessageBox:
    what = entry.activity or _(ACTIVITY_LABELS[entry.kind])
    box = QMessageBox(QMessageBox.Icon.Question, _("Delete hours"),
                      _("Delete the entry of {day}: {hours} h, {activity}?").format(
                          day=isolate(format_date(date.fromisoformat(entry.on))), hours=isolate(format_number(entry.hours)),
                          activity=isolate(what)),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setInformativeText(_("The allowance tallies are counted again without it."))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.finished.connect(lambda _result: delete() if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
                         else None)
    box.open()
    return box


def ask_remove_navigator(parent: QWidget, name: str, remove: Callable[[], None]) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, _("Remove navigator"),
                      _("Remove {name} from the roster?").format(name=isolate(name)), parent=parent)
    box.setInformativeText(_("Everything the office keeps about them is erased from this computer: the details,"
                             " the training modules, the police-record check date, all hours and allowances."
                             " Print a certificate first if they need one. This cannot be undone."))
    erase = box.addButton(_("&Remove"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.finished.connect(lambda _result: remove() if box.clickedButton() is erase else None)
    box.open()
    return box
