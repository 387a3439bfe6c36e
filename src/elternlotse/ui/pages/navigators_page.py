"""Navigators (office): the roster list, a detail form, training modules, hours, certificate, rules, removal.

The hours fields are ``widgets/hours_form.py`` (shared with the correction dialog); the office rule
and the two confirmations are their own modules under ``ui/dialogs/``.

The roster is office-local; on a navigator's laptop the page says so in one sentence and shows
nothing else (docs/roster.md: a navigator's own entry is not kept on their laptop).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.roster import ALLOWANCE_LABELS, Navigator
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.formatting import format_number
from elternlotse.ui.models.roster_models import HoursModel, NavigatorListModel, RowRole
from elternlotse.ui.pages.partners_page import table_view, tags
from elternlotse.ui.widgets.hours_form import HoursForm, date_edit


def _iso(widget: QDateEdit) -> str:
    return widget.date().toString(Qt.DateFormat.ISODate)


class NavigatorsPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Navigators")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.current_id = ""
        layout = QVBoxLayout(self)
        if not services.store.info.is_office:
            note = QLabel(_("The navigator roster (training, checks, hours, allowances) is kept at the office only;"
                            " ask the office for your certificate or your hours."))
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addStretch(1)
            self.model = None
            return
        self.model = NavigatorListModel(len(services.roster.modules.modules), self)
        self.view, self.proxy = table_view(self.model, NavigatorListModel.NAME, _("Navigators"))
        self.view.sortByColumn(NavigatorListModel.NAME, Qt.SortOrder.AscendingOrder)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):   # the name takes what the others leave: never "Ley..."
            if column != NavigatorListModel.NAME:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.new_button = QPushButton(_("New navigator"))
        self.new_button.clicked.connect(self.new_navigator)
        self.rules_button = QPushButton(_("Office &rules..."))
        self.rules_button.clicked.connect(self.open_rules)
        left = QWidget()
        l_layout = QVBoxLayout(left)
        l_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addWidget(self.rules_button)
        top.addStretch(1)
        l_layout.addLayout(top)
        l_layout.addWidget(self.view, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        self.detail_scroll = scroll = QScrollArea()       # the detail is taller than a 768-pixel screen: it scrolls, nothing overlaps
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._detail())
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter)
        chain = [self.new_button, self.rules_button, self.view, self.name, self.languages, self.node,
                 self.police_known, self.police_check, self.notes, self.save_button, self.modules, self.module_day,
                 *self.hours_form.widgets(), self.hours_button, self.hours_view, self.edit_hours_button,
                 self.delete_hours_button, self.certificate_button, self.remove_button]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)
        self._enable(False)

    # ---------------------------------------------------------------- building
    def _detail(self) -> QWidget:
        self.name = QLineEdit()
        self.languages = QLineEdit()
        self.languages.setPlaceholderText(_("language tags, e.g. de, tr, ar"))
        self.node = QComboBox()
        self.police_known = QCheckBox(_("Police-record check seen on"))
        today = self.services.roster.today()
        self.police_check = date_edit(today)
        self.police_check.setAccessibleName(_("Police-record check seen on"))
        self.police_known.toggled.connect(self.police_check.setEnabled)
        self.notes = QLineEdit()
        self.save_button = QPushButton(_("&Save navigator"))
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Languages"), self.languages)
        form.addRow(_("Sync card"), self.node)
        police = QHBoxLayout()
        police.addWidget(self.police_known)
        police.addWidget(self.police_check, 1)
        form.addRow(police)
        form.addRow(_("Notes"), self.notes)
        form.addRow("", self.save_button)

        self.modules = QListWidget()
        self.modules.setAccessibleName(_("Training modules"))
        self.modules.setMaximumHeight(150)
        self.modules.itemChanged.connect(self._module_toggled)
        self.module_day = date_edit(today)
        self.module_day.setAccessibleName(_("Completed on"))
        modules_box = QGroupBox(_("Training modules (tick when completed)"))
        m_layout = QFormLayout(modules_box)
        m_layout.addRow(self.modules)
        m_layout.addRow(_("Completed on"), self.module_day)

        self.hours_form = HoursForm(today)
        f = self.hours_form
        self.hours_day, self.hours, self.kind, self.activity, self.allowance, self.amount = f.widgets()
        self.hours_button = QPushButton(_("&Add hours"))
        self.hours_button.clicked.connect(self.add_hours)
        self.hours_model = HoursModel(self)
        self.hours_view, _proxy = table_view(self.hours_model, HoursModel.ACTIVITY, _("Hours"))
        self.hours_view.setMinimumHeight(120)
        self.hours_view.setTabKeyNavigation(False)   # Tab leaves the table for Edit / Delete, arrows move in it
        self.hours_view.selectionModel().selectionChanged.connect(lambda *_a: self._hours_selected())
        self.edit_hours_button = QPushButton(_("&Edit hours..."))
        self.edit_hours_button.clicked.connect(self.edit_hours)
        self.delete_hours_button = QPushButton(_("&Delete hours..."))
        self.delete_hours_button.clicked.connect(self.delete_hours)
        correct = QHBoxLayout()
        correct.addWidget(self.edit_hours_button)
        correct.addWidget(self.delete_hours_button)
        correct.addStretch(1)
        self.tallies = QLabel()
        self.tallies.setWordWrap(True)
        hours_box = QGroupBox(_("Assignments and hours"))
        h_form = QFormLayout(hours_box)
        for label, widget in ((_("Date"), self.hours_day), (_("Hours"), self.hours), (_("Kind"), self.kind),
                              (_("Activity"), self.activity), (_("Allowance"), self.allowance),
                              (_("Amount"), self.amount)):
            h_form.addRow(label, widget)
        h_form.addRow("", self.hours_button)
        h_form.addRow(self.hours_view)
        h_form.addRow(correct)
        h_form.addRow(self.tallies)

        self.certificate_button = QPushButton(_("Save &certificate as PDF..."))
        self.certificate_button.clicked.connect(self.save_certificate)
        self.remove_button = QPushButton(_("Re&move navigator..."))
        self.remove_button.clicked.connect(self.confirm_remove)
        bottom = QHBoxLayout()
        bottom.addWidget(self.certificate_button)
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        self.error = QLabel()
        self.error.setWordWrap(True)
        detail = QWidget()
        d_layout = QVBoxLayout(detail)
        d_layout.addLayout(form)
        d_layout.addWidget(modules_box)
        d_layout.addWidget(hours_box, 1)
        d_layout.addLayout(bottom)
        d_layout.addWidget(self.error)
        return detail

    def _enable(self, saved: bool) -> None:
        """Modules, hours and the certificate need a saved navigator."""
        for widget in (self.modules, self.module_day, *self.hours_form.widgets(), self.hours_button, self.hours_view,
                       self.certificate_button, self.remove_button):
            widget.setEnabled(saved)
        self._hours_selected()

    def _hours_selected(self) -> None:
        chosen = self.selected_hours() is not None
        self.edit_hours_button.setEnabled(chosen)
        self.delete_hours_button.setEnabled(chosen)

    # ---------------------------------------------------------------- showing
    def refresh(self) -> None:
        if self.model is None:
            return
        roster = self.services.roster
        self.model.set_rows([roster.view(n.id) for n in roster.list()])
        self.node.clear()
        self.node.addItem(_("(not linked)"), "")
        for peer in self.services.sync.peers():
            if peer.role == "navigator":
                self.node.addItem(f"{peer.name} ({peer.node_id})", peer.node_id)
        if self.current_id:
            self.show_navigator(self.current_id)

    def _selected(self, current, _previous=None) -> None:
        row = current.data(RowRole) if current.isValid() else None
        if row is not None:
            self.show_navigator(row.navigator.id)

    def show_navigator(self, nav_id: str) -> None:
        view = self.services.roster.view(nav_id)
        nav = view.navigator
        self.current_id = nav.id
        self.name.setText(nav.name)
        self.languages.setText(", ".join(nav.languages))
        self.node.setCurrentIndex(max(0, self.node.findData(nav.node_id)))
        self.police_known.setChecked(bool(nav.police_check))
        self.police_check.setEnabled(bool(nav.police_check))
        if nav.police_check:
            self.police_check.setDate(QDate.fromString(nav.police_check, Qt.DateFormat.ISODate))
        self.notes.setText(nav.notes)
        self.modules.blockSignals(True)
        self.modules.clear()
        for module in self.services.roster.modules.modules:
            done = nav.modules.get(module.key, "")
            item = QListWidgetItem(self._module_text(module.key, done))
            item.setData(Qt.ItemDataRole.UserRole, module.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
            self.modules.addItem(item)
        self.modules.blockSignals(False)
        self.hours_model.set_rows(view.hours)
        self._show_tallies(view)
        self._enable(True)
        self.error.clear()

    def _show_tallies(self, view) -> None:
        lines = [_("Hours in total: {hours}").format(hours=format_number(view.total_hours))]
        if view.police_check_due:
            lines.append(_("The police-record check is due: not recorded or older than the office's rule allows."))
        for t in view.tallies:
            line = _("{allowance} {year}: {paid} of {limit} €").format(
                allowance=_(ALLOWANCE_LABELS[t.allowance]), year=t.year, paid=format_number(t.paid_cents / 100),
                limit=format_number(t.limit_cents / 100))
            if t.state != "ok":
                line += " – " + (_("over the tax-free limit") if t.state == "over" else _("near the tax-free limit"))
            lines.append(line)
        self.tallies.setText("\n".join(lines))

    # ---------------------------------------------------------------- actions (short: read, call, render)
    def new_navigator(self) -> None:
        self.current_id = ""
        self.view.clearSelection()
        for edit in (self.name, self.languages, self.notes):
            edit.clear()
        self.node.setCurrentIndex(0)
        self.police_known.setChecked(False)
        self.modules.clear()
        self.hours_model.set_rows([])
        self.tallies.clear()
        self._enable(False)
        self.name.setFocus()

    def form_navigator(self) -> Navigator:
        return Navigator(name=self.name.text(), languages=tags(self.languages.text()), node_id=self.node.currentData() or "",
                         police_check=_iso(self.police_check) if self.police_known.isChecked() else "",
                         notes=self.notes.text(), id=self.current_id)

    def _run(self, action) -> bool:
        try:
            action()
        except ElternlotseError as error:
            self.error.setText(translate_error(error))
            return False
        return True

    def save(self) -> None:
        nav = self.form_navigator()
        roster = self.services.roster

        def write() -> None:
            self.current_id = (roster.edit(nav) if nav.id else roster.add(nav)).id
        if self._run(write):
            self.refresh()
            self.error.setText(_("Saved."))

    def _module_toggled(self, item: QListWidgetItem) -> None:
        # The item stays (no rebuild of the list while it emits): its text and the table follow.
        key = item.data(Qt.ItemDataRole.UserRole)
        roster = self.services.roster
        checked = item.checkState() == Qt.CheckState.Checked
        if checked:
            ok = self._run(lambda: roster.complete_module(self.current_id, key, _iso(self.module_day)))
        else:
            ok = self._run(lambda: roster.remove_module(self.current_id, key))
        self.modules.blockSignals(True)
        if not ok:
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
        else:
            item.setText(self._module_text(key, roster.get(self.current_id).modules.get(key, "")))
        self.modules.blockSignals(False)
        self.model.set_rows([roster.view(n.id) for n in roster.list()])

    def _module_text(self, key: str, done: str) -> str:
        module = self.services.roster.modules.get(key)
        kind = _("standard") if module.standard else _("optional")
        return f"{module.title(active_language())} ({kind})" + (f" – {done}" if done else "")

    def add_hours(self) -> None:
        entry = self.hours_form.entry(self.current_id)
        if self._run(lambda: self.services.roster.add_hours(entry)):
            self.hours_form.clear_after_entry()
            self.refresh()

    def selected_hours(self):
        rows = self.hours_view.selectionModel().selectedRows()
        return rows[0].data(RowRole) if rows and self.hours_view.isEnabled() else None

    def edit_hours(self):
        from elternlotse.ui.dialogs.hours_dialog import HoursDialog

        entry = self.selected_hours()
        if entry is None:
            return None
        self.hours_dialog = HoursDialog(self.services, entry, self)
        self.hours_dialog.accepted.connect(lambda: self._changed(_("The hours were corrected.")))
        self.hours_dialog.open()
        return self.hours_dialog

    def delete_hours(self):
        from elternlotse.ui.dialogs.roster_confirm import ask_delete_hours

        entry = self.selected_hours()
        if entry is None:
            return None
        roster = self.services.roster
        return ask_delete_hours(self, entry, lambda: self._run(lambda: roster.delete_hours(entry.navigator_id, entry.id))
                                and self._changed(_("The hours were deleted.")))

    def _changed(self, message: str) -> None:
        self.refresh()
        self.error.setText(message)
        self.hours_view.setFocus()

    def open_rules(self):
        from elternlotse.ui.dialogs.roster_rules_dialog import RosterRulesDialog

        self.rules_dialog = RosterRulesDialog(self.services, self)
        self.rules_dialog.accepted.connect(self.refresh)
        self.rules_dialog.open()
        return self.rules_dialog

    def confirm_remove(self):
        from elternlotse.ui.dialogs.roster_confirm import ask_remove_navigator

        if not self.current_id:
            return None
        return ask_remove_navigator(self, self.name.text(), self._remove)

    def _remove(self) -> None:
        nav_id = self.current_id
        if self._run(lambda: self.services.roster.remove(nav_id)):
            self.new_navigator()
            self.refresh()
            self.error.setText(_("The navigator was removed from the roster."))
            self.view.setFocus()

    def save_certificate(self) -> None:
        name = self.name.text().strip().replace(" ", "-") or "navigator"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save certificate"), f"certificate-{name}.pdf", "PDF (*.pdf)")
        if path:
            self.write_certificate(path)

    def write_certificate(self, path: str) -> None:
        """Render off the GUI thread (the first PDF loads fonts and the shaper: about 2 s), then save."""
        from elternlotse.ui.tasks import error_text, runner_for

        nav_id = self.current_id
        runner_for(self).run(lambda services, _progress: services.roster.certificate(nav_id),
                             on_done=lambda data: self._certificate_ready(path, data),
                             on_error=lambda error: self.error.setText(error_text(error)),
                             title=_("Save certificate"), parent=self)

    def _certificate_ready(self, path: str, data: bytes) -> None:
        from elternlotse.handouts.render import write_atomic
        from elternlotse.ui.saved_files import saved

        if saved(self, self.services, path, lambda: write_atomic(path, data)):
            self.error.setText(_("Saved as {path}.").format(path=path))
