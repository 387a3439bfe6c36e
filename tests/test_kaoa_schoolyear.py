"""School years, halves, a child's grade over time with corrections, and stage derivation across boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elternlotse.catalogs import bundled_catalogs
from elternlotse.domain.kaoa import Window, current_and_next, due_periods, stage_windows
from elternlotse.domain.schoolyear import (
    ChildGradeInfo,
    GradeCorrection,
    half_end,
    half_start,
    school_half,
    school_year_start,
)

NRW = next(c for c in bundled_catalogs() if c.id == "nrw-kaoa")
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 12, 31))
grades = st.integers(min_value=1, max_value=13)
years = st.integers(min_value=2015, max_value=2035)


def test_boundaries():
    assert school_year_start(date(2026, 7, 31)) == 2025 and school_year_start(date(2026, 8, 1)) == 2026
    assert school_half(date(2027, 1, 31)) == 1 and school_half(date(2027, 2, 1)) == 2 and school_half(date(2026, 8, 1)) == 1
    assert half_start(2026, 2) == date(2027, 2, 1) and half_end(2026, 1) == date(2027, 1, 31)
    assert half_end(2027, 1) == date(2028, 1, 31) and half_end(2026, 2) == date(2027, 7, 31)


@given(days)
def test_halves_partition_the_school_year(day):
    year = school_year_start(day)
    half = school_half(day)
    assert half_start(year, half) <= day <= half_end(year, half)
    assert half_start(year, 1) <= day <= half_end(year, 2)


@given(grades, years, days)
def test_grade_advances_once_per_school_year(grade, year, day):
    info = ChildGradeInfo(grade, year)
    assert info.grade_on(day) == grade + school_year_start(day) - year
    # constant within a school year, +1 across 1 August
    start = date(school_year_start(day), 8, 1)
    assert info.grade_on(start) == info.grade_on(start + timedelta(days=364))
    assert info.grade_on(start) == info.grade_on(start - timedelta(days=1)) + 1


@given(grades, years, st.integers(min_value=1, max_value=6), days)
def test_repeat_holds_the_grade_back_from_its_year(grade, year, after, day):
    repeat_year = year + after
    info = ChildGradeInfo(grade, year, (GradeCorrection("repeat", repeat_year),))
    plain = ChildGradeInfo(grade, year)
    assert info.grade_in(repeat_year) == info.grade_in(repeat_year - 1)
    target = school_year_start(day)
    expected = plain.grade_in(target) - (1 if target >= repeat_year else 0)
    assert info.grade_in(target) == expected


@given(grades, years, st.integers(min_value=0, max_value=5), grades)
def test_school_change_with_grade_reanchors(grade, year, after, new_grade):
    info = ChildGradeInfo(grade, year, (GradeCorrection("change_school", year + after, grade=new_grade),))
    assert info.grade_in(year + after) == new_grade
    assert info.grade_in(year + after + 2) == new_grade + 2
    if after:
        assert info.grade_in(year) == grade


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=5, max_value=12), years, days)
def test_current_stages_contain_the_day_and_next_start_later(grade, year, day):
    info = ChildGradeInfo(grade, year)
    current, upcoming = current_and_next(NRW, info, day)
    grade_now = info.grade_on(day)
    for sw in current:
        assert sw.window.contains(day)
        assert sw.stage.grades[0] <= grade_now <= sw.stage.grades[1]
        assert sw.stage.target_group is None  # no target group without a correction
    for sw in upcoming:
        assert sw.window.start > day
        assert len({u.window.start for u in upcoming}) == 1
    later = [sw for sw in stage_windows(NRW, info, day) if sw.window.start > day]
    assert bool(upcoming) == bool(later)


@settings(max_examples=80, deadline=None)
@given(years)
def test_pa_in_first_half_of_grade_8_and_bfe_in_second(year):
    info = ChildGradeInfo(8, year)
    windows = {sw.stage.key: sw.window for sw in stage_windows(NRW, info, date(year, 9, 1))}
    assert windows["pa"] == Window(date(year, 9, 1), date(year, 11, 30))
    assert windows["bfe"] == Window(date(year + 1, 2, 1), date(year + 1, 7, 31))
    keys_oct = [sw.stage.key for sw in current_and_next(NRW, info, date(year, 10, 15))[0]]
    keys_feb = [sw.stage.key for sw in current_and_next(NRW, info, date(year + 1, 2, 1))[0]]
    assert "pa" in keys_oct and "bfe" not in keys_oct
    assert "bfe" in keys_feb and "pa" not in keys_feb
    # the day before 1 February: BFE is next
    assert "bfe" in [sw.stage.key for sw in current_and_next(NRW, info, date(year + 1, 1, 31))[1]]


def test_grade_7_in_july_has_grade_8_stages_next_and_repeat_moves_them():
    info = ChildGradeInfo(7, 2026)
    current, upcoming = current_and_next(NRW, info, date(2027, 7, 31))
    keys = {sw.stage.key for sw in upcoming}
    assert {"bo-info", "school-counselling"} <= keys and "pa" not in keys and not current
    assert upcoming[0].window.start == date(2027, 8, 1)
    repeated = ChildGradeInfo(7, 2026, (GradeCorrection("repeat", 2027),))
    assert current_and_next(NRW, repeated, date(2027, 7, 31))[1][0].window.start == date(2028, 8, 1)


def test_newly_arrived_gets_kaoa_kompakt_instead_of_pa():
    info = ChildGradeInfo(8, 2026, (GradeCorrection("newly_arrived", 2026),))
    keys = {sw.stage.key for sw in stage_windows(NRW, info, date(2026, 10, 1))}
    assert "kaoa-kompakt" in keys and "pa" not in keys and "bfe" not in keys
    plain = {sw.stage.key for sw in stage_windows(NRW, ChildGradeInfo(8, 2026), date(2026, 10, 1))}
    assert "pa" in plain and "kaoa-kompakt" not in plain
    # the group counts from its school year on, not before
    later = ChildGradeInfo(8, 2026, (GradeCorrection("newly_arrived", 2027),))
    kompakt = next(sw for sw in stage_windows(NRW, later, date(2027, 9, 1)) if sw.stage.key == "kaoa-kompakt")
    assert kompakt.window.start == date(2027, 8, 1)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(min_value=0, max_value=1500))
def test_due_periods_lie_inside_the_window(start, length):
    win = Window(start, start + timedelta(days=length))
    periods = due_periods(win)
    assert periods and periods[0].start == win.start and periods[-1].end == win.end
    for p in periods:
        assert win.start <= p.start <= p.end <= win.end


@pytest.mark.parametrize("grade, day, expected", [
    (8, date(2026, 8, 1), 8), (8, date(2027, 7, 31), 8), (8, date(2027, 8, 1), 9), (8, date(2026, 7, 31), 7),
])
def test_grade_on_boundary_days(grade, day, expected):
    assert ChildGradeInfo(grade, 2026).grade_on(day) == expected


corrections = st.lists(st.tuples(st.sampled_from(["repeat", "skip"]), st.integers(min_value=1, max_value=8)),
                       max_size=3)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=5, max_value=10), years, corrections, st.integers(min_value=0, max_value=10))
def test_relative_corrections_change_the_yearly_step(grade, year, fixes, offset):
    info = ChildGradeInfo(grade, year, tuple(GradeCorrection(kind, year + after) for kind, after in fixes))
    target = year + offset
    steps = {"repeat": -1, "skip": 1}
    expected = 1 + sum(steps[kind] for kind, after in fixes if year + after == target + 1)
    assert info.grade_in(target + 1) - info.grade_in(target) == expected
    assert info.grade_in(year) == grade  # the recorded grade holds for its own school year


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=6, max_value=10), years, corrections, days)
def test_stage_windows_match_the_corrected_grade(grade, year, fixes, day):
    info = ChildGradeInfo(grade, year, tuple(GradeCorrection(kind, year + after) for kind, after in fixes))
    for sw in stage_windows(NRW, info, day):
        low, high = sw.stage.grades
        # the window starts in a school year in which the child is in the stage's grades, and ends in one
        assert low <= info.grade_on(sw.window.start) <= high
        assert low <= info.grade_on(sw.window.end) <= high
