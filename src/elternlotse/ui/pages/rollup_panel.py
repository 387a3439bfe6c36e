"""The Reports page's roll-up part (office stores only): export a roll-up, import roll-ups, pick the source.

An office exports its protected aggregates of the page's period as a signed file for its Land
office; a Land office imports many (each file on its own: a refused file is listed with its
sentence and the others go on) and then reports one level up.  When the store holds roll-ups,
"Figures from" picks this office's own records or the imported roll-ups (``ReportService.build``'s
``source``).  The service calls run in the background (``ui.tasks``); docs/report.md.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.text import N_
from elternlotse.i18n import _
from elternlotse.i18n.formatting import format_date, ui_value
from elternlotse.ui.models.rollup_models import RESULT, RollupResultModel, refusal_text
from elternlotse.ui.tasks import runner_for

_SOURCES = (("rollups", N_("Imported roll-ups")), ("own", N_("This office's own records")))


def _filter() -> str:
    return ";;".join((_("Roll-up files (*.elrollup)"), _("All files (*)")))


class RollupPanel(QWidget):
    """Buttons and result list; ``period()`` gives the page's (first, last) as ISO dates."""

    message = Signal(str)     # one sentence for the page's status line
    imported = Signal()       # roll-ups were stored: the page counts again
    source_changed = Signal()

    def __init__(self, services, period, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.period = period
        self.source_label = QLabel(_("Figures from:"))
        self.source = QComboBox()
        for key, label in _SOURCES:
            self.source.addItem(_(label), key)
        self.source.setAccessibleName(_("Figures from:").rstrip(":"))
        self.source_label.setBuddy(self.source)
        self.source.currentIndexChanged.connect(lambda _index: self.source_changed.emit())
        self.export_button = QPushButton(_("E&xport roll-up..."))
        self.export_button.setToolTip(_("The protected figures of the period, signed, for the Land office"))
        self.export_button.clicked.connect(self._export)
        self.import_button = QPushButton(_("&Import roll-ups..."))
        self.import_button.setToolTip(_("Roll-up files of the offices: the report one level up"))
        self.import_button.clicked.connect(self._import)
        self.model = RollupResultModel(self)
        self.results = QTableView()
        self.results.setModel(self.model)
        self.results.setAccessibleName(_("Imported files"))
        self.results.verticalHeader().hide()
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setWordWrap(True)
        self.results.horizontalHeader().setSectionResizeMode(RESULT, QHeaderView.ResizeMode.Stretch)
        self.results.setMaximumHeight(140)
        self.results.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.source_label)
        row.addWidget(self.source)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.results)
        self.update_source()

    def source_key(self) -> str:
        """The report's ``source``: the visible choice, else ``auto`` (only one source exists)."""
        return self.source.currentData() if self.source.isVisibleTo(self) else "auto"

    def update_source(self) -> None:
        """The switch only when there is a choice: the store holds roll-ups."""
        shown = self.services.rollups.any_stored()
        self.source_label.setVisible(shown)
        self.source.setVisible(shown)

    # ---------------------------------------------------------------- export
    def _export(self) -> None:
        first, last = self.period()
        try:
            self.services.rollups.land_office()   # refuse before the file dialog: no Land office, no file
        except ElternlotseError as error:
            self.message.emit(refusal_text(error))
            return
        title = _("E&xport roll-up...").replace("&", "")
        path, _chosen = QFileDialog.getSaveFileName(self, title, f"rollup-{first}-{last}.elrollup", _filter())
        if path:
            self.export(path, first, last)

    def export(self, path: str, first: str, last: str) -> None:
        def write(services, progress):
            return services.rollups.export(path, first, last)

        self.export_button.setEnabled(False)
        runner_for(self).run(write, on_done=lambda document: self._exported(path, document), on_error=self._failed,
                             title=_("Writing the roll-up..."), parent=self)

    def _exported(self, path: str, document) -> None:
        self.export_button.setEnabled(True)
        self.message.emit(_("Roll-up for {first} to {last} written: {path}").format(
            first=format_date(date.fromisoformat(document["first"]), "short"),
            last=format_date(date.fromisoformat(document["last"]), "short"), path=ui_value(path)))

    # ---------------------------------------------------------------- import
    def _import(self) -> None:
        paths, _chosen = QFileDialog.getOpenFileNames(self, _("&Import roll-ups...").replace("&", ""), "", _filter())
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        def read(services, progress):
            return services.rollups.import_each(paths, progress)

        self.import_button.setEnabled(False)
        runner_for(self).run(read, on_done=self._imported, on_error=self._failed, title=_("Reading roll-ups..."),
                             parent=self)

    def _imported(self, outcomes) -> None:
        self.import_button.setEnabled(True)
        self.model.set_rows(outcomes)
        self.results.show()
        self.results.resizeRowsToContents()
        stored = sum(o.outcome in ("stored", "replaced") for o in outcomes)
        refused = sum(o.outcome == "refused" for o in outcomes)
        self.message.emit(_("Roll-ups stored: {stored}; refused: {refused}; already stored: {known}.").format(
            stored=stored, refused=refused, known=len(outcomes) - stored - refused))
        self.update_source()
        if stored:
            self.source.setCurrentIndex(self.source.findData("rollups"))
            self.imported.emit()

    def _failed(self, error) -> None:
        self.export_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.message.emit(refusal_text(error))
