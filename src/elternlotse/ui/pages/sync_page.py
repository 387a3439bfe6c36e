"""Sync: cards and trust, export and import of sync files, the change report, conflicts to review.

Navigator: export for the office into a chosen folder (a USB stick), last export
and last receipt, import the office's package.  Office: an inbox (many files at
once, imported off the GUI thread with progress), the admitted navigators with
their last file and sequence number, export for one navigator, and the
conflicts to review.  All work is done by ``services.sync`` (Qt-free).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, ngettext, translate_error
from elternlotse.i18n.formatting import isolate, ltr, ui_paragraph
from elternlotse.services.sync_report import names_of_nodes, report_lines
from elternlotse.ui.models.list_model import RowRole, SortRole  # noqa: F401  (RowRole re-exported)
from elternlotse.ui.models.sync_models import ConflictModel, FamilyChangeModel, PeerModel, when
from elternlotse.ui.tasks import error_text, runner_for


def _file_filter() -> str:
    return _("Elternlotse sync files (*.elsync)") + ";;" + _("All files (*)")


def _card_filter() -> str:
    return _("Elternlotse cards (*.card *.json)") + ";;" + _("All files (*)")


def _table(model) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view, proxy


def report_text(report, node_name=str) -> str:
    """The change report's lines above the per-family table (the one presenter: services.sync_report)."""
    return "\n".join(report_lines(report, node_name, isolate, families=False))


class SyncPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Sync")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.last_report = None
        self.last_export = None
        self.office = services.store.info.is_office

        # ---- this installation and trust
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_card_button = QPushButton(_("Save my card..."))
        self.save_card_button.clicked.connect(self._save_card)
        self.trust_button = QPushButton(_("Admit a navigator's card...") if self.office else _("Trust the office's card..."))
        self.trust_button.clicked.connect(self._choose_card)
        card_row = QHBoxLayout()
        card_row.addWidget(self.save_card_button)
        card_row.addWidget(self.trust_button)
        card_row.addStretch(1)
        identity_box = QGroupBox(_("This installation"))
        identity_layout = QVBoxLayout(identity_box)
        identity_layout.addWidget(self.identity)
        identity_layout.addLayout(card_row)

        # ---- peers
        self.peer_model = PeerModel(self)
        self.peer_view, self.peer_proxy = _table(self.peer_model)
        self.peer_view.horizontalHeader().setSectionResizeMode(PeerModel.NAME, QHeaderView.ResizeMode.Stretch)
        peers_box = QGroupBox(_("Admitted navigators") if self.office else _("Office"))
        peers_layout = QVBoxLayout(peers_box)
        peers_layout.addWidget(self.peer_view)
        self.revoke_button = QPushButton(_("&Revoke key..."))
        self.revoke_button.clicked.connect(lambda: self.revoke_selected(self._confirm_revoke))
        self.handover_button = QPushButton(_("Hand families o&ver..."))
        self.handover_button.clicked.connect(lambda: self.hand_over_selected(self._choose_navigator))
        self.peer_view.selectionModel().selectionChanged.connect(self._update_buttons)
        if self.office:  # a lost laptop: shut out its key, give its families to another navigator
            peer_buttons = QHBoxLayout()
            peer_buttons.addWidget(self.revoke_button)
            peer_buttons.addWidget(self.handover_button)
            peer_buttons.addStretch(1)
            peers_layout.addLayout(peer_buttons)

        # ---- files
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.export_button = QPushButton(_("Export for the selected navigator...") if self.office
                                         else _("Export for the office..."))
        self.export_button.clicked.connect(self._choose_export_folder)
        self.import_button = QPushButton(_("Import files (inbox)...") if self.office else _("Import the office's package..."))
        self.import_button.clicked.connect(self._choose_import_files)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(_("The change report of the last import appears here."))
        self.report.setMaximumHeight(140)
        # the change report per family: new, updated fields, conflicts, erased, refused (and from whom)
        self.change_model = FamilyChangeModel(self)
        self.change_view, self.change_proxy = _table(self.change_model)
        self.change_view.setAccessibleName(_("Change report per family"))
        files_box = QGroupBox(_("Sync files"))
        files_layout = QVBoxLayout(files_box)
        files_layout.addWidget(self.status)
        files_layout.addLayout(buttons)
        files_layout.addWidget(self.report)
        files_layout.addWidget(self.change_view)

        # ---- conflicts
        self.conflict_model = ConflictModel(self)
        self.conflict_view, self.conflict_proxy = _table(self.conflict_model)
        self.conflict_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.keep_button = QPushButton(_("Keep the current value"))
        self.keep_button.clicked.connect(lambda: self._resolve(False))
        self.other_button = QPushButton(_("Use the other value"))
        self.other_button.clicked.connect(lambda: self._resolve(True))
        conflict_buttons = QHBoxLayout()
        conflict_buttons.addWidget(self.keep_button)
        conflict_buttons.addWidget(self.other_button)
        conflict_buttons.addStretch(1)
        self.conflicts_box = QGroupBox(_("Conflicts to review"))
        conflicts_layout = QVBoxLayout(self.conflicts_box)
        conflicts_layout.addWidget(self.conflict_view)
        conflicts_layout.addLayout(conflict_buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(identity_box)
        layout.addWidget(peers_box, 1)
        layout.addWidget(files_box)
        layout.addWidget(self.conflicts_box, 1)
        self.refresh()

    # ---------------------------------------------------------------- showing
    def refresh(self) -> None:
        sync = self.services.sync
        try:
            card = sync.own_card()
        except ElternlotseError as error:
            self.identity.setText(translate_error(error))
            return
        role = _("office") if card.role == "office" else _("navigator")
        text = _("{name} ({role}), node {node}\nFingerprint: {fingerprint}").format(
            name=isolate(card.name), role=role, node=ltr(card.node_id), fingerprint=ltr(card.fingerprint))
        self.identity.setText("\n".join(ui_paragraph(line) for line in text.split("\n")))
        peers = sync.peers()
        self.peer_model.set_rows(peers)
        self.conflict_model.set_rows(sync.conflicts())
        self.conflicts_box.setTitle(_("Conflicts to review ({count})").format(count=self.conflict_model.rowCount()))
        self.status.setText(self._status_text(peers))
        self._update_buttons()

    def _status_text(self, peers) -> str:
        if self.office:
            return ngettext("{count} navigator admitted.", "{count} navigators admitted.", len(peers)).format(count=len(peers))
        offices = [p for p in peers if p.role == "office"]
        if not offices:
            return _("No office trusted yet: ask the office for its card and compare the fingerprint by phone.")
        office = offices[0]
        return _("Last export: {export} (file {seq})\nLast receipt from the office: {receipt}").format(
            export=when(office.last_export_at) if office.last_export_at else _("never"), seq=office.seq_out,
            receipt=when(office.last_receipt_at) if office.last_receipt_at else _("none yet"))

    def _selected(self, view, proxy, model):
        index = view.selectionModel().currentIndex() if view.selectionModel().hasSelection() else None
        if index is None or not index.isValid():
            return None
        return model.row_at(proxy.mapToSource(index).row())

    def selected_peer(self):
        return self._selected(self.peer_view, self.peer_proxy, self.peer_model)

    def selected_conflict(self):
        return self._selected(self.conflict_view, self.conflict_proxy, self.conflict_model)

    def _update_buttons(self, *_args) -> None:
        has_conflict = self.selected_conflict() is not None
        self.keep_button.setEnabled(has_conflict)
        self.other_button.setEnabled(has_conflict)
        self.export_button.setEnabled(bool(self.peer_model.rowCount()))
        peer = self.selected_peer()
        self.revoke_button.setEnabled(self.office and peer is not None and not peer.revoked)
        self.handover_button.setEnabled(self.office and peer is not None)

    # ---------------------------------------------------------------- cards
    def _save_card(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save my card"), f"{self.services.store.info.name}.card", _card_filter())
        if path:
            try:
                card = self.services.sync.write_card(path)
            except ElternlotseError as error:
                QMessageBox.warning(self, _("Sync"), translate_error(error))
                return
            QMessageBox.information(self, _("Sync"), _("Card saved. Fingerprint to read out: {fingerprint}").format(
                fingerprint=card.fingerprint))

    def _choose_card(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a card"), "", _card_filter())
        if path:
            self.trust_card_file(path, self._confirm_card)

    def _confirm_card(self, card) -> bool:
        text = _("{name} ({organisation}), {role}, node {node}\n\nFingerprint: {fingerprint}\n\n"
                 "Does the other side read out exactly this fingerprint?").format(
            name=card.name, organisation=card.organisation or "-", role=card.role, node=card.node_id,
            fingerprint=card.fingerprint)
        answer = QMessageBox.question(  # "No" is the default: Enter never trusts a stranger's card
            self, _("Trust this card?"), text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def trust_card_file(self, path: str, confirm) -> bool:
        """Read a card, show its fingerprint through ``confirm(card) -> bool``, trust it if confirmed."""
        sync = self.services.sync
        try:
            card = sync.read_card(path)
            sync.check_trust(card)
            if not confirm(card):
                return False
            sync.trust(card)
        except ElternlotseError as error:
            QMessageBox.warning(self, _("Sync"), translate_error(error))
            return False
        self.refresh()
        return True

    # ---------------------------------------------------------------- lost laptop (office)
    def _confirm_revoke(self, peer) -> tuple[bool, str]:
        reason, ok = QInputDialog.getText(self, _("Revoke the key of {name}?").format(name=peer.name), _(
            "Files signed with this key will be refused, whenever they were made, and no packages will be made "
            "for it. This cannot be undone.\n\nReason (optional, for the audit log):"))
        if not ok:
            return False, ""
        answer = QMessageBox.question(  # "No" is the default: Enter never revokes by accident
            self, _("Revoke key"), _("Revoke the key of {name} ({node}) now?").format(name=peer.name, node=peer.node_id),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes, reason

    def revoke_selected(self, confirm) -> bool:
        """Revoke the selected navigator's key if ``confirm(peer) -> (yes, reason)`` says so."""
        peer = self.selected_peer()
        if peer is None or peer.revoked:
            return False
        yes, reason = confirm(peer)
        if not yes:
            return False
        try:
            revoked = self.services.sync.revoke(peer.node_id, reason)
        except ElternlotseError as error:
            QMessageBox.warning(self, _("Sync"), translate_error(error))
            return False
        self.refresh()
        self.status.setText(_("The key of {name} is revoked as of {date}. Hand its families to another navigator with "
                              "\"Hand families over...\".").format(name=isolate(revoked.name), date=ltr(revoked.revoked_on)))
        return True

    def _choose_navigator(self, source, candidates) -> str | None:
        labels = [f"{p.name} ({p.node_id})" for p in candidates]
        label, ok = QInputDialog.getItem(self, _("Hand families over"), _(
            "Hand the families of {name} to:").format(name=source.name), labels, 0, False)
        return candidates[labels.index(label)].node_id if ok and label in labels else None

    def hand_over_selected(self, choose) -> list[str]:
        """Every family of the selected navigator to the one ``choose(source, candidates)`` returns."""
        sync, source = self.services.sync, self.selected_peer()
        if source is None:
            return []
        candidates = [p for p in sync.peers() if p.role == "navigator" and not p.revoked and p.node_id != source.node_id]
        families = sync.families_of(source.node_id)
        if not families or not candidates:
            QMessageBox.information(self, _("Sync"), _("{name} owns no families here.").format(name=source.name)
                                    if not families else _("There is no other navigator to hand them to."))
            return []
        target = choose(source, candidates)
        if target is None:
            return []
        try:
            changed = sync.handover(families, target)
        except ElternlotseError as error:
            QMessageBox.warning(self, _("Sync"), translate_error(error))
            return []
        self.status.setText(ngettext("{count} family handed over to {node}.", "{count} families handed over to {node}.",
                                     len(changed)).format(count=len(changed), node=ltr(target)))
        return changed

    # ---------------------------------------------------------------- files
    def _choose_export_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder or USB stick for the sync file"))
        if folder:
            self.export_to_folder(folder)

    def export_to_folder(self, folder: str):
        """Export (off the GUI thread) into ``folder``; returns the task."""
        to = None
        if self.office:
            peer = self.selected_peer()
            if peer is None:
                QMessageBox.information(self, _("Sync"), _("Select the navigator to export for."))
                return None
            to = peer.node_id

        def work(services, progress):
            target = Path(folder) / services.sync.suggested_file_name(to)
            return services.sync.export(target, to=to)

        return runner_for(self).run(work, on_done=self._exported, on_error=self._failed,
                                    title=_("Writing the sync file..."), parent=self)

    def _exported(self, result) -> None:
        self.last_export = result
        text = _("Wrote {file} (file {seq}): {rows} records, {consents} consent entries.").format(
            file=Path(result.path).name, seq=result.seq, rows=result.rows, consents=result.consents)
        kept = result.withheld.get("families", 0)
        if kept:
            text += "\n" + ngettext("{count} family without consent for the office stays on this laptop (only counted).",
                                    "{count} families without consent for the office stay on this laptop (only counted).",
                                    kept).format(count=kept)
        self.report.setPlainText(text)
        self.refresh()

    def _choose_import_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Choose sync files"), "", _file_filter())
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[str]):
        """Import (off the GUI thread, with progress); the change report appears on the page."""
        self.import_button.setEnabled(False)
        return runner_for(self).run(lambda services, progress: services.sync.import_files(list(paths), progress),
                                    on_done=self._imported, on_error=self._failed,
                                    title=_("Importing sync files..."), parent=self)

    def _imported(self, report) -> None:
        self.last_report = report
        self.import_button.setEnabled(True)
        sync = self.services.sync
        self.change_model.node_name = names_of_nodes(sync.peers(), sync.node_id, sync.actor)
        self.report.setPlainText(report_text(report, self.change_model.node_name))
        self.change_model.set_rows(report.families)
        self.refresh()

    def _failed(self, error) -> None:
        self.import_button.setEnabled(True)
        self.report.setPlainText(error_text(error))

    # ---------------------------------------------------------------- conflicts
    def _resolve(self, use_other: bool) -> None:
        conflict = self.selected_conflict()
        if conflict is None:
            return
        try:
            self.services.sync.resolve(conflict.id, use_lost_value=use_other)
        except ElternlotseError as error:
            QMessageBox.warning(self, _("Sync"), translate_error(error))
        self.refresh()
