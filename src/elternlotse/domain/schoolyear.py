"""School years as NRW counts them: a year starts on 1 August."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

SCHOOL_YEAR_START_MONTH = 8
_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


def school_year_start(day: date) -> int:
    """The calendar year in which the school year containing ``day`` began."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def school_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def current_school_year(day: date) -> str:
    return school_year_label(school_year_start(day))


def parse_school_year(label: str, where: str = "school_year") -> int:
    """'2026/27' -> 2026; refuses labels whose two years do not follow each other."""
    match = _LABEL.match(label or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(
            N_("{field}: '{value}' is not a school year like 2026/27."), field=where, value=label
        )
    return int(match.group(1))


# ---------------------------------------------------------------- halves and months
#
# The NRW school year runs from 1 August to 31 July; its second half begins on
# 1 February.  A school year is named by the calendar year it starts in.

SECOND_HALF_MONTH = 2


def school_half(day: date) -> int:
    """1 for 1 August - 31 January, 2 for 1 February - 31 July."""
    return 1 if day.month >= SCHOOL_YEAR_START_MONTH or day.month < SECOND_HALF_MONTH else 2


def month_year(school_year: int, month: int) -> int:
    """The calendar year of ``month`` within the school year starting in ``school_year``."""
    return school_year if month >= SCHOOL_YEAR_START_MONTH else school_year + 1


def month_start(school_year: int, month: int) -> date:
    return date(month_year(school_year, month), month, 1)


def month_end(school_year: int, month: int) -> date:
    year = month_year(school_year, month)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def half_start(school_year: int, half: int) -> date:
    return month_start(school_year, SCHOOL_YEAR_START_MONTH if half == 1 else SECOND_HALF_MONTH)


def half_end(school_year: int, half: int) -> date:
    return month_end(school_year, SECOND_HALF_MONTH - 1 if half == 1 else SCHOOL_YEAR_START_MONTH - 1)


def school_year_bounds(school_year: int) -> tuple[date, date]:
    return half_start(school_year, 1), half_end(school_year, 2)


# ---------------------------------------------------------------- a child's grade over time

#: Kinds of per-child correction.  ``repeat``/``skip`` shift the grade from
#: their school year on; ``change_school`` and ``grade`` may set the grade
#: outright; ``newly_arrived`` and ``target_group`` put the child in a target group.
CORRECTION_KINDS = ("repeat", "skip", "change_school", "grade", "newly_arrived", "target_group")
RELATIVE_KINDS = {"repeat": -1, "skip": +1}
CORRECTION_LABELS = {
    "repeat": N_("Repeats the school year"),
    "skip": N_("Skips a grade"),
    "change_school": N_("Changed school"),
    "grade": N_("Grade corrected"),
    "newly_arrived": N_("Newly arrived (KAoA-kompakt)"),
    "target_group": N_("Belongs to a target group"),
}
MAX_GRADE = 13


@dataclass(frozen=True)
class GradeCorrection:
    kind: str
    school_year: int            # start year of the school year it takes effect in
    grade: int | None = None    # the grade in that school year, where the correction sets it
    group: str = ""             # target group (newly_arrived implies "newly_arrived")
    order: str = ""             # clock stamp: later corrections win ties


@dataclass(frozen=True)
class ChildGradeInfo:
    """A child's grade as recorded (``grade`` in ``school_year``) plus corrections.

    The grade advances by one each school year (1 August); ``repeat`` holds it
    back, ``skip`` moves it on, an absolute correction re-anchors it.
    """

    grade: int
    school_year: int
    corrections: tuple[GradeCorrection, ...] = ()

    def _anchors(self) -> list[tuple[int, int]]:
        points = [(self.school_year, 0, "", self.grade)]
        for c in self.corrections:
            if c.grade is not None and c.kind not in RELATIVE_KINDS:
                points.append((c.school_year, 1, c.order, c.grade))
        points.sort()
        return [(year, grade) for year, _, _, grade in points]

    def grade_in(self, school_year: int) -> int:
        anchors = self._anchors()
        before = [a for a in anchors if a[0] <= school_year]
        year, grade = before[-1] if before else anchors[0]
        shift = 0
        for c in self.corrections:
            step = RELATIVE_KINDS.get(c.kind)
            if step is None:
                continue
            if year < c.school_year <= school_year:
                shift += step
            elif school_year < c.school_year <= year:
                shift -= step
        return grade + (school_year - year) + shift

    def grade_on(self, day: date) -> int:
        return self.grade_in(school_year_start(day))

    def years_in_grades(self, low: int, high: int) -> tuple[int, int] | None:
        """First and last school year in which the grade is within ``low..high``."""
        return _years_in_grades(self, low, high)

    def year_of_grade(self, grade: int, last: bool = False) -> int | None:
        years = [y for y in range(self.school_year - 16, self.school_year + 20) if self.grade_in(y) == grade]
        if not years:
            return None
        return years[-1] if last else years[0]

    def group_since(self, group: str | None) -> int | None:
        years = [c.school_year for c in self.corrections if group and group in _groups_of(c)]
        return min(years) if years else None

    def groups_at(self, day: date) -> set[str]:
        year = school_year_start(day)
        return {g for c in self.corrections if c.school_year <= year for g in _groups_of(c)}


@lru_cache(maxsize=8192)
def _years_in_grades(info: ChildGradeInfo, low: int, high: int) -> tuple[int, int] | None:
    years = [y for y in range(info.school_year - 16, info.school_year + 20) if low <= info.grade_in(y) <= high]
    return (years[0], years[-1]) if years else None


def _groups_of(correction: GradeCorrection) -> set[str]:
    if correction.kind == "newly_arrived":
        return {"newly_arrived"}
    if correction.kind == "target_group" and correction.group:
        return {correction.group}
    return set()
