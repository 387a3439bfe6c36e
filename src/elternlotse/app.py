"""The composition root: paths, settings, store and services, built once per entry point.

Nothing here is global: ``Services`` is created by the CLI (`cli.context`) or the
GUI's start-up and handed down.  Tests build their own with a temporary folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from elternlotse.locations import DATA_DIR_ENV, PASSPHRASE_ENV, resolve_data_dir  # noqa: F401 (re-exported)
from elternlotse.services.agenda import AgendaService
from elternlotse.services.call_list import CallListService
from elternlotse.services.catalogs import CatalogService
from elternlotse.services.checklists import ChecklistService
from elternlotse.services.consent import ConsentService
from elternlotse.services.events import EventService
from elternlotse.services.consent_texts import ConsentTextLibrary
from elternlotse.services.contacts import ContactService
from elternlotse.services.families import FamilyService
from elternlotse.services.handouts import HandoutService
from elternlotse.services.planning import PlanningService
from elternlotse.services.report import ReportService
from elternlotse.services.retention import RetentionService
from elternlotse.services.sync import SyncService
from elternlotse.services.family_list import FamilyListService
from elternlotse.store import Store

@dataclass
class Services:
    """Every use case, wired to one open store."""

    store: Store
    families: FamilyService = field(init=False)
    consent: ConsentService = field(init=False)
    catalogs: CatalogService = field(init=False)
    checklists: ChecklistService = field(init=False)
    agenda: AgendaService = field(init=False)
    events: EventService = field(init=False)
    family_list: FamilyListService = field(init=False)
    consent_texts: ConsentTextLibrary = field(init=False)
    sync: SyncService = field(init=False)
    contacts: ContactService = field(init=False)
    call_list: CallListService = field(init=False)
    reports: ReportService = field(init=False)
    planning: PlanningService = field(init=False)
    retention: RetentionService = field(init=False)
    handouts: HandoutService = field(init=False)

    def __post_init__(self) -> None:
        self.families = FamilyService(self.store)
        self.consent = ConsentService(self.store)
        self.catalogs = CatalogService(self.store)
        self.checklists = ChecklistService(self.store, self.catalogs)
        self.agenda = AgendaService(self.store, self.catalogs, self.checklists)
        self.events = EventService(self.store, self.catalogs, self.checklists)
        self.family_list = FamilyListService(self.store)
        self.sync = SyncService(self.store)
        self.handouts = HandoutService(self.store, self.families, self.checklists)
        self.consent_texts = ConsentTextLibrary(store=self.store)
        self.contacts = ContactService(self.store, self.families, self.catalogs)
        self.call_list = CallListService(self.store, self.agenda, self.checklists, self.contacts)
        self.reports = ReportService(self.store, self.catalogs)
        self.planning = PlanningService(self.catalogs, self.checklists, self.events)
        self.retention = RetentionService(self.store, self.families, self.checklists)


def create_store(data_dir: Path, passphrase: str, name: str, organisation: str = "", office: bool = False) -> Services:
    store = Store.create(data_dir, passphrase, name, organisation, role="office" if office else "navigator")
    return Services(store)


def open_store(data_dir: Path, passphrase: str) -> Services:
    return Services(Store.open(data_dir, passphrase))
