"""The composition root: paths, settings, store and services, built once per entry point.

Nothing here is global: ``Services`` is created by the CLI (`cli.context`) or the
GUI's start-up and handed down.  Tests build their own with a temporary folder.

Each service is built (and its module imported) the first time it is used, so
opening the store and showing the Families page do not pay for the handout
renderer (ReportLab, fontTools), the sync crypto or the KAoA catalogues.  Still one
composition root: every service of one ``Services`` shares its store and its
siblings, and the wiring stays here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from elternlotse.locations import DATA_DIR_ENV, PASSPHRASE_ENV, resolve_data_dir, store_exists  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from elternlotse.services.agenda import AgendaService
    from elternlotse.services.backup import BackupService
    from elternlotse.services.catalogs import CatalogService
    from elternlotse.services.checklists import ChecklistService
    from elternlotse.services.consent import ConsentService
    from elternlotse.services.consent_texts import ConsentTextLibrary
    from elternlotse.services.event_kit import EventKitService
    from elternlotse.services.events import EventService
    from elternlotse.services.families import Eraser, FamilyService
    from elternlotse.services.family_list import FamilyListService
    from elternlotse.services.handouts import HandoutService
    from elternlotse.services.call_list import CallListService
    from elternlotse.services.contacts import ContactService
    from elternlotse.services.notices import NoticeService
    from elternlotse.services.planning import PlanningService
    from elternlotse.services.report import ReportService
    from elternlotse.services.duplicates import DuplicateService
    from elternlotse.services.retention import RetentionService
    from elternlotse.services.rollup import RollupService
    from elternlotse.services.partners import PartnerService
    from elternlotse.services.roster import RosterService
    from elternlotse.services.sheet_export import SheetExportService
    from elternlotse.services.sheet_import import SheetImportService
    from elternlotse.services.sync import SyncService
    from elternlotse.store import Store
    from elternlotse.store.keys import KeyDerivation


def erasers() -> tuple[Eraser, ...]:
    """What an erasure must also do in tables other features own (GDPR Art. 17), in this order.

    Passed to ``FamilyService`` explicitly: an erasure never depends on which modules
    happen to have been imported before it.
    """
    from elternlotse.store.duplicates import erase_merge_records
    from elternlotse.store.kaoa import erase_family_rows

    # Values kept for review in sync_conflicts go with every erased row (store.writer.erase_personal_data).
    return (erase_family_rows, erase_merge_records)


@dataclass(eq=False)
class Services:
    """Every use case, wired to one open store; each built on first use."""

    store: Store

    @cached_property
    def families(self) -> FamilyService:
        from elternlotse.services.families import FamilyService

        return FamilyService(self.store, erasers())

    @cached_property
    def consent(self) -> ConsentService:
        from elternlotse.services.consent import ConsentService

        return ConsentService(self.store)

    @cached_property
    def catalogs(self) -> CatalogService:
        from elternlotse.services.catalogs import CatalogService

        return CatalogService(self.store)

    @cached_property
    def checklists(self) -> ChecklistService:
        from elternlotse.services.checklists import ChecklistService

        return ChecklistService(self.store, self.catalogs)

    @cached_property
    def agenda(self) -> AgendaService:
        from elternlotse.services.agenda import AgendaService

        return AgendaService(self.store, self.catalogs, self.checklists)

    @cached_property
    def events(self) -> EventService:
        from elternlotse.services.events import EventService

        return EventService(self.store, self.catalogs, self.checklists)

    @cached_property
    def event_kit(self) -> EventKitService:
        from elternlotse.services.event_kit import EventKitService

        return EventKitService(self.events, self.handouts.context)

    @cached_property
    def family_list(self) -> FamilyListService:
        from elternlotse.services.family_list import FamilyListService

        return FamilyListService(self.store)

    @cached_property
    def consent_texts(self) -> ConsentTextLibrary:
        from elternlotse.services.consent_texts import ConsentTextLibrary

        return ConsentTextLibrary(store=self.store)

    @cached_property
    def sync(self) -> SyncService:
        from elternlotse.services.sync import SyncService

        return SyncService(self.store)

    @cached_property
    def handouts(self) -> HandoutService:
        from elternlotse.services.handouts import HandoutService

        return HandoutService(self.store, self.families, self.checklists)

    @cached_property
    def notices(self) -> NoticeService:
        from elternlotse.services.notices import NoticeService

        return NoticeService(self.store)

    @cached_property
    def contacts(self) -> ContactService:
        from elternlotse.services.contacts import ContactService

        return ContactService(self.store, self.families, self.catalogs)

    @cached_property
    def call_list(self) -> CallListService:
        from elternlotse.services.call_list import CallListService

        return CallListService(self.store, self.agenda, self.checklists, self.contacts)

    @cached_property
    def reports(self) -> ReportService:
        from elternlotse.services.report import ReportService

        return ReportService(self.store, self.catalogs)

    @cached_property
    def rollups(self) -> RollupService:
        from elternlotse.services.rollup import RollupService

        return RollupService(self.store, self.sync, lambda: self.reports.today())

    @cached_property
    def planning(self) -> PlanningService:
        from elternlotse.services.planning import PlanningService

        return PlanningService(self.catalogs, self.checklists, self.events)

    @cached_property
    def retention(self) -> RetentionService:
        from elternlotse.services.retention import RetentionService

        return RetentionService(self.store, self.families, self.checklists)

    @cached_property
    def backup(self) -> "BackupService":
        from elternlotse.services.backup import BackupService

        return BackupService(self.store)

    @cached_property
    def duplicates(self) -> DuplicateService:
        from elternlotse.services.duplicates import DuplicateService

        return DuplicateService(self.store)

    @cached_property
    def roster(self) -> RosterService:
        from elternlotse.services.roster import RosterService

        return RosterService(self.store)

    @cached_property
    def partners(self) -> PartnerService:
        from elternlotse.services.partners import PartnerService

        return PartnerService(self.store)

    @cached_property
    def sheet_import(self) -> SheetImportService:
        from elternlotse.services.sheet_import import SheetImportService

        return SheetImportService(self.store)

    @cached_property
    def sheet_export(self) -> SheetExportService:
        from elternlotse.services.sheet_export import SheetExportService

        return SheetExportService(self.store)


def create_store(data_dir: Path, passphrase: str, name: str, organisation: str = "", office: bool = False,
                 key_derivation: KeyDerivation | None = None) -> Services:
    from elternlotse.store import Store
    from elternlotse.store.keys import PRODUCTION

    store = Store.create(data_dir, passphrase, name, organisation, role="office" if office else "navigator",
                         key_derivation=key_derivation or PRODUCTION)
    return Services(store)


def open_store(data_dir: Path, passphrase: str, key_derivation: KeyDerivation | None = None) -> Services:
    from elternlotse.store import Store
    from elternlotse.store.keys import PRODUCTION

    return Services(Store.open(data_dir, passphrase, key_derivation=key_derivation or PRODUCTION))


def restore_store(source: Path, data_dir: Path, passphrase: str):
    """Restore a backup file into ``data_dir`` (absent or empty); the checked backup header."""
    from elternlotse.services.backup import restore

    return restore(source, data_dir, passphrase)
