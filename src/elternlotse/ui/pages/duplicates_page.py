"""Duplicates: families recorded twice (by two navigators, or twice at a stand), decided by a person.

The candidate pairs are computed off the GUI thread with progress (``ui.tasks``); selecting a
pair shows both families side by side.  At the office "Merge" (keep the first or the second,
confirmed, "No" is the default) and "Undo merge" act on ``services.duplicates``; a navigator's
laptop shows its own duplicates and "Not the same family", and says that merging is done by
the office.  Nothing is merged without a person choosing it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, ngettext, translate_error
from elternlotse.ui.models.duplicate_models import CandidateModel, ComparisonModel, MergeModel
from elternlotse.ui.models.list_model import RowRole
from elternlotse.ui.pages.sync_page import _table
from elternlotse.ui.tasks import runner_for


class DuplicatesPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Duplicates")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.office = services.store.info.is_office
        self.task = None

        intro = QLabel(_("Families that may have been recorded twice: the same phone number in any notation, the same"
                         " e-mail address or a similar name in another spelling or script. Nothing is merged"
                         " unless you choose it.") if self.office else
                       _("Families on this laptop that may have been recorded twice. Merging is done by the office;"
                         " here you can mark pairs that are not the same family."))
        intro.setWordWrap(True)
        self.find_button = QPushButton(_("Fin&d duplicates"))
        self.find_button.clicked.connect(self.find)
        self.status = QLabel("")

        self.model = CandidateModel(self)
        self.view, self.proxy = _table(self.model)
        self.view.setAccessibleName(_("Candidate pairs"))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected())
        self.comparison = ComparisonModel(self)
        self.comparison_view, _proxy = _table(self.comparison)
        self.comparison_view.setSortingEnabled(False)
        self.comparison_view.setAccessibleName(_("Both families side by side"))

        self.keep_first = QPushButton(_("Merge, keep the fi&rst"))
        self.keep_second = QPushButton(_("Merge, keep the s&econd"))
        self.dismiss_button = QPushButton(_("&Not the same family"))
        self.keep_first.clicked.connect(lambda: self.merge_selected(keep_first=True))
        self.keep_second.clicked.connect(lambda: self.merge_selected(keep_first=False))
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        actions = QHBoxLayout()
        for button in (self.keep_first, self.keep_second):
            button.setVisible(self.office)
            actions.addWidget(button)
        actions.addWidget(self.dismiss_button)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.find_button)
        top.addWidget(self.status, 1)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.view, 2)
        layout.addWidget(self.comparison_view, 2)
        layout.addLayout(actions)

        self.merge_model = MergeModel(self)
        self.merge_view, _merge_proxy = _table(self.merge_model)
        self.merge_view.setAccessibleName(_("Latest merges"))
        self.undo_button = QPushButton(_("&Undo merge"))
        self.undo_button.clicked.connect(self.undo_selected)
        merges = QGroupBox(_("Latest merges"))
        box = QVBoxLayout(merges)
        box.addWidget(self.merge_view)
        box.addWidget(self.undo_button)
        merges.setVisible(self.office)
        layout.addWidget(merges, 1)
        self.setTabOrder(self.find_button, self.view)
        self.setTabOrder(self.view, self.comparison_view)
        self.setTabOrder(self.comparison_view, self.keep_first)
        self.setTabOrder(self.keep_first, self.keep_second)
        self.setTabOrder(self.keep_second, self.dismiss_button)
        self.setTabOrder(self.dismiss_button, self.merge_view)
        self.setTabOrder(self.merge_view, self.undo_button)
        self._enable()

    # ---------------------------------------------------------------- reading
    def refresh(self) -> None:
        if self.office:
            self.merge_model.set_rows(self.services.duplicates.merges())
        self.find_button.setFocus()
        self._enable()

    def find(self):
        """Compute the candidate pairs off the GUI thread; returns the task."""
        self.find_button.setEnabled(False)
        self.status.setText(_("Looking for duplicates..."))
        self.task = runner_for(self).run(lambda services, progress: services.duplicates.candidates(progress),
                                         on_done=self._found, on_error=self._failed,
                                         title=_("Looking for duplicates..."), parent=self)
        return self.task

    def _found(self, candidates) -> None:
        self.find_button.setEnabled(True)
        self.model.set_rows(candidates)
        self.status.setText(ngettext("{count} candidate pair", "{count} candidate pairs",
                                     len(candidates)).format(count=len(candidates)))
        self.comparison.set_rows([])
        if candidates:
            self.view.selectRow(0)
            self.view.setFocus()
        self._enable()

    def _failed(self, error) -> None:
        self.find_button.setEnabled(True)
        self.status.setText("")
        QMessageBox.warning(self, _("Duplicates"), translate_error(error) if isinstance(error, ElternlotseError)
                            else str(error))

    def selected(self):
        index = self.view.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def _show_selected(self) -> None:
        pair = self.selected()
        rows = []
        if pair is not None:
            try:
                rows = self.services.duplicates.compare(pair.first, pair.second)
            except ElternlotseError as error:
                self.status.setText(translate_error(error))
        self.comparison.set_rows(rows)
        self._enable()

    def _enable(self) -> None:
        has_pair = self.selected() is not None
        for button in (self.keep_first, self.keep_second, self.dismiss_button):
            button.setEnabled(has_pair)
        self.undo_button.setEnabled(self.merge_model.rowCount() > 0)

    # ---------------------------------------------------------------- decisions
    def _act(self, fn) -> bool:
        try:
            fn()
        except ElternlotseError as error:
            QMessageBox.warning(self, _("Duplicates"), translate_error(error))
            return False
        return True

    def _drop_selected(self) -> None:
        pair = self.selected()
        self.model.set_rows([c for c in self.model.rows() if c is not pair and not (
            {c.first, c.second} & {pair.first, pair.second})] if pair else self.model.rows())
        self.comparison.set_rows([])
        self.refresh()

    def merge_selected(self, keep_first: bool, confirm=None) -> bool:
        pair = self.selected()
        if pair is None:
            return False
        keep, other = (pair.first, pair.second) if keep_first else (pair.second, pair.first)
        question = self._question(pair, keep, other)
        if question is None:
            return False
        if not (confirm or self._confirm)(question):
            return False
        if self._act(lambda: self.services.duplicates.merge(keep, other)):
            self._drop_selected()
            return True
        return False

    def _question(self, pair, keep: str, other: str) -> str | None:
        """The confirmation; across navigators it says whose list the absorbed family moves to."""
        labels = {pair.first: pair.first_label or pair.first, pair.second: pair.second_label or pair.second}
        try:
            keep_owner, other_owner = self.services.duplicates.owners(keep, other)
        except ElternlotseError as error:
            QMessageBox.warning(self, _("Duplicates"), translate_error(error))
            return None
        if keep_owner != other_owner:
            holder = self.services.duplicates.holder
            return _("Merge \u201c{other}\u201d into \u201c{keep}\u201d? The two families belong to different navigators:"
                     " \u201c{other}\u201d with every person, consent entry and checklist tick moves to the list of"
                     " {navigator}, and the laptop of {former} keeps only a pointer to it. The merge can be undone"
                     " here.").format(other=labels[other], keep=labels[keep], navigator=holder(keep_owner),
                                      former=holder(other_owner))
        return _("Merge \u201c{other}\u201d into \u201c{keep}\u201d? Every person, consent entry and checklist tick"
                 " moves to the family kept; the merge can be undone here.").format(
            other=labels[other], keep=labels[keep])

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, _("Merge families?"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def dismiss_selected(self) -> bool:
        pair = self.selected()
        if pair is None or not self._act(lambda: self.services.duplicates.dismiss(pair.first, pair.second)):
            return False
        self.model.set_rows([c for c in self.model.rows() if c is not pair])
        self.comparison.set_rows([])
        self._enable()
        return True

    def undo_selected(self) -> bool:
        index = self.merge_view.currentIndex()
        merge = index.data(RowRole) if index.isValid() else self.merge_model.row_at(0)
        if merge is None or not self._act(lambda: self.services.duplicates.undo(merge.id)):
            return False
        self.status.setText(_("Merge {id} undone: {other} and {keep} are two families again.").format(
            id=merge.id, other=merge.other, keep=merge.keep))
        self.refresh()
        return True
