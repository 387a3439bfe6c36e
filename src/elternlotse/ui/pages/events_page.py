"""Events: the list, a new event, fast attendance (search + tick, headcount) and the invitation list.

Ticking a family writes one attendance record at once (a short write); the
invitation list is worked out off the GUI thread.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.events import EVENT_TYPE_LABELS, SPEAKER_ROLE_LABELS
from elternlotse.i18n import _, active_language, ngettext, translate_error
from elternlotse.i18n.formatting import format_datetime, format_time, isolate, join_list, language_name
from elternlotse.ui.models.kaoa_models import AttendanceModel, EventListModel, InvitationModel, RowRole, SortRole
from elternlotse.ui.tasks import error_text, runner_for
from elternlotse.ui.widgets.event_kit_bar import EventKitBar
from elternlotse.ui.widgets.empty_state import EmptyState
from elternlotse.ui.widgets.language_picker import LanguagePicker
from elternlotse.ui.widgets.list_export import PlainKeys

SEARCH_LIMIT = 200


def _event_when(starts: str, ends: str) -> str:
    """"06.10.2026, 16:30 - 18:30" (the end's date too when it is another day), isolated for RTL text."""
    begin = datetime.fromisoformat(starts)
    text = format_datetime(begin, "short")
    if ends:
        end = datetime.fromisoformat(ends)
        text += " - " + (format_time(end) if end.date() == begin.date() else format_datetime(end, "short"))
    return isolate(text)


def _table(model, stretch: int) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = QTableView()
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view, proxy


class EventsPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Events")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.current_event = None
        self.invitation_task = None

        # ---- event list
        self.events_model = EventListModel(self)
        self.events_view, self.events_proxy = _table(self.events_model, EventListModel.TITLE)
        self.events_view.setSortingEnabled(True)
        for column in (EventListModel.WHEN, EventListModel.PRESENT):
            self.events_view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The type ("منصة في يوم لقاء أولياء الأمور والمعلمين") took the title's room in Arabic: a fixed
        # share, elided, the whole text in the tooltip; the title gets the rest (the place is in the details).
        self.events_view.horizontalHeader().resizeSection(EventListModel.TYPE, 120)
        self.events_view.setColumnHidden(EventListModel.PLACE, True)  # shown in the details beside the list
        self.events_view.setWordWrap(True)  # a long title on two lines rather than cut
        self.events_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.events_view.sortByColumn(EventListModel.WHEN, Qt.SortOrder.DescendingOrder)
        self.events_view.selectionModel().currentRowChanged.connect(self._event_selected)
        self.new_button = QPushButton(_("&New event..."))
        self.new_button.clicked.connect(self._new_event)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.new_button)
        self.plan_button = QPushButton(_("Half-year plan..."))  # the family café of a school, one topic a month
        self.plan_button.clicked.connect(self._half_year_plan)
        left_layout.addWidget(self.plan_button)
        self.empty = EmptyState()
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.events_view, 1)

        # ---- details
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)

        # ---- attendance: search + tick, headcount
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_("Search a family (name, phone, child)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(_("Search a family to mark present"))
        self.search_edit.setProperty("search_field", True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._fill_attendance)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        # By keyboard: type a name, Enter marks the first family found present; Down goes to the list,
        # where Space ticks or unticks the current family.
        self.search_edit.returnPressed.connect(self.mark_first_present)
        self._keys = PlainKeys({(self.search_edit, Qt.Key.Key_Down): self._to_attendance_list}, self)
        self.attendance_model = AttendanceModel(self)
        self.attendance_model.toggled.connect(self._toggled)
        self.attendance_view, self.attendance_proxy = _table(self.attendance_model, AttendanceModel.FAMILY)
        self.attendance_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.attendance_view.setAccessibleName(_("Attendance"))
        self._space = PlainKeys({(self.attendance_view, Qt.Key.Key_Space): self._toggle_current}, self)
        self.events_view.setAccessibleName(_("Events"))
        self.headcount_spin = QSpinBox()
        self.headcount_spin.setRange(0, 100000)
        self.headcount_spin.setToolTip(_("People present who gave no data"))
        self.headcount_spin.editingFinished.connect(self._save_headcount)
        self.attendance_label = QLabel()
        attendance = QWidget()
        a_layout = QVBoxLayout(attendance)
        a_layout.addWidget(self.search_edit)
        a_layout.addWidget(self.attendance_view, 1)
        count_row = QHBoxLayout()
        headcount_label = QLabel(_("Others present without data (headcount):"))
        headcount_label.setBuddy(self.headcount_spin)
        count_row.addWidget(headcount_label)
        count_row.addWidget(self.headcount_spin)
        count_row.addStretch(1)
        count_row.addWidget(self.attendance_label)
        self.attendance_pdf_button = QPushButton(_("Save attendance list as &PDF..."))
        self.attendance_pdf_button.clicked.connect(lambda: self.export_list("attendance"))
        count_row.addWidget(self.attendance_pdf_button)
        a_layout.addLayout(count_row)

        # ---- handouts given (topic x language)
        self.handout_topic = QComboBox()
        self.handout_topic.setEditable(True)
        self.handout_language = LanguagePicker()  # by name, not by code
        self.handout_language.setMinimumWidth(200)
        self.handout_count = QSpinBox()
        self.handout_count.setRange(1, 1000)
        self.handout_topic.setAccessibleName(_("Handout topic"))
        self.handout_language.setAccessibleName(_("Handout language"))
        self.handout_count.setAccessibleName(_("Number of handouts"))
        self.handout_button = QPushButton(_("Add handouts"))
        self.handout_button.clicked.connect(self._add_handouts)
        self.handouts_label = QLabel()
        self.handouts_label.setWordWrap(True)
        handout_row = QHBoxLayout()
        handout_row.addWidget(QLabel(_("Handouts given:")))
        handout_row.addWidget(self.handout_topic, 1)
        handout_row.addWidget(self.handout_language)
        handout_row.addWidget(self.handout_count)
        handout_row.addWidget(self.handout_button)
        a_layout.addLayout(handout_row)
        a_layout.addWidget(self.handouts_label)

        # ---- invitations
        self.invitation_model = InvitationModel(self)
        self.invitation_view, _proxy = _table(self.invitation_model, InvitationModel.CHILDREN)
        self.invitation_view.setSortingEnabled(True)
        self.invitation_view.setAccessibleName(_("Families to invite"))
        self.invitation_label = QLabel()
        self.invitation_label.setWordWrap(True)
        invitations = QWidget()
        i_layout = QVBoxLayout(invitations)
        i_layout.addWidget(self.invitation_label)
        i_layout.addWidget(self.invitation_view, 1)
        self.invitation_pdf_button = QPushButton(_("Save invitation list as P&DF..."))
        self.invitation_pdf_button.clicked.connect(lambda: self.export_list("invitations"))
        i_layout.addWidget(self.invitation_pdf_button, 0, Qt.AlignmentFlag.AlignTrailing)

        self.tabs = QTabWidget()
        self.tabs.addTab(attendance, _("Attendance"))
        self.tabs.addTab(invitations, _("Invitations"))
        right = QWidget()
        r_layout = QVBoxLayout(right)
        r_layout.setContentsMargins(0, 0, 0, 0)
        r_layout.addWidget(self.details)
        self.kit = EventKitBar(services, self)  # invitation letter, sign-in sheet, calendar file
        r_layout.addWidget(self.kit)
        r_layout.addWidget(self.tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([540, 810])  # the event titles are readable at 1366 pixels
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._show_event(None)

    # ---------------------------------------------------------------- list
    def refresh(self) -> None:
        current = self.current_event.id if self.current_event else None
        self.events_model.set_rows(self.services.events.list())
        if self.events_proxy.rowCount():
            self.empty.hide()
        else:
            self.empty.show_hint(_("No events yet: plan a parents' evening, a family café or a stand."),
                                 _("Plan the first event..."), self._new_event)
        if current:
            self.select_event(current)
        elif self.events_proxy.rowCount():
            self.events_view.selectRow(0)

    def select_event(self, event_id: str) -> bool:
        for row in range(self.events_proxy.rowCount()):
            if self.events_proxy.index(row, 0).data(RowRole).id == event_id:
                self.events_view.selectRow(row)
                self._load(event_id)
                return True
        return False

    def _event_selected(self, current, _previous) -> None:
        row = current.data(RowRole) if current.isValid() else None
        self._load(row.id if row else None)

    def _load(self, event_id: str | None) -> None:
        if event_id is None:
            self._show_event(None)
            return
        try:
            self._show_event(self.services.events.get(event_id))
        except ElternlotseError as error:
            self.details.setText(translate_error(error, isolate=True))

    def _show_event(self, event) -> None:
        self.kit.set_event(event)
        for button in (self.attendance_pdf_button, self.invitation_pdf_button):
            button.setEnabled(event is not None)  # no dead buttons: a list needs an event
        if event is not None and self.current_event is not None and event.id == self.current_event.id:
            self.current_event = event
            self._update_counts()
            return
        self.current_event = event
        enabled = event is not None
        for widget in (self.search_edit, self.attendance_view, self.headcount_spin, self.handout_topic,
                       self.handout_language, self.handout_count, self.handout_button):
            widget.setEnabled(enabled)
        if event is None:
            self.details.setText(_("No event selected."))
            self.attendance_model.set_rows([])
            self.invitation_model.set_rows([])
            self.invitation_label.setText("")
            self.attendance_label.setText("")
            return
        speakers = join_list("{} ({})".format(isolate(s.name), _(SPEAKER_ROLE_LABELS.get(s.role, s.role)))
                             for s in event.speakers) or "-"
        catalog = self.services.catalogs.get(on=event.day)
        topics = join_list(catalog.stage(t).title(active_language()) if catalog.stage(t) else t
                           for t in event.topics) or _("(all families)")
        self.details.setText("\n".join([
            _("{kind}: {title}").format(kind=_(EVENT_TYPE_LABELS[event.type]), title=isolate(event.title or "-")),
            _("When: {starts}").format(starts=_event_when(event.starts, event.ends)),
            _("Place: {place}").format(place=isolate(event.place or "-")),
            _("Topics: {topics}").format(topics=topics),
            _("Speakers: {speakers}").format(speakers=speakers),
            _("Languages: {languages}").format(languages=join_list(language_name(t) for t in event.languages) or "-")
            + ("  · " + _("interpreter present") if event.interpreter else ""),
        ]))
        self.headcount_spin.blockSignals(True)
        self.headcount_spin.setValue(event.headcount)
        self.headcount_spin.blockSignals(False)
        self.handout_topic.clear()
        for stage in catalog.stages:
            self.handout_topic.addItem(stage.title(active_language()), stage.key)
        for topic in event.topics:
            self.handout_topic.setCurrentIndex(max(self.handout_topic.findData(topic), 0))
        if event.languages:
            self.handout_language.set_tag(event.languages[-1])
        self.attendance_model.set_present(f for f, _p in event.attendance)
        self._fill_attendance()
        self._update_counts()
        self._load_invitations(event.id)

    # ---------------------------------------------------------------- attendance
    def _fill_attendance(self) -> None:
        if self.current_event is None:
            return
        text = self.search_edit.text().strip()
        rows = self.services.families.list(text, limit=SEARCH_LIMIT)
        if not text:
            present = self.services.events.attendees(self.current_event.id)
            known = {r.id for r in present}
            rows = present + [r for r in rows if r.id not in known]
        # present families first, so the list shows who is already ticked
        rows.sort(key=lambda r: (not self.attendance_model.is_present(r.id),))
        self.attendance_model.set_rows(rows)

    def list_pdf(self, which: str) -> bytes:
        """The attendance (present families) or the invitation list of the current event as a PDF."""
        from elternlotse.ui.widgets.list_export import event_list_pdf

        return event_list_pdf(self.services, self.current_event, which, self.invitation_model, self.details.text())

    def export_list(self, which: str) -> None:
        from elternlotse.ui.pages.handouts_page import confirm_saved
        from elternlotse.ui.widgets.list_export import save_table_pdf

        if self.current_event is None:
            return
        suggested = f"{which}-{(self.current_event.starts or '')[:10]}.pdf"
        try:
            confirm_saved(self, save_table_pdf(self, suggested, self.list_pdf(which)))
        except OSError as error:
            reason = error.strerror or str(error)
            self.attendance_label.setText(_("The file could not be written: {reason}").format(reason=reason))

    def has_unsaved_changes(self) -> bool:
        """Nothing waits here: a tick, a headcount, handouts are saved the moment they are entered."""
        return False

    def mark_first_present(self) -> None:
        """Enter in the search: the first family found is marked present; the search is ready for the next name."""
        self._search_timer.stop()
        self._fill_attendance()
        if self.current_event is None or not self.search_edit.text().strip() or not self.attendance_proxy.rowCount():
            return
        index = self.attendance_proxy.index(0, AttendanceModel.PRESENT)
        if index.data(Qt.ItemDataRole.CheckStateRole) != Qt.CheckState.Checked:
            self.attendance_proxy.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
        self.search_edit.selectAll()

    def _to_attendance_list(self) -> None:
        self.attendance_view.setFocus()
        if not self.attendance_view.currentIndex().isValid() and self.attendance_proxy.rowCount():
            self.attendance_view.setCurrentIndex(self.attendance_proxy.index(0, AttendanceModel.FAMILY))

    def _toggle_current(self) -> None:
        current = self.attendance_view.currentIndex()
        if not current.isValid():
            return
        index = current.siblingAtColumn(AttendanceModel.PRESENT)
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        self.attendance_proxy.setData(index, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked,
                                      Qt.ItemDataRole.CheckStateRole)

    def _toggled(self, family_id: str, present: bool) -> None:
        if self.current_event is None:
            return
        try:
            self.current_event = self.services.events.attend(self.current_event.id, family_id, present=present)
        except ElternlotseError as error:
            self.attendance_label.setText(translate_error(error, isolate=True))
            return
        self._update_counts()
        self._refresh_list_row()

    def _save_headcount(self) -> None:
        if self.current_event is None or self.headcount_spin.value() == self.current_event.headcount:
            return
        self.current_event = self.services.events.set_headcount(self.current_event.id, self.headcount_spin.value())
        self._update_counts()
        self._refresh_list_row()

    def _add_handouts(self) -> None:
        if self.current_event is None:
            return
        index = self.handout_topic.currentIndex()
        topic = self.handout_topic.itemData(index) if index >= 0 and self.handout_topic.currentText() == \
            self.handout_topic.itemText(index) else self.handout_topic.currentText()
        try:
            self.current_event = self.services.events.add_handouts(
                self.current_event.id, topic or "", self.handout_language.current_tag(), self.handout_count.value())
        except ElternlotseError as error:
            self.handouts_label.setText(translate_error(error, isolate=True))
            return
        self._update_counts()

    def _update_counts(self) -> None:
        if self.current_event is None:
            return
        self.handouts_label.setText(join_list("{} [{}] × {}".format(h.topic, language_name(h.language), h.count)
                                              for h in self.current_event.handouts))
        families = self.current_event.family_count
        self.attendance_label.setText(ngettext("{families} family + {headcount}", "{families} families + {headcount}",
                                               families).format(families=families, headcount=self.current_event.headcount))

    def _refresh_list_row(self) -> None:
        event_id = self.current_event.id
        rows = self.services.events.list()
        self.events_model.set_rows(rows)
        for row in range(self.events_proxy.rowCount()):
            if self.events_proxy.index(row, 0).data(RowRole).id == event_id:
                self.events_view.selectionModel().blockSignals(True)
                self.events_view.selectRow(row)
                self.events_view.selectionModel().blockSignals(False)

    # ---------------------------------------------------------------- invitations
    def _load_invitations(self, event_id: str) -> None:
        self.invitation_label.setText(_("Working out whom to invite..."))
        self.invitation_task = runner_for(self).run(
            lambda services, progress: (event_id, services.events.invitations(event_id)),
            on_done=self._show_invitations, on_error=lambda e: self.invitation_label.setText(error_text(e)), parent=self)

    def _show_invitations(self, result) -> None:
        event_id, invitations = result
        if self.current_event is None or self.current_event.id != event_id:
            return
        self.invitation_model.set_rows(invitations)
        self.invitation_label.setText(
            ngettext("{count} family to invite", "{count} families to invite", len(invitations)).format(count=len(invitations))
            + " " + _("(only families who consented to invitations, each with a channel they consented to)"))

    # ---------------------------------------------------------------- new
    def _half_year_plan(self) -> None:
        from elternlotse.ui.dialogs.half_year_plan_dialog import HalfYearPlanDialog

        HalfYearPlanDialog(self.services, self).exec()
        self.refresh()  # planned cafés appear in the list

    def _new_event(self) -> None:
        from elternlotse.ui.widgets.event_form import EventFormDialog

        dialog = EventFormDialog(self.services, self)
        if dialog.exec() and dialog.created_event is not None:
            self.current_event = None
            self.events_model.set_rows(self.services.events.list())
            self.select_event(dialog.created_event.id)
