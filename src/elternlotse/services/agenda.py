"""The next-steps agenda: checklist items due now or within N weeks, by week and family, with consented channels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.kaoa import PENDING_STATUSES, due_in, item_window, stage_windows, week_monday
from elternlotse.domain.text import N_
from elternlotse.services.catalogs import CatalogService
from elternlotse.services.checklists import ChecklistService
from elternlotse.services.reach import ContactOption, family_reach
from elternlotse.store import Store
from elternlotse.store import kaoa as repo

MAX_WEEKS = 52


@dataclass
class AgendaItem:
    child_id: str
    child: str
    grade: int
    stage_key: str
    stage: str
    item_key: str
    text: str
    status: str
    starts: date
    ends: date
    due_now: bool
    consent_needed: bool = False

    @property
    def ref(self) -> str:
        return f"{self.stage_key}/{self.item_key}"


@dataclass
class AgendaFamily:
    family_id: str
    name: str
    languages: list[str]
    contacts: list[ContactOption]
    items: list[AgendaItem] = field(default_factory=list)


@dataclass
class AgendaWeek:
    monday: date
    families: list[AgendaFamily] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(f.items) for f in self.families)


@dataclass
class Agenda:
    on: date
    weeks_ahead: int
    catalog_id: str
    catalog_version: str
    weeks: list[AgendaWeek] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(w.item_count for w in self.weeks)

    def to_json(self) -> dict:
        return {
            "date": self.on.isoformat(), "weeks_ahead": self.weeks_ahead,
            "catalog": {"id": self.catalog_id, "version": self.catalog_version},
            "weeks": [{
                "week_of": w.monday.isoformat(),
                "families": [{
                    "family_id": f.family_id, "name": f.name, "languages": f.languages,
                    "channels": [c.as_json() for c in f.contacts],
                    "items": [{
                        "child_id": i.child_id, "child": i.child, "grade": i.grade, "stage": i.stage_key,
                        "stage_title": i.stage, "item": i.item_key, "text": i.text, "status": i.status,
                        "from": i.starts.isoformat(), "until": i.ends.isoformat(), "due_now": i.due_now,
                        "consent_needed": i.consent_needed,
                    } for i in f.items],
                } for f in w.families],
            } for w in self.weeks],
        }


class AgendaService:
    @staticmethod
    def _due_items(catalog, info, on: date, last: date, language: str) -> list:
        """(stage, item, window, due day, stage title, item text) of every item due in ``on..last``."""
        plan = []
        for sw in stage_windows(catalog, info, on):
            if not sw.window.overlaps(on, last):
                continue
            since = info.group_since(sw.stage.target_group) if sw.stage.target_group else None
            for item in sw.stage.items:
                win = item_window(sw.stage, item, info, since) or sw.window
                due = due_in(win, on, last)
                if due is not None:
                    plan.append((sw.stage, item, win, due, sw.stage.title(language), item.text(language)))
        return plan

    def __init__(self, store: Store, catalogs: CatalogService, checklists: ChecklistService) -> None:
        self.store = store
        self.catalogs = catalogs
        self.checklists = checklists

    def next_steps(self, on: date | None = None, weeks: int = 4, language: str = "en",
                   family_id: str | None = None) -> Agenda:
        """Open or discussed items due between ``on`` and ``on + weeks`` weeks (``domain.kaoa.due_periods``)."""
        on = on or date.today()
        if isinstance(weeks, bool) or not isinstance(weeks, int) or not 0 <= weeks <= MAX_WEEKS:
            raise ValidationError(N_("{field}: expected a whole number from {low} to {high}."), field="weeks",
                                  low=0, high=MAX_WEEKS)
        last = on + timedelta(weeks=weeks) - timedelta(days=1) if weeks else on
        catalog = self.catalogs.get(on=on)
        conn = self.store.conn
        infos = [(row, info) for row, info in self.checklists.all_infos() if not family_id or row.family_id == family_id]
        recorded = repo.checklist_rows(conn, [row.id for row, _ in infos]) if family_id else repo.checklist_rows(conn)
        by_week: dict[date, dict[str, list[AgendaItem]]] = {}
        plans: dict = {}  # children with the same grade history share their due items
        for row, info in infos:
            plan = plans.get(info)
            if plan is None:
                plan = plans[info] = self._due_items(catalog, info, on, last, language)
            if not plan:
                continue
            done = recorded.get(row.id, {})
            grade = info.grade_on(on)
            for stage, item, win, due, title, text in plan:
                stored = done.get((stage.key, item.key))
                status = stored.status if stored else "open"
                if status not in PENDING_STATUSES:
                    continue
                entry = AgendaItem(row.id, row.first_name, grade, stage.key, title, item.key, text, status,
                                   win.start, win.end, win.start <= on, stage.consent_needed)
                by_week.setdefault(week_monday(due), {}).setdefault(row.family_id, []).append(entry)
        reach = family_reach(conn, sorted({fid for fams in by_week.values() for fid in fams}))
        agenda = Agenda(on, weeks, catalog.id, catalog.version)
        for monday in sorted(by_week):
            week = AgendaWeek(monday)
            for fid, items in by_week[monday].items():
                r = reach.get(fid)
                if r is None:
                    continue
                items.sort(key=lambda i: (i.starts, i.child, i.stage_key, i.item_key))
                week.families.append(AgendaFamily(fid, r.name, r.languages, r.contacts, items))
            week.families.sort(key=lambda f: (not f.contacts, f.items[0].starts, f.name.casefold()))
            agenda.weeks.append(week)
        return agenda
