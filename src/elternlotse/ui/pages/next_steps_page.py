"""Next steps as a call list: whom do I call this week, about what, and what came of it.

One row per family, most urgent first (``services.call_list``), filtered by school,
grade and stage.  The selected family's call is marked with one key (reached / no answer
/ call back on ...), which records a contact; its first topic's checklist is shown below.
The list is worked out off the GUI thread (``ui.tasks``); "Save as PDF" writes a compact
call list (Qt's text layout handles every script and direction).
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, active_language, ngettext, translate_error
from elternlotse.i18n.formatting import format_date
from elternlotse.ui.i18n_qt import set_date_format
from elternlotse.services.call_list import URGENCY_LABELS
from elternlotse.ui.models.call_list_model import CallListModel, RowRole, SortRole, channels_text, last_contact_text
from elternlotse.ui.saved_files import saved, write_private
from elternlotse.ui.tasks import error_text, runner_for
from elternlotse.ui.widgets.checklist_widget import ChecklistWidget

MORE_WEEKS = 8


def _buddy(text: str, widget: QWidget) -> QLabel:
    # Filters carry no &-letter: the menus and the call buttons hold this window's letters (Tab reaches them).
    label = QLabel(text.replace("&", ""))
    label.setBuddy(widget)
    return label


class NextStepsPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Next steps")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.calls = None
        self.task = None

        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        set_date_format(self.date_edit)
        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(1, 52)
        self.weeks_spin.setValue(2)
        self.weeks_spin.setSuffix(" " + _("weeks"))
        self.school_combo = QComboBox()
        self.grade_combo = QComboBox()
        self.grade_combo.addItem(_("All grades"), None)
        for grade in range(5, 14):
            self.grade_combo.addItem(str(grade), grade)
        self.stage_combo = QComboBox()
        self.stage_combo.addItem(_("All steps"), "")
        for stage in services.catalogs.get().stages:
            self.stage_combo.addItem(stage.title(active_language()), stage.key)
        self.pdf_button = QPushButton(_("Save call list as &PDF..."))
        self.pdf_button.setEnabled(False)
        for widget, name in ((self.date_edit, _("From")), (self.weeks_spin, _("Weeks ahead")),
                             (self.school_combo, _("School")), (self.grade_combo, _("Grade")),
                             (self.stage_combo, _("Step"))):
            widget.setAccessibleName(name)
        # Two rows: a 1366-pixel laptop shows the navigation beside them in every language.
        bar, filters = QHBoxLayout(), QHBoxLayout()
        for row, items in ((bar, ((_("&From:"), self.date_edit), (_("&Ahead:"), self.weeks_spin))),
                           (filters, ((_("S&chool:"), self.school_combo), (_("&Grade:"), self.grade_combo),
                                      (_("S&tep:"), self.stage_combo)))):
            for label, widget in items:
                row.addWidget(_buddy(label, widget))
                row.addWidget(widget, 1 if row is filters else 0)
        self.stage_combo.setMinimumContentsLength(18)
        self.stage_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.school_combo.setMinimumContentsLength(14)
        self.school_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        bar.addStretch(1)
        bar.addWidget(self.pdf_button)

        self.status = QLabel()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.more_button = QPushButton(_("Show the next {weeks} weeks").format(weeks=MORE_WEEKS))
        self.more_button.clicked.connect(lambda: self.weeks_spin.setValue(max(MORE_WEEKS, self.weeks_spin.value())))
        empty_row = QHBoxLayout()
        empty_row.addWidget(self.empty, 1)
        empty_row.addWidget(self.more_button)

        self.model = CallListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Families to call"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CallListModel.WHY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CallListModel.TOPICS, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(CallListModel.FAMILY, 200)
        self.table.setColumnWidth(CallListModel.CALL, 230)
        for column in (CallListModel.CHILDREN, CallListModel.LAST):  # a long header ("Останній контакт") shows whole
            header.resizeSection(column, max(header.defaultSectionSize(), header.sectionSizeHint(column)))
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._selected)

        self.reached_button = QPushButton(_("&Reached"))
        self.no_answer_button = QPushButton(_("&No answer"))
        self.call_back_button = QPushButton(_("Call &back on"))
        self.call_back_date = QDateEdit(QDate.currentDate().addDays(7))
        self.call_back_date.setCalendarPopup(True)
        set_date_format(self.call_back_date)
        self.call_back_date.setAccessibleName(_("Call back on"))
        self.reached_button.clicked.connect(lambda: self.mark("reached"))
        self.no_answer_button.clicked.connect(lambda: self.mark("no_answer"))
        self.call_back_button.clicked.connect(lambda: self.mark("call_back"))
        marks = QHBoxLayout()
        for widget in (self.reached_button, self.no_answer_button, self.call_back_button, self.call_back_date):
            marks.addWidget(widget)
        marks.addStretch(1)

        self.checklist = ChecklistWidget(services, parent=self)
        self.checklist.changed.connect(lambda _child: self.refresh())
        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(empty_row)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(marks)
        splitter.addWidget(top)
        splitter.addWidget(self.checklist)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.weeks_spin.valueChanged.connect(lambda _w: self.refresh())
        for combo in (self.school_combo, self.grade_combo, self.stage_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.pdf_button.clicked.connect(self._save_pdf)
        self._set_marks_enabled(False)
        self._fill_schools([])

    # ---------------------------------------------------------------- loading
    def day(self) -> date:
        return self.date_edit.date().toPython()

    def refresh(self) -> None:
        day, weeks, language = self.day(), self.weeks_spin.value(), active_language()
        school, grade, stage = (self.school_combo.currentData() or "", self.grade_combo.currentData(),
                                self.stage_combo.currentData() or "")
        self.status.setText(_("Working out whom to call..."))
        self.task = runner_for(self).run(
            lambda services, progress: services.call_list.call_list(day, weeks, school=school, grade=grade,
                                                                    stage=stage, language=language),
            on_done=self._show, on_error=self._failed, parent=self)

    def _fill_schools(self, schools: list[str]) -> None:
        current = self.school_combo.currentData() or ""
        self.school_combo.blockSignals(True)
        self.school_combo.clear()
        self.school_combo.addItem(_("All schools"), "")
        for school in dict.fromkeys([*schools, *([current] if current else [])]):
            self.school_combo.addItem(school, school)
        self.school_combo.setCurrentIndex(max(0, self.school_combo.findData(current)))
        self.school_combo.blockSignals(False)

    def _show(self, calls) -> None:
        self.calls = calls
        self.checklist.on = calls.on
        self._fill_schools(calls.schools)
        self.model.set_rows(calls.entries)
        count = len(calls.entries)
        text = ngettext("{count} family to call", "{count} families to call", count).format(count=count)
        if calls.hidden_reached:
            text += " · " + ngettext("{count} contacted lately or called back later (not shown)",
                                     "{count} contacted lately or called back later (not shown)",
                                     calls.hidden_reached).format(count=calls.hidden_reached)
        self.status.setText(text)
        filtered = bool(self.school_combo.currentData() or self.grade_combo.currentData() or self.stage_combo.currentData())
        self.empty.setText(_("Nobody to call with these filters.") if filtered else ngettext(
            "Nobody to call in the next week: every open step is done or someone was reached.",
            "Nobody to call in the next {weeks} weeks: every open step is done or someone was reached.",
            calls.weeks).format(weeks=calls.weeks))
        self.empty.setVisible(count == 0)
        self.more_button.setVisible(count == 0 and not filtered and calls.weeks < MORE_WEEKS)
        self.pdf_button.setEnabled(count > 0)
        if count:
            self.table.selectRow(0)
        else:
            self._set_marks_enabled(False)

    def _failed(self, error) -> None:
        self.status.setText(error_text(error))

    def selected_entry(self):
        index = self.table.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def _selected(self, current, _previous) -> None:
        entry = current.data(RowRole) if current.isValid() else None
        self._set_marks_enabled(entry is not None)
        if entry is not None and entry.topics:
            topic = entry.topics[0]
            self.checklist.set_child(topic.child_id)
            self.checklist.select_item(topic.ref)

    def _set_marks_enabled(self, enabled: bool) -> None:
        for widget in (self.reached_button, self.no_answer_button, self.call_back_button, self.call_back_date):
            widget.setEnabled(enabled)

    # ---------------------------------------------------------------- marking calls
    def mark(self, outcome: str) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        call_back = self.call_back_date.date().toString(Qt.DateFormat.ISODate) if outcome == "call_back" else ""
        try:
            self.services.call_list.mark(entry, outcome, call_back_on=call_back)
        except ElternlotseError as error:
            self.status.setText(translate_error(error, isolate=True))
            return
        self.refresh()

    # ---------------------------------------------------------------- call list as PDF
    def call_list_html(self) -> str:
        calls = self.calls
        title = html.escape(_("Call list of {date}").format(date=format_date(calls.on)))
        head = "".join(f"<th align='left'>{html.escape(h)}</th>"
                       for h in (_("Why now"), _("Family"), _("Call"), _("Topics"), _("Last contact"), _("Result")))
        rows = []
        for entry in calls.entries:
            why = _("{why}: {day}").format(why=_(URGENCY_LABELS[entry.urgency]), day=format_date(entry.due))
            cells = (why, entry.name, channels_text(entry) or _("no consent to contact"),
                     "; ".join(t.stage for t in entry.topics), last_contact_text(entry), "☐ ☐ ☐")
            rows.append("<tr>" + "".join(f"<td dir='auto'>{html.escape(c)}</td>" for c in cells) + "</tr>")
        legend = html.escape(_("Result: reached / no answer / call back"))
        return (f"<h3>{title}</h3><p style='font-size:small'>{legend}</p>"
                f"<table border='1' cellspacing='0' cellpadding='3' width='100%' style='font-size:small'>"
                f"<tr>{head}</tr>{''.join(rows)}</table>")

    def save_pdf(self, path: str) -> None:
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

        html_text = self.call_list_html()

        def render(tmp: str) -> None:
            document = QTextDocument()
            document.setHtml(html_text)
            writer = QPdfWriter(tmp)
            writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            writer.setPageOrientation(QPageLayout.Orientation.Landscape)
            writer.setResolution(150)
            document.print_(writer)
            del writer  # finishes the file

        write_private(path, render)  # a call list holds names and numbers: owner-only

    def _save_pdf(self) -> None:
        if self.calls is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save call list"),
                                                    f"call-list-{self.calls.on.isoformat()}.pdf", "PDF (*.pdf)")
        if path and saved(self, self.services, path, lambda: self.save_pdf(path)):
            self.status.setText(_("Saved {path}").format(path=path))
