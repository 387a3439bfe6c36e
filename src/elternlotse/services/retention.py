"""The retention review: who is due for erasure and why; erase (confirmed) or keep, because ...

Rules come from ``resources/retention.json`` (``domain.retention``); the facts of each family
from the store. Erasure is the family service's own (tombstones, sync, every byte).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from elternlotse.domain.consent import Purpose, derive
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import text_field
from elternlotse.domain.retention import LAST_GRADE, Due, FamilyFacts, Rules, due
from elternlotse.domain.schoolyear import half_end
from elternlotse.domain.text import N_
from elternlotse.services.checklists import ChecklistService
from elternlotse.services.families import FamilyService
from elternlotse.store import Store
from elternlotse.store import kaoa as kaoa_repo
from elternlotse.store import retention as repo


def bundled_rules() -> Rules:
    """The rules file the app ships; read once, by the same loader the information sheet uses."""
    from elternlotse.handouts.blocks import bundled_retention_rules

    return bundled_retention_rules()


class RetentionService:
    def __init__(self, store: Store, families: FamilyService, checklists: ChecklistService,
                 today: Callable[[], date] = date.today, rules: Rules | None = None) -> None:
        self.store = store
        self.families = families
        self.checklists = checklists
        self.today = today
        self._rules = rules

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = bundled_rules()
        return self._rules

    def facts(self, today: date | None = None) -> list[FamilyFacts]:
        today = today or self.today()
        conn = self.store.conn
        activity = repo.last_activity(conn)
        kept = repo.kept(conn)
        finished: dict[str, date | None] = {}
        for row, info in self.checklists.all_infos():
            year = info.year_of_grade(LAST_GRADE, last=True)
            end = half_end(year, 2) if year is not None else None
            if row.family_id in finished and finished[row.family_id] is None:
                continue
            if end is None or end > today:
                finished[row.family_id] = None  # a child still in grade 10 or below
            else:
                finished[row.family_id] = max(end, finished.get(row.family_id) or end)
        guardians = kaoa_repo.guardian_contacts(conn)
        person_ids = [g.person_id for members in guardians.values() for g in members]
        history: dict[str, list] = {}
        for entry in kaoa_repo.consent_entries(conn, person_ids):
            history.setdefault(entry.person_id, []).append(entry)
        facts = []
        for family_id, members in guardians.items():
            withdrawn: date | None = None
            for guardian in members:
                entries = [e for e in history.get(guardian.person_id, []) if e.purpose is Purpose.STORE]
                if derive(guardian.person_id, entries).allows(Purpose.STORE):
                    withdrawn = None
                    break
                last = max((e.at[:10] for e in entries), default="")
                day = date.fromisoformat(last) if last else None
                withdrawn = max(withdrawn, day) if (withdrawn and day) else (day or withdrawn)
            else:
                withdrawn = withdrawn or date.fromisoformat(activity.get(family_id, today.isoformat()))
            keep = kept.get(family_id)
            facts.append(FamilyFacts(
                family_id, " / ".join(g.name for g in members),
                date.fromisoformat(activity.get(family_id) or today.isoformat()),
                finished.get(family_id), withdrawn, date.fromisoformat(keep[0]) if keep else None))
        return facts

    def review(self, today: date | None = None) -> list[Due]:
        """Families due for erasure ``today`` (default: the service's today), oldest due first (one row per family and rule)."""
        today = today or self.today()
        found = [d for f in self.facts(today) for d in due(f, self.rules, today)]
        return sorted(found, key=lambda d: (d.due, d.name.casefold(), d.rule))

    def keep(self, family_id: str, reason: str, until: date | None = None) -> date:
        """Keep a due family on purpose, with the reason (recorded, audited) until ``until``."""
        reason = text_field(reason, "reason", required=True, limit=500)
        self.families.get(family_id)  # NotFoundError names the id
        until = until or self.rules.keep_for.after(self.today())
        if until <= self.today():
            raise ValidationError(N_("{field}: the date lies in the past."), field="until")
        with self.store.write(self.store.info.name, "retention.keep", family_id):
            repo.keep(self.store.conn, family_id, until, reason, self.store.info.name)
        return until

    def erase(self, family_id: str) -> None:
        self.families.erase(family_id)

    def write_record(self, path: Path, language: str) -> Path:
        """The record of processing activities (Art. 30) as a PDF in ``language``, from the same rules."""
        from elternlotse.i18n import translator
        from elternlotse.reports.record import write_record

        return write_record(self.store.info, self.rules, path, language, translator(language))
