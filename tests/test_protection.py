"""Small-cell protection: no hidden cell can be worked out from what is published."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from elternlotse.domain.protection import HIDDEN, LESS_THAN_5, Published, average, protect, recoverable, round5, suppress

small_counts = st.integers(min_value=0, max_value=12)
tables = st.integers(1, 4).flatmap(lambda rows: st.integers(1, 4).flatmap(
    lambda columns: st.lists(st.lists(small_counts, min_size=columns, max_size=columns), min_size=rows, max_size=rows)))


def brute_force_recovered(published, true_total_hint: int) -> set:
    """An independent attacker: every assignment of the hidden cells that fits every published total.

    "<5" is 1-4, "x" is 5 or more (up to the largest total that could be published).  A hidden cell
    with the same value in every fitting assignment is recovered.
    """
    cells = published.cells
    hidden = [(r, c) for r, row in enumerate(cells) for c, v in enumerate(row) if isinstance(v, str)]
    ceiling = max([true_total_hint, 5])
    choices = [range(1, 5) if cells[r][c] == LESS_THAN_5 else range(5, ceiling + 1) for r, c in hidden]
    size = 1
    for choice in choices:
        size *= len(choice)
    if size > 200_000:
        return set()  # too many to enumerate here; the propagation attacker covers such tables
    seen: dict = {}
    for values in itertools.product(*choices):
        grid = [list(row) for row in cells]
        for (r, c), v in zip(hidden, values, strict=True):
            grid[r][c] = v
        if any(isinstance(t, int) and t != sum(grid[r]) for r, t in enumerate(published.row_totals)):
            continue
        if any(isinstance(t, int) and t != sum(row[c] for row in grid) for c, t in enumerate(published.column_totals)):
            continue
        if isinstance(published.total, int) and published.total != sum(map(sum, grid)):
            continue
        for key, v in zip(hidden, values, strict=True):
            seen.setdefault(key, set()).add(v)
    return {key for key, values in seen.items() if len(values) == 1}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_suppressed_cell_can_be_recovered_from_the_totals(cells):
    published = suppress(cells)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            shown = published.cells[r][c]
            if 0 < value < 5:
                assert shown == LESS_THAN_5                  # every small cell is hidden
            elif isinstance(shown, int):
                assert shown == value                        # what is shown is true
            else:
                assert shown == HIDDEN and value >= 5        # secondary cells are marked apart
    for totals in (published.row_totals, published.column_totals, [published.total]):
        assert all(not (isinstance(t, int) and 0 < t < 5) for t in totals)
    assert brute_force_recovered(published, sum(map(sum, cells))) == set()


def primary_only(cells) -> tuple[Published, dict]:
    """Small cells hidden, nothing else: secondary suppression switched off."""
    hidden = {(r, c): LESS_THAN_5 for r, row in enumerate(cells) for c, v in enumerate(row) if 0 < v < 5}
    published = Published([[hidden.get((r, c), v) for c, v in enumerate(row)] for r, row in enumerate(cells)],
                          [sum(row) for row in cells], [sum(column) for column in zip(*cells, strict=True)],
                          sum(map(sum, cells)))
    return published, hidden


def test_without_secondary_suppression_both_attackers_recover_the_small_cell():
    published, hidden = primary_only([[3, 20], [7, 9]])
    assert brute_force_recovered(published, 39) == {(0, 0)}   # the test's attacker can fail suppress()
    assert recoverable([[3, 20], [7, 9]], hidden, set()) == {(0, 0)}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_the_attacker_finds_what_an_independent_brute_force_finds_without_secondary_suppression(cells):
    published, hidden = primary_only(cells)
    assume(4 ** len(hidden) <= 200_000)  # small enough for the brute force to enumerate
    assert recoverable(cells, hidden, set()) == brute_force_recovered(published, sum(map(sum, cells)))


def test_a_lone_small_cell_takes_a_neighbour_with_it():
    published = suppress([[3, 20], [7, 9]])
    assert published.cells[0][0] == LESS_THAN_5
    assert sum(isinstance(v, str) for row in published.cells for v in row) >= 2
    assert published.total == 39


def test_rounding_to_multiples_of_five_hides_small_cells():
    published = protect([[1, 2, 3], [7, 12, 0]], "round5")
    assert published.cells == [[0, 0, 5], [5, 10, 0]]
    assert published.row_totals == [5, 20] and published.total == 25
    assert [round5(v) for v in (0, 2, 3, 7, 8)] == [0, 0, 5, 5, 10]


def test_no_average_over_fewer_than_five():
    assert average(12, 4) is None and average(20, 5) == 4
