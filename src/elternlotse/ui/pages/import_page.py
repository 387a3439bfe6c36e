"""Import (office): an office's list of families in, after a dry run; families, contacts, events out as XLSX.

Reading the file, the dry run, the import and the export run off the GUI thread (``ui.tasks``);
the page shows the column mapping (editable: a column is picked in the table, its field below),
the dry run's rows with row numbers and reasons, and the counts.  The rules are the service's
(``services.sheet_import``, ``services.sheet_export``); nothing is written before "Import".
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.sheet_mapping import FIELDS, Mapping, parse_mapping
from elternlotse.domain.text import N_
from elternlotse.i18n import _, active_language, ngettext, translate_error, translator
from elternlotse.i18n.formatting import own_language_name
from elternlotse.i18n.languages import UI_LANGUAGES
from elternlotse.ui.models.import_models import NOT_IMPORTED, DryRunModel, MappingModel
from elternlotse.ui.saved_files import tell_once, write_private_bytes
from elternlotse.ui.tasks import error_text, runner_for

_EXPORTS = (("families", N_("Families")), ("contacts", N_("Contacts")), ("events", N_("Events")))
MAX_MAPPING_BYTES = 256 * 1024


def _open_sheet(path: str, sheet: str | None):
    def task(services, progress):
        data = services.sheet_import.read(path, sheet)
        try:
            return data.headers, data.sheet_names, data.name, services.sheet_import.mapping_for(data)
        finally:
            data.close()
    return task


def _run_import(path: str, sheet: str | None, mapping_json: str, dry_run: bool):
    def task(services, progress):
        return services.sheet_import.run(path, mapping_json, sheet, dry_run=dry_run,
                                         progress=lambda n: progress(n, 0, _("{count} rows checked").format(count=n)))
    return task


def _export(kind: str, path: str, language: str):
    def task(services, progress):
        return services.sheet_export.write(kind, path, translator(language))
    return task


class ImportPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Import")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.path = ""
        self.headers: list[str] = []
        self.plan = None
        self.file_field = QLineEdit()
        self.file_field.setReadOnly(True)
        self.file_field.setAccessibleName(_("File"))
        self.choose_button = QPushButton(_("&Choose file..."))
        self.choose_button.clicked.connect(self._choose)
        self.sheet_choice = QComboBox()
        self.sheet_choice.setAccessibleName(_("Sheet"))
        self.sheet_choice.activated.connect(self._sheet_chosen)
        top = QHBoxLayout()
        top.addWidget(self._label(_("File:"), self.file_field))
        top.addWidget(self.file_field, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self._label(_("Sheet:"), self.sheet_choice))
        top.addWidget(self.sheet_choice)

        self.mapping_model = MappingModel(self)
        self.mapping_view = QTableView()
        self.mapping_view.setModel(self.mapping_model)
        self.mapping_view.setAccessibleName(_("Column mapping"))
        self.mapping_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.mapping_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.mapping_view.verticalHeader().hide()
        self.mapping_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping_view.selectionModel().currentRowChanged.connect(self._column_selected)
        self.field_choice = QComboBox()
        self.field_choice.setAccessibleName(_("Field for the selected column"))
        self.field_choice.addItem(_(NOT_IMPORTED), "")
        for key, label in FIELDS.items():
            self.field_choice.addItem(_(label), key)
        self.field_choice.activated.connect(self._field_chosen)
        self.load_mapping_button = QPushButton(_("Load mapping..."))
        self.load_mapping_button.clicked.connect(self._load_mapping)
        self.save_mapping_button = QPushButton(_("Save mapping..."))
        self.save_mapping_button.clicked.connect(self._save_mapping)
        field_row = QHBoxLayout()
        field_row.addWidget(self._label(_("Field for the selected column:"), self.field_choice))
        field_row.addWidget(self.field_choice, 1)
        field_row.addWidget(self.load_mapping_button)
        field_row.addWidget(self.save_mapping_button)

        self.dry_run_button = QPushButton(_("&Dry run"))
        self.dry_run_button.clicked.connect(self.dry_run)
        self.import_button = QPushButton(_("&Import"))
        self.import_button.clicked.connect(self.run_import)
        self.export_kind = QComboBox()
        self.export_kind.setAccessibleName(_("What to export"))
        for key, label in _EXPORTS:
            self.export_kind.addItem(_(label), key)
        self.export_language = QComboBox()
        self.export_language.setAccessibleName(_("Labels in"))
        for tag in dict.fromkeys(["de", active_language(), *UI_LANGUAGES]):
            self.export_language.addItem(own_language_name(tag), tag)
        self.export_button = QPushButton(_("E&xport..."))
        self.export_button.clicked.connect(self._choose_export)
        actions = QHBoxLayout()
        actions.addWidget(self.dry_run_button)
        actions.addWidget(self.import_button)
        actions.addStretch(1)
        actions.addWidget(self._label(_("Export:"), self.export_kind))
        actions.addWidget(self.export_kind)
        actions.addWidget(self._label(_("Labels in:"), self.export_language))
        actions.addWidget(self.export_language)
        actions.addWidget(self.export_button)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.result_model = DryRunModel(self)
        self.result_view = QTableView()
        self.result_view.setModel(self.result_model)
        self.result_view.setAccessibleName(_("Dry run"))
        self.result_view.verticalHeader().hide()
        self.result_view.horizontalHeader().setSectionResizeMode(DryRunModel.REASON, QHeaderView.ResizeMode.Stretch)
        mapping_box = QWidget()
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addWidget(self.mapping_view, 1)
        mapping_layout.addLayout(field_row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(mapping_box)
        splitter.addWidget(self.result_view)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        self.setTabOrder(self.file_field, self.choose_button)
        for first, second in ((self.choose_button, self.sheet_choice), (self.sheet_choice, self.mapping_view),
                              (self.mapping_view, self.field_choice), (self.field_choice, self.load_mapping_button),
                              (self.load_mapping_button, self.save_mapping_button),
                              (self.save_mapping_button, self.result_view), (self.result_view, self.dry_run_button),
                              (self.dry_run_button, self.import_button), (self.import_button, self.export_kind),
                              (self.export_kind, self.export_language), (self.export_language, self.export_button)):
            self.setTabOrder(first, second)
        self._enable()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def refresh(self) -> None:
        self.choose_button.setFocus()

    def _enable(self) -> None:
        has_file = bool(self.headers)
        for widget in (self.dry_run_button, self.import_button, self.field_choice, self.save_mapping_button,
                       self.load_mapping_button):
            widget.setEnabled(has_file)
        self.sheet_choice.setEnabled(self.sheet_choice.count() > 1)

    # ---------------------------------------------------------------- the file and its mapping
    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import a list"), "",
                                                    _("Spreadsheets (*.xlsx *.csv *.txt)"))
        if path:
            self.open_file(path)

    def open_file(self, path: str, sheet: str | None = None) -> None:
        self.path = path
        self.file_field.setText(path)
        self.plan = None
        self.result_model.set_rows([])
        runner_for(self).run(_open_sheet(path, sheet), on_done=self._opened, on_error=self._failed,
                             title=_("Reading the file..."), parent=self)

    def _opened(self, result) -> None:
        self.headers, names, name, mapping = result
        self.sheet_choice.clear()
        for sheet in names:
            self.sheet_choice.addItem(sheet, sheet)
        self.sheet_choice.setCurrentIndex(max(0, self.sheet_choice.findData(name)))
        self.mapping_model.show(self.headers, mapping.columns)
        self.summary.setText(ngettext("{count} column; check the mapping, then run the dry run.",
                                      "{count} columns; check the mapping, then run the dry run.",
                                      len(self.headers)).format(count=len(self.headers)))
        self._enable()
        if self.headers:
            self.mapping_view.selectRow(0)

    def _sheet_chosen(self, index: int) -> None:
        if self.path and self.sheet_choice.itemData(index):
            self.open_file(self.path, self.sheet_choice.itemData(index))

    def _column_selected(self, current, _previous=None) -> None:
        row = self.mapping_model.row_at(current.row())
        if row is not None:
            self.field_choice.setCurrentIndex(max(0, self.field_choice.findData(row[2])))

    def _field_chosen(self, index: int) -> None:
        current = self.mapping_view.currentIndex()
        if current.isValid():
            self.mapping_model.set_field(current.row(), self.field_choice.itemData(index))

    def mapping(self) -> Mapping:
        return Mapping(self.mapping_model.columns(), tuple(self.headers))

    def mapping_json(self) -> str:
        return json.dumps(self.mapping().to_json(), ensure_ascii=False)

    def _load_mapping(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Load mapping"), "", _("Column mapping (*.json)"))
        if path:
            self.load_mapping(path)

    def load_mapping(self, path: str) -> None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_MAPPING_BYTES + 1)
            if len(data) > MAX_MAPPING_BYTES:
                raise OSError(_("larger than {limit} KB").format(limit=MAX_MAPPING_BYTES // 1024))
            mapping = parse_mapping(data, self.headers)
        except ElternlotseError as error:
            self.summary.setText(translate_error(error))
            return
        except OSError as error:
            self.summary.setText(error_text(error))
            return
        self.mapping_model.show(self.headers, mapping.columns)
        self.summary.setText(_("Mapping loaded: {path}").format(path=path))

    def _save_mapping(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save mapping"), "mapping.json", _("Column mapping (*.json)"))
        if path:
            write_private_bytes(path, json.dumps(self.mapping().to_json(), ensure_ascii=False, indent=2).encode("utf-8"))
            self.summary.setText(_("Mapping saved: {path}").format(path=path))

    # ---------------------------------------------------------------- dry run and import
    def dry_run(self) -> None:
        self._start(dry_run=True)

    def run_import(self) -> None:
        self._start(dry_run=False)

    def _start(self, dry_run: bool) -> None:
        if not self.path:
            return
        self.dry_run_button.setEnabled(False)
        self.import_button.setEnabled(False)
        runner_for(self).run(_run_import(self.path, self.sheet_choice.currentData(), self.mapping_json(), dry_run),
                             on_done=self._planned, on_error=self._failed,
                             title=_("Checking the rows...") if dry_run else _("Importing..."), parent=self)

    def _planned(self, plan) -> None:
        self.plan = plan
        self.result_model.set_rows(plan.rows)
        counts = plan.counts()
        summary = _("{new} new, {updated} updated, {duplicate} duplicate, {refused} refused.").format(**counts)
        if plan.imported:
            written = counts["new"] + counts["updated"]
            self.summary.setText(ngettext("Imported {count} row: {summary}", "Imported {count} rows: {summary}",
                                          written).format(count=written, summary=summary))
        else:
            self.summary.setText(_("Dry run, nothing written: {summary}").format(summary=summary))
        self._enable()
        self.result_view.setFocus()

    def _failed(self, error) -> None:
        self._enable()
        self.summary.setText(error_text(error))

    # ---------------------------------------------------------------- export
    def _choose_export(self) -> None:
        kind = self.export_kind.currentData()
        path, _filter = QFileDialog.getSaveFileName(self, _("Export"), f"{kind}.xlsx", "Excel (*.xlsx)")
        if path:
            self.export(kind, path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export(self, kind: str, path: str) -> None:
        def done(count) -> None:
            self.summary.setText(ngettext("{count} row written to {path}.", "{count} rows written to {path}.", count)
                                 .format(count=count, path=Path(path)))
            tell_once(self, self.services)

        runner_for(self).run(_export(kind, path, self.export_language.currentData()), on_done=done,
                             on_error=self._failed, title=_("Exporting..."), parent=self)
