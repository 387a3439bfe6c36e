"""Record a contact with a family in seconds, and see the family's contacts (family view, "Contacts" tab).

Today, the last format used and the family's language are preset, so a stand talk is
"Tab to the topics, Space, Ctrl+Enter".  The slot only reads the widgets and calls
``services.contacts.add``; the service checks every value.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.contact_log import CONTACT_FORMAT_LABELS, CONTACT_FORMATS, REFERRAL_LABELS, REFERRALS, Contact
from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.formatting import own_language_name
from elternlotse.i18n.languages import parent_languages
from elternlotse.ui.i18n_qt import set_date_format
from elternlotse.ui.models.contact_model import ContactModel


def _plain(text: str) -> str:
    """A translated label without its &-letter ("&&" stays a literal ampersand)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&&")


def _iso(widget: QDateEdit) -> str:
    return widget.date().toString(Qt.DateFormat.ISODate)


class ContactPanel(QWidget):
    recorded = Signal(str)  # family id

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.family_id = ""
        self._last_format = "individual_talk"

        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        set_date_format(self.day)
        self.format = QComboBox()
        for key in CONTACT_FORMATS:
            self.format.addItem(_(CONTACT_FORMAT_LABELS[key]), key)
        self.language = QComboBox()
        self.interpreter = QCheckBox(_plain(_("An &interpreter took part")))
        self.topics = QListWidget()
        self.topics.setMaximumHeight(120)
        self.referral = QComboBox()
        self.referral.setEditable(True)  # a named company or counsellor as free text
        self.referral.addItem("", "")
        for key in REFERRALS:
            self.referral.addItem(_(REFERRAL_LABELS[key]), key)
        self._fill_partners()
        self.follow_up_on = QCheckBox(_plain(_("Follow &up on")))
        self.follow_up = QDateEdit()
        self.follow_up.setCalendarPopup(True)
        set_date_format(self.follow_up)
        self.follow_up.setEnabled(False)
        self.follow_up_on.toggled.connect(self.follow_up.setEnabled)
        self.note = QLineEdit()
        self.note.setMaxLength(2000)
        self.record_button = QPushButton(_plain(_("&Record contact")))
        self.record_button.setToolTip("Ctrl+Enter")
        self.record_button.clicked.connect(self.record)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()

        # The family view's tabs, buttons and menus hold the mnemonics of this window: the form's
        # labels carry none (Tab walks the form; Ctrl+Enter records), so no letter is taken twice.
        form = QFormLayout()
        for label, widget in ((_("&Date"), self.day), (_("F&ormat"), self.format), (_("&Language"), self.language),
                              ("", self.interpreter), (_("&Topics"), self.topics), (_("Referred &to"), self.referral)):
            self._add_row(form, _plain(label), widget)
        follow = QHBoxLayout()
        follow.addWidget(self.follow_up_on)
        follow.addWidget(self.follow_up, 1)
        form.addRow("", follow)
        self._add_row(form, _plain(_("&Note")), self.note)
        for widget, name in ((self.day, _("Date")), (self.format, _("Format")), (self.language, _("Language")),
                             (self.topics, _("Topics")), (self.referral, _("Referred to")),
                             (self.follow_up, _("Follow-up date")), (self.note, _("Note"))):
            widget.setAccessibleName(name)

        self.model = ContactModel(self._stage_title, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Contacts with this family"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(ContactModel.NOTE, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(_("No contact recorded yet. Record the first one above."))

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.record)
        chain = [self.day, self.format, self.language, self.interpreter, self.topics, self.referral,
                 self.follow_up_on, self.follow_up, self.note, self.record_button, self.table]
        for first, second in zip(chain, chain[1:], strict=False):  # neighbours
            QWidget.setTabOrder(first, second)

    @staticmethod
    def _add_row(form: QFormLayout, label: str, widget: QWidget) -> None:
        if not label:
            form.addRow("", widget)
            return
        buddy = QLabel(label)
        buddy.setBuddy(widget)
        form.addRow(buddy, widget)

    def _stage_title(self, key: str) -> str:
        stage = self._catalog().stage(key)
        return stage.title(active_language()) if stage else key

    def _catalog(self):
        return self.services.catalogs.get()

    # ---------------------------------------------------------------- loading
    def set_family(self, family) -> None:
        """Show the contacts of ``family`` (None: a family not yet saved) and reset the form for a new one."""
        self.family_id = family.id if family else ""
        spoken = [lang for g in (family.guardians if family else []) for lang in g.languages]
        self.language.clear()
        for tag in dict.fromkeys([*spoken, *(lang.tag for lang in parent_languages())]):
            self.language.addItem(own_language_name(tag), tag)
        self.topics.clear()
        for stage in self._catalog().stages:
            item = QListWidgetItem(stage.title(active_language()))
            item.setData(Qt.ItemDataRole.UserRole, stage.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.topics.addItem(item)
        self.reset_form()
        self.refresh()

    def reset_form(self) -> None:
        today = QDate.fromString(self.services.contacts.today().isoformat(), Qt.DateFormat.ISODate)
        self.day.setMaximumDate(today)
        self.day.setDate(today)
        self.follow_up.setMinimumDate(today)
        self.follow_up.setDate(today.addDays(14))
        self.follow_up_on.setChecked(False)
        self.format.setCurrentIndex(max(0, self.format.findData(self._last_format)))
        self.language.setCurrentIndex(0)
        self.interpreter.setChecked(False)
        for i in range(self.topics.count()):
            self.topics.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.referral.setCurrentIndex(0)
        self.note.clear()
        self.error.hide()

    def _fill_partners(self) -> None:
        """The office's partners directory after the referral kinds (it changes with each office package)."""
        typed = self.referral.currentText()
        while self.referral.count() > len(REFERRALS) + 1:
            self.referral.removeItem(self.referral.count() - 1)
        for partner in self.services.partners.list():
            self.referral.addItem(partner.label(), partner.label())
        self.referral.setEditText(typed)

    def refresh(self) -> None:
        self._fill_partners()
        rows = self.services.contacts.list(self.family_id) if self.family_id else []
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.record_button.setEnabled(bool(self.family_id))

    # ---------------------------------------------------------------- recording
    def _referral(self) -> str:
        text = self.referral.currentText().strip()
        index = self.referral.findText(text)
        return self.referral.itemData(index) if index >= 0 else text

    def contact_from_form(self) -> Contact:
        topics = [self.topics.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.topics.count())
                  if self.topics.item(i).checkState() == Qt.CheckState.Checked]
        return Contact(
            family_id=self.family_id, on=_iso(self.day), format=self.format.currentData(),
            language=self.language.currentData() or "", interpreter=self.interpreter.isChecked(), topics=topics,
            referral=self._referral(), follow_up=_iso(self.follow_up) if self.follow_up_on.isChecked() else "",
            note=self.note.text(),
        )

    def record(self) -> None:
        if not self.family_id:
            return
        try:
            contact = self.services.contacts.add(self.contact_from_form())
        except ElternlotseError as error:
            self.error.setText(translate_error(error, isolate=True))
            self.error.show()
            return
        self._last_format = contact.format
        self.reset_form()
        self.refresh()
        self.day.setFocus()
        self.recorded.emit(self.family_id)
