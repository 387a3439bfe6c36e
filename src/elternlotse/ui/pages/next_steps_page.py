"""Next steps: the checklist items due now or within N weeks, by week and family, with consented channels.

The agenda is computed off the GUI thread (``ui.tasks``); "Save as PDF" writes
the call list (Qt's text layout handles every script and direction).
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from elternlotse.i18n import _, active_language, ngettext
from elternlotse.i18n.formatting import format_date
from elternlotse.ui.models.kaoa_models import AgendaModel, RowRole, SortRole, agenda_rows
from elternlotse.ui.tasks import error_text, runner_for
from elternlotse.ui.widgets.checklist_widget import ChecklistWidget
from elternlotse.ui.widgets.empty_state import EmptyState


class NextStepsPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Next steps")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.agenda = None
        self.task = None

        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(0, 52)
        self.weeks_spin.setValue(4)
        self.weeks_spin.setSuffix(" " + _("weeks"))
        self.show_button = QPushButton(_("Show"))
        self.pdf_button = QPushButton(_("Save call list as PDF..."))
        self.pdf_button.setEnabled(False)
        self.status = QLabel()
        bar = QHBoxLayout()
        for text, field in ((_("From:"), self.date_edit), (_("Ahead:"), self.weeks_spin)):
            label = QLabel(text)
            label.setBuddy(field)
            bar.addWidget(label)
            bar.addWidget(field)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        bar.addWidget(self.pdf_button)

        self.model = AgendaModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        self.table.setAccessibleName(_("Next steps"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (AgendaModel.WEEK, AgendaModel.CHILD, AgendaModel.UNTIL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AgendaModel.STEP, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(AgendaModel.FAMILY, 220)
        self.table.setColumnWidth(AgendaModel.CONTACT, 240)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._selected)

        self.checklist = ChecklistWidget(services, parent=self)
        self.checklist.changed.connect(lambda _child: self.refresh())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.checklist)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        self.empty = EmptyState()
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)

        self.show_button.clicked.connect(self.refresh)
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.weeks_spin.valueChanged.connect(lambda _w: self.refresh())
        self.pdf_button.clicked.connect(self._save_pdf)

    def day(self) -> date:
        return self.date_edit.date().toPython()

    def refresh(self) -> None:
        day, weeks, language = self.day(), self.weeks_spin.value(), active_language()
        self.status.setText(_("Working out the next steps..."))
        self.task = runner_for(self).run(
            lambda services, progress: services.agenda.next_steps(day, weeks, language=language),
            on_done=self._show, on_error=self._failed, parent=self)

    def _show(self, agenda) -> None:
        self.agenda = agenda
        self.checklist.on = agenda.on
        self.model.set_rows(agenda_rows(agenda))
        families = len({r.family_id for r in self.model.rows()})
        if agenda.item_count:
            self.empty.hide()
        elif self.weeks_spin.value() < 12:
            self.empty.show_hint(_("Nothing is due in these weeks."), _("Look 12 weeks ahead"),
                                 lambda: self.weeks_spin.setValue(12))
        elif self.weeks_spin.value() < self.weeks_spin.maximum():
            self.empty.show_hint(_("Nothing is due in these weeks."), _("Look a year ahead"),
                                 lambda: self.weeks_spin.setValue(self.weeks_spin.maximum()))
        else:
            self.empty.hide()
        self.status.setText(ngettext("{count} step", "{count} steps", agenda.item_count).format(count=agenda.item_count)
                            + " · " + ngettext("{count} family", "{count} families", families).format(count=families))
        self.pdf_button.setEnabled(agenda.item_count > 0)

    def _failed(self, error) -> None:
        self.status.setText(error_text(error))

    def _selected(self, current, _previous) -> None:
        row = current.data(RowRole) if current.isValid() else None
        if row is not None:
            self.checklist.set_child(row.item.child_id)
            self.checklist.select_item(row.item.ref)

    # ---------------------------------------------------------------- call list
    def call_list_html(self) -> str:
        agenda = self.agenda
        parts = [f"<h2>{html.escape(_('Call list'))}: {html.escape(format_date(agenda.on))}</h2>"]
        for week in agenda.weeks:
            parts.append(f"<h3>{html.escape(_('Week of {date}').format(date=format_date(week.monday)))}</h3>")
            for family in week.families:
                contacts = "; ".join(f"{c.channel}: {c.value}" + (f" ({c.app})" if c.app else "") for c in family.contacts)
                parts.append(f"<p><b dir='auto'>{html.escape(family.name)}</b> [{html.escape(', '.join(family.languages))}]"
                             f" — {html.escape(contacts or _('no consent to contact'))}</p><ul>")
                for item in family.items:
                    child = item.child or _("(no first name)")
                    parts.append(f"<li>☐ {html.escape(child)} ({item.grade}): {html.escape(item.stage)} – "
                                 f"{html.escape(item.text)} ({html.escape(_('until'))} {html.escape(format_date(item.ends))})</li>")
                parts.append("</ul>")
        return "\n".join(parts)

    def save_pdf(self, path: str) -> None:
        from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

        document = QTextDocument()
        document.setHtml(self.call_list_html())
        writer = QPdfWriter(path)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setResolution(150)
        document.print_(writer)

    def _save_pdf(self) -> None:
        if self.agenda is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save call list"),
                                                    f"call-list-{self.agenda.on.isoformat()}.pdf", "PDF (*.pdf)")
        if path:
            self.save_pdf(path)
            self.status.setText(_("Saved {path}").format(path=path))
