"""Navigators (office): the roster list, a detail form, training modules, hours entry, certificate.

The roster is office-local; on a navigator's laptop the page says so in one sentence and shows
nothing else (docs/roster.md: a navigator's own entry is not kept on their laptop).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.roster import ACTIVITY_KINDS, ACTIVITY_LABELS, ALLOWANCE_LABELS, ALLOWANCES, HoursEntry, Navigator
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.formatting import format_number
from elternlotse.ui.models.roster_models import HoursModel, NavigatorListModel, RowRole
from elternlotse.ui.pages.partners_page import table_view, tags


def _iso(widget: QDateEdit) -> str:
    return widget.date().toString(Qt.DateFormat.ISODate)


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setMaximumDate(QDate.currentDate())
    return edit


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
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.new_button = QPushButton(_("New navigator"))
        self.new_button.clicked.connect(self.new_navigator)
        left = QWidget()
        l_layout = QVBoxLayout(left)
        l_layout.setContentsMargins(0, 0, 0, 0)
        l_layout.addWidget(self.new_button)
        l_layout.addWidget(self.view, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self._detail())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter)
        chain = [self.new_button, self.view, self.name, self.languages, self.node, self.police_known, self.police_check,
                 self.notes, self.save_button, self.modules, self.module_day, self.hours_day, self.hours, self.kind,
                 self.activity, self.allowance, self.amount, self.hours_button, self.hours_view, self.certificate_button]
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
        self.police_check = _date_edit()
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
        self.module_day = _date_edit()
        self.module_day.setAccessibleName(_("Completed on"))
        modules_box = QGroupBox(_("Training modules (tick when completed)"))
        m_layout = QFormLayout(modules_box)
        m_layout.addRow(self.modules)
        m_layout.addRow(_("Completed on"), self.module_day)

        self.hours_day = _date_edit()
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.25, 24)
        self.hours.setSingleStep(0.25)
        self.hours.setValue(2)
        self.kind = QComboBox()
        for key in ACTIVITY_KINDS:
            self.kind.addItem(_(ACTIVITY_LABELS[key]), key)
        self.activity = QLineEdit()
        self.allowance = QComboBox()
        self.allowance.addItem(_("No allowance"), "")
        for key in ALLOWANCES:
            self.allowance.addItem(_(ALLOWANCE_LABELS[key]), key)
        self.amount = QDoubleSpinBox()
        self.amount.setRange(0, 10000)
        self.amount.setSuffix(" €")
        self.hours_button = QPushButton(_("&Add hours"))
        self.hours_button.clicked.connect(self.add_hours)
        self.hours_model = HoursModel(self)
        self.hours_view, _proxy = table_view(self.hours_model, HoursModel.ACTIVITY, _("Hours"))
        self.hours_view.setMinimumHeight(120)
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
        h_form.addRow(self.tallies)

        self.certificate_button = QPushButton(_("Save &certificate as PDF..."))
        self.certificate_button.clicked.connect(self.save_certificate)
        self.error = QLabel()
        self.error.setWordWrap(True)
        detail = QWidget()
        d_layout = QVBoxLayout(detail)
        d_layout.addLayout(form)
        d_layout.addWidget(modules_box)
        d_layout.addWidget(hours_box, 1)
        d_layout.addWidget(self.certificate_button, 0, Qt.AlignmentFlag.AlignLeading)
        d_layout.addWidget(self.error)
        return detail

    def _enable(self, saved: bool) -> None:
        """Modules, hours and the certificate need a saved navigator."""
        for widget in (self.modules, self.module_day, self.hours_day, self.hours, self.kind, self.activity,
                       self.allowance, self.amount, self.hours_button, self.hours_view, self.certificate_button):
            widget.setEnabled(saved)

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
        entry = HoursEntry(navigator_id=self.current_id, on=_iso(self.hours_day),
                           hours=Decimal(str(self.hours.value())), kind=self.kind.currentData(),
                           activity=self.activity.text(), allowance=self.allowance.currentData(),
                           amount_cents=round(self.amount.value() * 100))
        if self._run(lambda: self.services.roster.add_hours(entry)):
            self.activity.clear()
            self.amount.setValue(0)
            self.refresh()

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
