"""Count people who give no data (a stand, a fair tour): "12 parents, Arabic, topic Ausbildung".

Nothing about anyone is stored: a day, a format, a number, a language and topics.
Opened from File > Count visitors (Ctrl+T); Enter records.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
)

from elternlotse.domain.contact_log import CONTACT_FORMAT_LABELS, CONTACT_FORMATS, MAX_TALLY, Tally
from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.formatting import own_language_name
from elternlotse.i18n.languages import parent_languages
from elternlotse.ui.i18n_qt import set_date_format
from elternlotse.ui.widgets.form_rows import add_labelled_rows, error_label, lay_out_form_dialog


class TallyDialog(QDialog):
    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.saved: Tally | None = None
        self.setWindowTitle(_("Count visitors"))
        intro = QLabel(_("People who talked with you but gave no data are counted here; nobody is recorded."))
        intro.setWordWrap(True)
        self.count = QSpinBox()
        self.count.setRange(1, MAX_TALLY)
        self.format = QComboBox()
        for key in CONTACT_FORMATS:
            self.format.addItem(_(CONTACT_FORMAT_LABELS[key]), key)
        self.format.setCurrentIndex(self.format.findData("parent_teacher_day"))
        self.language = QComboBox()
        self.language.addItem(_("several or not known"), "")
        for lang in parent_languages():
            self.language.addItem(own_language_name(lang.tag), lang.tag)
        self.topics = QListWidget()
        self.topics.setMaximumHeight(140)
        for stage in services.catalogs.get().stages:
            item = QListWidgetItem(stage.title(active_language()))
            item.setData(Qt.ItemDataRole.UserRole, stage.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.topics.addItem(item)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        set_date_format(self.day)
        today = QDate.fromString(services.contacts.today().isoformat(), Qt.DateFormat.ISODate)
        self.day.setMaximumDate(today)
        self.day.setDate(today)
        self.error = error_label()

        form = QFormLayout()
        add_labelled_rows(form, ((_("&People"), self.count, _("Number of people")),
                                (_("F&ormat"), self.format, _("Format")),
                                (_("&Language"), self.language, _("Language")),
                                (_("&Topics"), self.topics, _("Topics")),
                                (_("&Date"), self.day, _("Date"))))
        self.ok_button = lay_out_form_dialog(self, (intro, form, self.error), _("&Count"), self.record)  # Enter records
        self.count.setFocus()
        self.count.selectAll()

    def record(self) -> None:
        topics = [self.topics.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.topics.count())
                  if self.topics.item(i).checkState() == Qt.CheckState.Checked]
        try:
            self.saved = self.services.contacts.tally(Tally(
                on=self.day.date().toString(Qt.DateFormat.ISODate), format=self.format.currentData(),
                count=self.count.value(), language=self.language.currentData() or "", topics=topics))
        except ElternlotseError as error:
            self.error.setText(translate_error(error, isolate=True))
            self.error.show()
            return
        self.accept()
