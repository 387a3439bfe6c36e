"""The half-year plan of a school's family café: propose, change, print, export, make events.

The proposal is ``domain.halfyear.propose`` weighted by the school's children in grades 8-10
(from the store). Events made from a plan are ordinary office/navigator events (type
``family_cafe`` at the school, on a fixed weekday of each month), so invitations, sign-in
sheets, attendance and the calendar file work on them as on any other event.
"""

from __future__ import annotations

from datetime import date, timedelta

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.halfyear import GRADES, OPEN_TOPIC, HalfYearPlan, change, propose
from elternlotse.domain.text import N_
from elternlotse.services.catalogs import CatalogService
from elternlotse.services.checklists import ChecklistService
from elternlotse.services.events import EventService

DEFAULT_WEEKDAY = 2       # Wednesday (Monday = 0)
DEFAULT_WEEK = 2          # the second one of the month
DEFAULT_TIME = "16:30"


def nth_weekday(first: date, weekday: int, nth: int) -> date:
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    return day + timedelta(weeks=nth - 1)


class PlanningService:
    def __init__(self, catalogs: CatalogService, checklists: ChecklistService, events: EventService) -> None:
        self.catalogs = catalogs
        self.checklists = checklists
        self.events = events

    def schools(self) -> list[str]:
        return sorted({row.school for row, _info in self.checklists.all_infos() if row.school}, key=str.casefold)

    def half_year(self, school: str, day: date, changes: dict[str, str] | None = None) -> HalfYearPlan:
        school = (school or "").strip()
        if not school:
            raise ValidationError(N_("{field}: must not be empty."), field="school")
        catalog = self.catalogs.get(on=day)
        children: dict[int, int] = {}
        for row, info in self.checklists.all_infos():
            if row.school.casefold() == school.casefold():
                grade = info.grade_on(day)
                if grade in GRADES:
                    children[grade] = children.get(grade, 0) + 1
        plan = propose(catalog, school, day, children)
        for month, stage in (changes or {}).items():
            try:
                change(plan, month, stage, catalog)
            except KeyError:
                raise ValidationError(N_("{field}: '{value}' is not a month of this half-year or not a stage."),
                                      field="set", value=f"{month}={stage}") from None
        return plan

    def stage_title(self, key: str, language: str, day: date) -> str:
        stage = self.catalogs.get(on=day).stage(key) if key else None
        return stage.title(language) if stage else ""

    def sessions(self, plan: HalfYearPlan, weekday: int = DEFAULT_WEEKDAY, at: str = DEFAULT_TIME,
                 week: int = DEFAULT_WEEK, language: str = "de", open_title: str = "") -> list[dict]:
        """The plan's cafés as event documents (not yet stored)."""
        if not 0 <= weekday <= 6 or not 1 <= week <= 4:
            raise ValidationError(N_("{field}: expected a whole number from {low} to {high}."), field="weekday",
                                  low=0, high=6)
        hour, _sep, minute = at.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValidationError(N_("{field}: '{value}' is not a time like 16:30."), field="time", value=at)
        documents = []
        for month in plan.months:
            day = nth_weekday(month.first_day, weekday, week)
            starts = f"{day.isoformat()}T{int(hour):02d}:{int(minute):02d}"
            ends = f"{day.isoformat()}T{min(int(hour) + 2, 23):02d}:{int(minute):02d}"
            title = self.stage_title(month.stage_key, language, day) if month.stage_key != OPEN_TOPIC else open_title
            documents.append({"type": "family_cafe", "title": title, "starts": starts, "ends": ends,
                              "place": plan.school, "topics": [month.stage_key] if month.stage_key else []})
        return documents

    def create_events(self, plan: HalfYearPlan, **options) -> list[str]:
        """Store the plan's cafés as events; a café already planned at the school on that day is kept, not doubled."""
        existing = {(r.starts[:10], r.place.casefold()) for r in self.events.list() if r.type == "family_cafe"}
        created = []
        for document in self.sessions(plan, **options):
            if (document["starts"][:10], document["place"].casefold()) in existing:
                continue
            created.append(self.events.add(document).id)
        return created

    def export(self, plan: HalfYearPlan, suffix: str, language: str, translate, **options) -> bytes:
        """The plan as a one-page PDF (``.pdf``) or a calendar file (``.ics``), labels in ``language``."""
        import uuid

        open_title = translate(N_("Open questions"))
        sessions = self.sessions(plan, language=language, open_title=open_title, **options)
        if suffix == ".ics":
            from elternlotse.reports.calendar import events_ics

            cafe = translate(N_("Family café"))
            return events_ics([{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"elternlotse-plan/{plan.school}/{s['starts']}")),
                                "summary": s["title"] or cafe, "starts": s["starts"], "ends": s["ends"],
                                "place": s["place"], "description": cafe} for s in sessions])
        if suffix != ".pdf":
            raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="-o", value=suffix,
                                  allowed=".pdf, .ics")
        from elternlotse.reports.plan_pdf import plan_pdf

        rows = []
        for month, session in zip(plan.months, sessions, strict=True):
            stage = self.catalogs.get(on=month.first_day).stage(month.stage_key) if month.stage_key else None
            rows.append([month.first_day.strftime("%Y-%m"), session["starts"].replace("T", " "), session["title"],
                         ", ".join(str(g) for g in month.grades),
                         stage.parents_text(language) if stage else translate(N_("Questions the parents bring"))])
        title = translate(N_("Family café at {school}: half-year plan {year}/{next} ({half}. half)")).format(
            school=plan.school, year=plan.school_year, next=str(plan.school_year + 1)[-2:], half=plan.half)
        return plan_pdf(title, rows, language, translate)
