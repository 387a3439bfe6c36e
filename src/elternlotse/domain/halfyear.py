"""The half-year plan of a school's family café: one topic a month, proposed from the KAoA windows.

Navigators plan twice a year with the school and the office. For a school half-year
(1 August - 31 January, 1 February - 31 July) every café month gets the KAoA stage that
parents of grades 8-10 need *next*: a stage whose window starts in that month or in the
two after it comes first (parents hear of the Potenzialanalyse before it happens), a stage
running in that month second; the more children of the school are in the grades it
concerns, the higher it ranks; each stage once. Months without a fitting stage get an open
topic for questions. The navigator may change any month before events are made from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from elternlotse.domain.kaoa import Catalog, Window, window
from elternlotse.domain.schoolyear import ChildGradeInfo, month_end, month_start, school_year_start

#: Café months of each half (school-year months: 8 = August ... 7 = July): none in the summer holidays.
CAFE_MONTHS = {1: (9, 10, 11, 12, 1), 2: (2, 3, 4, 5, 6)}
GRADES = (8, 9, 10)
LOOKAHEAD_MONTHS = 2
OPEN_TOPIC = ""


@dataclass
class PlanMonth:
    first_day: date
    stage_key: str                      # OPEN_TOPIC when nothing fits
    grades: list[int] = field(default_factory=list)
    reason: str = ""                    # "starts" | "runs" | "open" | "chosen"


@dataclass
class HalfYearPlan:
    school: str
    school_year: int
    half: int
    months: list[PlanMonth]

    def to_json(self) -> dict:
        return {"school": self.school, "school_year": self.school_year, "half": self.half,
                "months": [{"month": m.first_day.strftime("%Y-%m"), "stage": m.stage_key, "grades": m.grades,
                            "reason": m.reason} for m in self.months]}


def _month_end_after(first: date, months: int) -> date:
    """The last day of the month ``months`` after ``first``'s month (calendar arithmetic)."""
    index = first.year * 12 + first.month - 1 + months + 1
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def half_of(day: date) -> tuple[int, int]:
    """(school year, half) of ``day``."""
    return school_year_start(day), 1 if day.month >= 8 or day.month == 1 else 2


def propose(catalog: Catalog, school: str, day: date, children_by_grade: dict[int, int]) -> HalfYearPlan:
    """The proposal for the half-year of ``day``; ``children_by_grade`` weighs the stages (school's children)."""
    year, half = half_of(day)
    cohorts = {grade: ChildGradeInfo(grade=grade, school_year=year) for grade in GRADES}
    windows = []  # (stage, grade, window) of every stage a grade 8-10 pupil meets this year
    for stage in catalog.stages:
        if stage.target_group or stage.grades[0] > max(GRADES) or stage.grades[1] < min(GRADES):
            continue
        for grade, child in cohorts.items():
            if not stage.grades[0] <= grade <= stage.grades[1]:
                continue
            win = window(stage.grades, stage.timing, child)
            if win is None:
                continue
            # This school year's part of it: a stage of grades 8-10 runs again every year.
            start, end = max(win.start, stage.timing.start_in(year)), min(win.end, stage.timing.end_in(year))
            if start <= end:
                windows.append((stage, grade, Window(start, end)))
    chosen: set[str] = set()
    months = []
    for month in CAFE_MONTHS[half]:
        first, last = month_start(year, month), month_end(year, month)
        ahead = _month_end_after(first, LOOKAHEAD_MONTHS)
        best = None
        for stage, grade, win in windows:
            if stage.key in chosen:
                continue
            starts_soon = first <= win.start <= ahead
            runs = win.start <= last and win.end >= first
            if not (starts_soon or runs):
                continue
            weight = children_by_grade.get(grade, 0)
            # Starting soon first, then more children, then a short window (an event, not a whole year).
            score = (starts_soon, weight, -(win.end - win.start).days, -abs((win.start - first).days))
            if best is None or score > best[0]:
                best = (score, stage, "starts" if starts_soon else "runs")
        if best is None:
            months.append(PlanMonth(first, OPEN_TOPIC, [], "open"))
            continue
        _score, stage, reason = best
        chosen.add(stage.key)
        grades = sorted({g for s, g, w in windows if s.key == stage.key and w.start <= ahead and w.end >= first})
        months.append(PlanMonth(first, stage.key, grades, reason))
    return HalfYearPlan(school, year, half, months)


def change(plan: HalfYearPlan, month: str, stage_key: str, catalog: Catalog) -> HalfYearPlan:
    """The navigator's choice for one month ("2026-10"); an unknown month or stage raises KeyError."""
    target = next((m for m in plan.months if m.first_day.strftime("%Y-%m") == month), None)
    if target is None:
        raise KeyError(month)
    if stage_key and catalog.stage(stage_key) is None:
        raise KeyError(stage_key)
    target.stage_key, target.reason = stage_key, "chosen" if stage_key else "open"
    stage = catalog.stage(stage_key) if stage_key else None
    target.grades = [g for g in GRADES if stage and stage.grades[0] <= g <= stage.grades[1]]
    return plan
