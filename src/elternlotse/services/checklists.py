"""A child's grade and stages on a date, per-child corrections, and the checklist per child.

Checklist items are recorded under stage key + item key (synced table
``checklist_items``); items the catalogue in use no longer has stay visible as
"from an earlier catalogue version".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from elternlotse.domain.clock import Stamp
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.kaoa import (
    TARGET_GROUPS,
    Catalog,
    StageWindow,
    Window,
    current_and_next,
    item_window,
    parse_status,
    stage_windows,
)
from elternlotse.domain.schoolyear import (
    CORRECTION_KINDS,
    MAX_GRADE,
    ChildGradeInfo,
    GradeCorrection,
    current_school_year,
    parse_school_year,
    school_year_label,
    school_year_start,
)
from elternlotse.domain.text import N_
from elternlotse.services.catalogs import CatalogService
from elternlotse.store import Store
from elternlotse.store import kaoa as repo



def grade_info(child: repo.ChildRow, corrections: list[repo.CorrectionRow] = ()) -> ChildGradeInfo:
    """The recorded grade (with its school year, else the year the record was made) plus corrections."""
    if child.school_year:
        base_year = parse_school_year(child.school_year)
    else:
        try:
            made = datetime.fromtimestamp(Stamp.parse(child.created).wall_ms / 1000, tz=timezone.utc).date()
        except ValidationError:
            made = date.today()
        base_year = school_year_start(made)
    return ChildGradeInfo(
        grade=child.grade or 0,
        school_year=base_year,
        corrections=tuple(
            GradeCorrection(kind=c.kind, school_year=parse_school_year(c.school_year), grade=c.grade,
                            group=c.target_group, order=c.created)
            for c in corrections
        ),
    )


@dataclass
class ChildStatus:
    child_id: str
    family_id: str
    first_name: str
    grade: int
    school_year: str
    groups: list[str]
    catalog: Catalog
    current: list[StageWindow]
    upcoming: list[StageWindow]
    left_school: bool = False


@dataclass
class ChecklistEntry:
    stage_key: str
    item_key: str
    stage_title: str
    text: str
    status: str = "open"
    date: str = ""
    done_by: str = ""
    note: str = ""
    window: Window | None = None
    current: bool = False
    known: bool = True  # False: recorded under an earlier catalogue version

    @property
    def ref(self) -> str:
        return f"{self.stage_key}/{self.item_key}"


@dataclass
class ChildChecklist:
    status: ChildStatus
    entries: list[ChecklistEntry] = field(default_factory=list)

    @property
    def earlier(self) -> list[ChecklistEntry]:
        return [e for e in self.entries if not e.known]


class ChecklistService:
    def __init__(self, store: Store, catalogs: CatalogService) -> None:
        self.store = store
        self.catalogs = catalogs

    @property
    def actor(self) -> str:
        return self.store.info.name

    # ---------------------------------------------------------------- grade and stages
    def grade_info(self, child_id: str) -> ChildGradeInfo:
        child = repo.child(self.store.conn, child_id)
        return grade_info(child, repo.corrections(self.store.conn, [child_id]).get(child_id, []))

    def status(self, child_id: str, on: date | None = None) -> ChildStatus:
        on = on or date.today()
        child = repo.child(self.store.conn, child_id)
        info = grade_info(child, repo.corrections(self.store.conn, [child_id]).get(child_id, []))
        return self._status(child, info, on, self.catalogs.get(on=on))

    def _status(self, child: repo.ChildRow, info: ChildGradeInfo, on: date, catalog: Catalog) -> ChildStatus:
        current, upcoming = current_and_next(catalog, info, on)
        grade = info.grade_on(on)
        return ChildStatus(child.id, child.family_id, child.first_name, grade, current_school_year(on),
                           sorted(info.groups_at(on)), catalog, current, upcoming, left_school=grade > MAX_GRADE)

    # ---------------------------------------------------------------- checklist
    def checklist(self, child_id: str, on: date | None = None, language: str = "en") -> ChildChecklist:
        on = on or date.today()
        child = repo.child(self.store.conn, child_id)
        info = grade_info(child, repo.corrections(self.store.conn, [child_id]).get(child_id, []))
        catalog = self.catalogs.get(on=on)
        status = self._status(child, info, on, catalog)
        recorded = repo.checklist_rows(self.store.conn, [child_id]).get(child_id, {})
        entries = []
        for sw in stage_windows(catalog, info, on):
            since = info.group_since(sw.stage.target_group) if sw.stage.target_group else None
            for item in sw.stage.items:
                win = item_window(sw.stage, item, info, since) or sw.window
                entry = ChecklistEntry(sw.stage.key, item.key, sw.stage.title(language), item.text(language),
                                       window=win, current=win.contains(on))
                _apply(entry, recorded.pop((sw.stage.key, item.key), None))
                entries.append(entry)
        for (stage_key, item_key), row in sorted(recorded.items()):
            stage = catalog.stage(stage_key)
            item = stage.item(item_key) if stage else None
            entry = ChecklistEntry(stage_key, item_key, stage.title(language) if stage else stage_key,
                                   item.text(language) if item else item_key, known=False)
            _apply(entry, row)
            entries.append(entry)
        return ChildChecklist(status, entries)

    def set_item(self, child_id: str, item_ref: str, status: str, note: str | None = None,
                 day: date | None = None, on: date | None = None) -> ChecklistEntry:
        """Record the status of one item (``stage/item``, or an item key unique in the catalogue)."""
        status = parse_status(status)
        child = repo.child(self.store.conn, child_id)
        stage_key, item_key = self._resolve(child_id, item_ref, on)
        if note is not None and len(note) > 2000:
            raise ValidationError(N_("{field}: longer than {limit} characters."), field="note", limit=2000)
        with self.store.write(self.actor, "checklist.set", child_id) as writer:
            repo.write_checklist_item(writer, child, stage_key, item_key, status,
                                      (day or date.today()).isoformat(), self.actor,
                                      note.strip() if note is not None else None)
        return next(e for e in self.checklist(child_id, on).entries if (e.stage_key, e.item_key) == (stage_key, item_key))

    def _resolve(self, child_id: str, item_ref: str, on: date | None) -> tuple[str, str]:
        catalog = self.catalogs.get(on=on)
        recorded = repo.checklist_rows(self.store.conn, [child_id]).get(child_id, {})
        if "/" in item_ref:
            stage_key, item_key = item_ref.split("/", 1)
            stage = catalog.stage(stage_key)
            if (stage and stage.item(item_key)) or (stage_key, item_key) in recorded:
                return stage_key, item_key
        else:
            found = [(s.key, i.key) for s in catalog.stages for i in s.items if i.key == item_ref]
            found += [k for k in recorded if k[1] == item_ref and k not in found]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise ValidationError(N_("{field}: '{value}' is in more than one stage; write it as stage/item."),
                                      field="item", value=item_ref)
        raise ValidationError(N_("{field}: '{value}' is not a checklist item of the catalogue {catalog}."),
                              field="item", value=item_ref, catalog=catalog.id)

    # ---------------------------------------------------------------- corrections
    def add_correction(self, child_id: str, kind: str, school_year: str | None = None, grade: int | None = None,
                       group: str = "", school: str = "", note: str = "") -> ChildGradeInfo:
        """Record a repeat, skip, school change, newly arrived or target group from a school year on."""
        if kind not in CORRECTION_KINDS:
            raise ValidationError(N_("{field}: '{value}' is not a kind of correction (one of: {allowed})."),
                                  field="kind", value=kind, allowed=", ".join(CORRECTION_KINDS))
        label = school_year or current_school_year(date.today())
        parse_school_year(label, "school_year")
        if grade is not None and (isinstance(grade, bool) or grade not in range(1, MAX_GRADE + 1)):
            raise ValidationError(N_("{field}: the grade must be a whole number from 1 to 13."), field="grade")
        if kind in ("repeat", "skip") and grade is not None:
            raise ValidationError(N_("{field}: a '{kind}' correction moves the grade by one; give no grade."),
                                  field="grade", kind=kind)
        if kind == "grade" and grade is None:
            raise ValidationError(N_("{field}: is missing."), field="grade")
        if kind == "target_group" and group not in TARGET_GROUPS:
            raise ValidationError(N_("{field}: '{value}' is not a target group (one of: {allowed})."),
                                  field="group", value=group, allowed=", ".join(TARGET_GROUPS))
        if kind != "target_group":
            group = ""
        child = repo.child(self.store.conn, child_id)
        with self.store.write(self.actor, "child.correct", child_id) as writer:
            repo.insert_correction(writer, child, kind, label, grade, group, school.strip()[:200], note.strip()[:2000])
        return self.grade_info(child_id)

    def corrections(self, child_id: str) -> list[repo.CorrectionRow]:
        repo.child(self.store.conn, child_id)
        return repo.corrections(self.store.conn, [child_id]).get(child_id, [])

    # ---------------------------------------------------------------- many children at once
    def all_infos(self) -> list[tuple[repo.ChildRow, ChildGradeInfo]]:
        rows = repo.children(self.store.conn)
        fixes = repo.corrections(self.store.conn)
        return [(row, grade_info(row, fixes.get(row.id, []))) for row in rows if row.grade]


def _apply(entry: ChecklistEntry, row: repo.ChecklistRow | None) -> None:
    if row is not None:
        entry.status, entry.date, entry.done_by, entry.note = row.status, row.date, row.done_by, row.note


__all__ = ["ChecklistService", "ChildChecklist", "ChecklistEntry", "ChildStatus", "grade_info", "school_year_label"]
