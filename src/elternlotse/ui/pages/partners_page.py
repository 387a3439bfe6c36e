"""Partners: the office's directory of institutions (list, detail form, add and edit).

At an office the directory is kept here; on a navigator's laptop it arrives with the office's
package and is shown read-only (the form is disabled and says why).
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.contact import display_phone
from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.partners import PARTNER_KIND_LABELS, PARTNER_KINDS, Partner
from elternlotse.i18n import _, translate_error
from elternlotse.ui.models.roster_models import PartnerListModel, RowRole, SortRole


def table_view(model, stretch: int, name: str) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = QTableView()
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSortingEnabled(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setAccessibleName(name)
    return view, proxy


def tags(text: str) -> list[str]:
    """Language tags typed as "de, tr ar" (checked by the service)."""
    return [t for t in text.replace(",", " ").split() if t]


class PartnersPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Partners")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.office = services.store.info.is_office
        self.current_id = ""
        self.model = PartnerListModel(self)
        self.view, self.proxy = table_view(self.model, PartnerListModel.NAME, _("Partners"))
        self.view.sortByColumn(PartnerListModel.NAME, Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.new_button = QPushButton(_("New partner"))
        self.new_button.clicked.connect(self.new_partner)
        self.hint = QLabel(_("The office keeps this directory and sends it with its package; it cannot be changed"
                             " here.") if not self.office else "")
        self.hint.setWordWrap(True)

        self.kind = QComboBox()
        for key in PARTNER_KINDS:
            self.kind.addItem(_(PARTNER_KIND_LABELS[key]), key)
        self.name = QLineEdit()
        self.contact_person = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.languages = QLineEdit()
        self.languages.setPlaceholderText(_("language tags, e.g. de, tr, ar"))
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(90)
        self.save_button = QPushButton(_("Save partner"))
        self.save_button.clicked.connect(self.save)
        self.error = QLabel()
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in ((_("Kind"), self.kind), (_("Name"), self.name),
                              (_("Contact person"), self.contact_person), (_("Phone"), self.phone),
                              (_("E-mail"), self.email), (_("Languages"), self.languages), (_("Notes"), self.notes)):
            form.addRow(label, widget)
        self.notes.setAccessibleName(_("Notes"))
        detail = QWidget()
        d_layout = QVBoxLayout(detail)
        d_layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        d_layout.addLayout(buttons)
        d_layout.addWidget(self.error)
        d_layout.addStretch(1)
        for widget in (self.kind, self.name, self.contact_person, self.phone, self.email, self.languages, self.notes,
                       self.save_button, self.new_button):
            widget.setEnabled(self.office)

        left = QWidget()
        l_layout = QVBoxLayout(left)
        l_layout.setContentsMargins(0, 0, 0, 0)
        l_layout.addWidget(self.hint)
        self.hint.setVisible(not self.office)   # only once it has a parent: never a window of its own
        l_layout.addWidget(self.new_button)
        l_layout.addWidget(self.view, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.setTabOrder(self.new_button, self.view)
        chain = [self.view, self.kind, self.name, self.contact_person, self.phone, self.email, self.languages,
                 self.notes, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    def refresh(self) -> None:
        self.model.set_rows(self.services.partners.list())
        self._select(self.current_id)

    def _select(self, partner_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if partner_id and index.data(RowRole).id == partner_id:
                self.view.setCurrentIndex(index)
                return

    def _selected(self, current, _previous=None) -> None:
        partner = current.data(RowRole) if current.isValid() else None
        if partner is not None:
            self.show_partner(partner)

    def show_partner(self, partner: Partner) -> None:
        self.current_id = partner.id
        self.kind.setCurrentIndex(max(0, self.kind.findData(partner.kind)))
        self.name.setText(partner.name)
        self.contact_person.setText(partner.contact_person)
        self.phone.setText(display_phone(partner.phone) if partner.phone else "")
        self.email.setText(partner.email)
        self.languages.setText(", ".join(partner.languages))
        self.notes.setPlainText(partner.notes)
        self.error.clear()

    def new_partner(self) -> None:
        self.view.clearSelection()
        self.show_partner(Partner(kind=PARTNER_KINDS[0], name=""))
        self.name.setFocus()

    def form_partner(self) -> Partner:
        return Partner(kind=self.kind.currentData(), name=self.name.text(), contact_person=self.contact_person.text(),
                       phone=self.phone.text(), email=self.email.text(), languages=tags(self.languages.text()),
                       notes=self.notes.toPlainText(), id=self.current_id)

    def save(self) -> None:
        partner = self.form_partner()
        try:
            saved = self.services.partners.edit(partner) if partner.id else self.services.partners.add(partner)
        except ElternlotseError as error:
            self.error.setText(translate_error(error))
            return
        self.current_id = saved.id
        self.error.setText(_("Saved."))
        self.refresh()
