"""Vocational-orientation catalogues (KAoA and others) as plain data, and stage windows.

A catalogue is data (``resources/catalogs/*.json``, validated by
``elternlotse.catalogs``); this module holds its shape and the rules that turn
a stage's grade range and timing into a date window for one child.  Progress is
recorded per child under ``stage key / item key``, never under a catalogue
version, so a newer catalogue keeps what was recorded under the older one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from elternlotse.domain.schoolyear import (
    ChildGradeInfo,
    half_end,
    half_start,
    month_end,
    month_start,
)
from elternlotse.domain.text import N_

CATALOG_FORMAT = "elternlotse.catalog/1"
REQUIRED_LANGUAGES = ("de", "en")

#: Parents' role in a stage (what the parents are asked to do).
PARENT_ROLES = ("inform", "consent", "attend", "support", "decide", "accompany")
PARENT_ROLE_LABELS = {
    "inform": N_("Be informed"),
    "consent": N_("Give consent"),
    "attend": N_("Attend"),
    "support": N_("Support the child"),
    "decide": N_("Decide together"),
    "accompany": N_("Go along"),
}

#: Target groups a child can belong to (set by per-child corrections).
TARGET_GROUPS = ("newly_arrived", "special_needs", "long_internship")
TARGET_GROUP_LABELS = {
    "newly_arrived": N_("Newly arrived (KAoA-kompakt)"),
    "special_needs": N_("Special educational needs (KAoA-STAR)"),
    "long_internship": N_("Long-term internship"),
}


def pick_text(texts: dict[str, str], language: str) -> str:
    """The text in ``language`` (or its base language: fa for fa-AF), else German, else English, else any.

    German, not English, is the fallback: a parent's sheet or the app in a language the
    catalogue lacks shows the words the school uses, which the navigator can explain.
    """
    for tag in (language, language.split("-")[0], "de", "en"):
        if texts.get(tag):
            return texts[tag]
    return next(iter(texts.values()), "")


@dataclass(frozen=True)
class Timing:
    """When in a school year something happens.

    ``half`` 1 (1 Aug - 31 Jan) or 2 (1 Feb - 31 Jul); or ``months`` (first,
    last) in school-year order (9, 10 = September to October; 2, 7 = February
    to July); neither = the whole school year.  The start applies to the first
    grade of the range, the end to the last.
    """

    half: int | None = None
    months: tuple[int, int] | None = None
    hint: dict[str, str] = field(default_factory=dict)

    def start_in(self, school_year: int) -> date:
        if self.half:
            return half_start(school_year, self.half)
        if self.months:
            return month_start(school_year, self.months[0])
        return half_start(school_year, 1)

    def end_in(self, school_year: int) -> date:
        if self.half:
            return half_end(school_year, self.half)
        if self.months:
            return month_end(school_year, self.months[1])
        return half_end(school_year, 2)

    def describe(self) -> str:
        if self.half:
            return f"half {self.half}"
        if self.months:
            return f"months {self.months[0]}-{self.months[1]}"
        return "school year"


@dataclass(frozen=True)
class ChecklistItemDef:
    key: str
    texts: dict[str, str]
    timing: Timing | None = None          # overrides the stage's timing
    grades: tuple[int, int] | None = None  # overrides the stage's grades

    def text(self, language: str) -> str:
        return pick_text(self.texts, language)


@dataclass(frozen=True)
class Stage:
    key: str
    titles: dict[str, str]
    grades: tuple[int, int]
    timing: Timing
    parents_role: str
    parents_texts: dict[str, str]
    consent_needed: bool = False
    optional: bool = False
    target_group: str | None = None
    excluded_groups: tuple[str, ...] = ()
    number: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)
    items: tuple[ChecklistItemDef, ...] = ()

    def title(self, language: str) -> str:
        return pick_text(self.titles, language)

    def parents_text(self, language: str) -> str:
        return pick_text(self.parents_texts, language)

    def applies_to(self, groups: Iterable[str]) -> bool:
        groups = set(groups)
        if self.target_group and self.target_group not in groups:
            return False
        return not (groups & set(self.excluded_groups))

    def item(self, key: str) -> ChecklistItemDef | None:
        return next((i for i in self.items if i.key == key), None)


@dataclass(frozen=True)
class Catalog:
    id: str
    programme: str
    region: str
    version: str
    valid_from: date
    source: str
    titles: dict[str, str]
    stages: tuple[Stage, ...]

    def title(self, language: str) -> str:
        return pick_text(self.titles, language)

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    @property
    def version_key(self) -> tuple[int, ...]:
        return version_key(self.version)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# ---------------------------------------------------------------- windows

@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and self.end >= first


def window(grades: tuple[int, int], timing: Timing, child: ChildGradeInfo, groups_from: int | None = None) -> Window | None:
    """The dates in which a child is in ``grades`` at ``timing``; None if it never is.

    ``groups_from`` (a school-year start) clamps the window's start for
    target-group stages: a child who joins KAoA-kompakt in 2026/27 does it then,
    not in a year it was not yet here.
    """
    span = child.years_in_grades(grades[0], grades[1])
    if span is None:
        return None
    start = timing.start_in(span[0])
    end = timing.end_in(span[1])
    if groups_from is not None:
        start = max(start, half_start(groups_from, 1))
    if end < start:
        return None
    return Window(start, end)


@dataclass(frozen=True)
class StageWindow:
    stage: Stage
    window: Window


def stage_windows(catalog: Catalog, child: ChildGradeInfo, day: date) -> list[StageWindow]:
    """Every stage that applies to the child (groups as of ``day``) with its window, by start."""
    groups = child.groups_at(day)
    found = []
    for stage in catalog.stages:
        if not stage.applies_to(groups):
            continue
        since = child.group_since(stage.target_group) if stage.target_group else None
        win = window(stage.grades, stage.timing, child, since)
        if win is not None:
            found.append(StageWindow(stage, win))
    found.sort(key=lambda sw: (sw.window.start, sw.window.end))
    return found


def current_and_next(catalog: Catalog, child: ChildGradeInfo, day: date) -> tuple[list[StageWindow], list[StageWindow]]:
    """Stages whose window contains ``day``; and the stage(s) that start next after ``day``."""
    windows = stage_windows(catalog, child, day)
    current = [sw for sw in windows if sw.window.contains(day)]
    later = [sw for sw in windows if sw.window.start > day]
    upcoming = [sw for sw in later if sw.window.start == later[0].window.start] if later else []
    return current, upcoming


def item_window(stage: Stage, item: ChecklistItemDef, child: ChildGradeInfo, groups_from: int | None = None) -> Window | None:
    return window(item.grades or stage.grades, item.timing or stage.timing, child, groups_from)


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# ---------------------------------------------------------------- checklist status

STATUSES = ("open", "discussed", "done", "not_applicable")
STATUS_LABELS = {
    "open": N_("Open"),
    "discussed": N_("Discussed with the parents"),
    "done": N_("Done"),
    "not_applicable": N_("Not applicable"),
}
#: Statuses that still call for action (shown in the agenda).
PENDING_STATUSES = ("open", "discussed")


def parse_status(value: str, where: str = "status") -> str:
    from elternlotse.domain.errors import ValidationError

    if value not in STATUSES:
        raise ValidationError(N_("{field}: '{value}' is not a checklist status (one of: {allowed})."),
                              field=where, value=value, allowed=", ".join(STATUSES))
    return value


# ---------------------------------------------------------------- when an item is due

#: Windows longer than this are "running" items (portfolio, counselling over several grades).
LONG_WINDOW_DAYS = 200
#: How long a running item stays on the agenda after each reminder point.
REMINDER_DAYS = 28


def due_periods(win: Window) -> list[Window]:
    """When an item belongs on the agenda.

    An item with a window of up to about half a year is due for its whole
    window.  A running item is due for four weeks from its start, from the
    start of each school half (1 August, 1 February) inside its window, and in
    its last four weeks; in between it would only drown the timed steps.
    """
    if (win.end - win.start).days <= LONG_WINDOW_DAYS:
        return [win]
    points = {win.start, win.end - timedelta(days=REMINDER_DAYS - 1)}
    year = win.start.year - 1
    while year <= win.end.year:
        for month in (8, 2):
            point = date(year + (month == 2), month, 1)
            if win.start <= point <= win.end:
                points.add(point)
        year += 1
    periods = []
    for point in sorted(points):
        end = min(point + timedelta(days=REMINDER_DAYS - 1), win.end)
        periods.append(Window(point, end))
    return periods


def due_in(win: Window, first: date, last: date) -> date | None:
    """The first day in ``first..last`` on which an item with window ``win`` is due, or None."""
    for period in due_periods(win):
        if period.overlaps(first, last):
            return max(period.start, first)
    return None
