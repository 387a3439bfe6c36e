"""Small-cell protection for every table that leaves the office.

Two rules, the office picks one (``protect``):

* ``suppress``: cells of 1-4 are not published (shown as "<5"), and further cells
  ("x") until nobody can work a hidden value out from what is published: the other
  cells of its row and column, the row and column totals and the grand total, knowing
  that a "<5" cell lies between 1 and 4 (and a "<5" total too).  The check is the attacker
  itself (``recoverable``): interval propagation over every line of the table and their
  reduced combinations, repeated until nothing changes, then (up to ``EXACT_LIMIT`` hidden
  cells) an exact bounded search whether another value of each cell still fits.  Secondary cells are chosen smallest first, so as little as possible
  is hidden.
* ``round5``: every cell and every total is rounded to a multiple of 5 on its own
  (the Destatis rule): 1-2 become 0, 3-7 become 5, ...; no suppression needed.

``none`` publishes the counts as they are; it is only for the office's own checks
(``services.report`` refuses it for files).

A table is ``rows x columns`` of non-negative counts with row, column and grand totals.
Cells are published as ints or as the markers ``LESS_THAN_5`` and ``HIDDEN``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PROTECTIONS = ("suppress", "round5", "none")
THRESHOLD = 5
LESS_THAN_5 = "<5"
HIDDEN = "x"
MIN_FOR_AVERAGE = 5

Cell = int | str


@dataclass
class Published:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def round5(value: int) -> int:
    return int(THRESHOLD * ((value + THRESHOLD // 2) // THRESHOLD))


def _lines(rows: int, columns: int) -> list[tuple[list[tuple[int, int]], tuple[str, int]]]:
    """Every line of the table: the cells it adds up and which total it has."""
    lines = [([(r, c) for c in range(columns)], ("row", r)) for r in range(rows)]
    lines += [([(r, c) for r in range(rows)], ("column", c)) for c in range(columns)]
    lines.append(([(r, c) for r in range(rows) for c in range(columns)], ("total", 0)))
    return lines


def recoverable(cells: list[list[int]], hidden: dict[tuple[int, int], str],
                hidden_totals: set[tuple[str, int]]) -> set[tuple[int, int]]:
    """Hidden cells an attacker can pin to one value from what is published.

    The attacker knows every published cell and total, that "<5" cells hold 1-4 and "x"
    cells 5 or more.  It combines the lines (Gaussian elimination: "grand total minus a
    row" is a line too) and narrows each hidden cell's interval over every line and every
    combination until nothing changes.
    """
    rows, columns = len(cells), len(cells[0]) if cells else 0
    keys = sorted(hidden)
    if not keys:
        return set()
    position = {k: i for i, k in enumerate(keys)}
    row_sum = [sum(r) for r in cells]
    column_sum = [sum(cells[r][c] for r in range(rows)) for c in range(columns)]
    grand = sum(row_sum)
    equations: list[tuple[list[int], int]] = []
    for members, key in _lines(rows, columns):
        if key in hidden_totals:
            continue
        kind, index = key
        total = row_sum[index] if kind == "row" else column_sum[index] if kind == "column" else grand
        coefficients = [0] * len(keys)
        rest = total
        for member in members:
            if member in position:
                coefficients[position[member]] = 1
            else:
                rest -= cells[member[0]][member[1]]
        if any(coefficients):
            equations.append((coefficients, rest))
    lines = [([i for i, a in enumerate(c) if a], int(v), int(v)) for c, v in equations]  # every line: 0/1 sums
    equations += _reduced(equations, len(keys))
    low = [1 if hidden[k] == LESS_THAN_5 else THRESHOLD for k in keys]
    high = [THRESHOLD - 1 if hidden[k] == LESS_THAN_5 else max(grand, THRESHOLD) for k in keys]
    small_lines = _hidden_total_bounds(cells, keys, position, hidden_totals, row_sum, column_sum, grand)
    _narrow(equations, small_lines, low, high, len(keys))
    pinned = {k for i, k in enumerate(keys) if low[i] >= high[i]}
    lines += [([i for i, a in enumerate(c) if a], int(lo), int(hi)) for c, lo, hi in small_lines]
    low, high = [int(x) for x in low], [int(x) for x in high]
    # Interval propagation alone misses what two lines tell together (row 1 minus column 2 ...).
    # The exact attacker: one assignment that fits everything, then for each cell whether another
    # value fits too, by a bounded search (up to EXACT_LIMIT hidden cells and SEARCH_BUDGET nodes per
    # question; past them the propagation above is what holds).
    if len(keys) > EXACT_LIMIT:
        return pinned
    solution = _search(lines, low, high, [SEARCH_BUDGET])
    if solution is None:
        return pinned
    for i, key in enumerate(keys):
        if key in pinned:
            continue
        budget = [SEARCH_BUDGET]
        other = None
        if solution[i] > low[i]:
            other = _search(lines, low, high[:i] + [solution[i] - 1] + high[i + 1:], budget)
        if other is None and solution[i] < high[i]:
            other = _search(lines, low[:i] + [solution[i] + 1] + low[i + 1:], high, budget)
        if other is None and budget[0] > 0:
            pinned.add(key)  # no other value fits: the attacker knows this cell
    return pinned


UNBOUNDED = 10 ** 9
#: Up to this many hidden cells the exact attacker runs (a report's tables by one or two dimensions);
#: beyond, interval propagation over the lines and their reduced combinations is the check.
EXACT_LIMIT = 24
SEARCH_BUDGET = 2000  # search nodes per question; a report's tables need far fewer


def _hidden_total_bounds(cells, keys, position, hidden_totals, row_sum, column_sum, grand):
    """The lines whose total is hidden: the attacker still knows "<5" totals lie in 1-4, "x" in 5 or more."""
    rows, columns = len(cells), len(cells[0]) if cells else 0
    bounds = []
    for members, key in _lines(rows, columns):
        if key not in hidden_totals:
            continue
        kind, index = key
        total = row_sum[index] if kind == "row" else column_sum[index] if kind == "column" else grand
        coefficients = [0] * len(keys)
        known = 0
        for member in members:
            if member in position:
                coefficients[position[member]] = 1
            else:
                known += cells[member[0]][member[1]]
        # an "x" total says only "5 or more": no ceiling (the grand total itself may be hidden)
        lo, hi = (1, THRESHOLD - 1) if 0 < total < THRESHOLD else (THRESHOLD, UNBOUNDED)
        if any(coefficients):
            bounds.append((coefficients, lo - known, hi - known))
    return bounds


def _sparse(coefficients: list[int], value_low: int, value_high: int) -> tuple[list[tuple[int, int]], int, int]:
    """A line as its non-zero (index, coefficient) pairs."""
    return [(i, a) for i, a in enumerate(coefficients) if a], value_low, value_high


def _narrow(equations, ranges, low, high, width) -> bool:
    """Interval propagation until nothing changes; False when no assignment fits.

    Integer arithmetic throughout (integer coefficients, bounds rounded inwards with floor
    division) and each line's lowest and highest sum kept up to date as a
    bound moves, so a line costs one pass over its members, not one per member.
    """
    lines = [_sparse(c, v, v) for c, v in equations] + [_sparse(c, lo, hi) for c, lo, hi in ranges]
    lines = [line for line in lines if line[0]]
    for _ in range(8 * (width + 1)):
        changed = False
        for terms, value_low, value_high in lines:
            top = sum(a * (high[j] if a > 0 else low[j]) for j, a in terms)     # the line's highest sum
            bottom = sum(a * (low[j] if a > 0 else high[j]) for j, a in terms)  # and its lowest
            for i, a in terms:
                if a > 0:
                    up, down = a * high[i], a * low[i]
                    lo_rest, hi_rest = value_low - (top - up), value_high - (bottom - down)
                    new_low, new_high = -(-lo_rest // a), hi_rest // a
                else:
                    up, down = a * low[i], a * high[i]
                    lo_rest, hi_rest = value_low - (top - up), value_high - (bottom - down)
                    new_low, new_high = -(-hi_rest // a), lo_rest // a
                new_low, new_high = max(low[i], new_low), min(high[i], new_high)
                if new_low > new_high:
                    return False
                if new_low != low[i] or new_high != high[i]:
                    low[i], high[i] = new_low, new_high
                    if a > 0:
                        top += a * new_high - up
                        bottom += a * new_low - down
                    else:
                        top += a * new_low - up
                        bottom += a * new_high - down
                    changed = True
        if not changed:
            break
    return True


def _narrow_lines(lines, low: list[int], high: list[int]) -> bool:
    """Integer interval propagation over 0/1 lines (members, lowest sum, highest sum); False when nothing fits."""
    for _ in range(4 * (len(low) + 1)):
        changed = False
        for members, line_low, line_high in lines:
            top = sum(high[j] for j in members)
            bottom = sum(low[j] for j in members)
            if bottom > line_high or top < line_low:
                return False
            for i in members:
                new_low = max(low[i], line_low - (top - high[i]))
                new_high = min(high[i], line_high - (bottom - low[i]))
                if new_low > new_high:
                    return False
                if new_low != low[i] or new_high != high[i]:
                    top += new_high - high[i]
                    bottom += new_low - low[i]
                    low[i], high[i] = new_low, new_high
                    changed = True
        if not changed:
            return True
    return True


def _search(lines, low: list[int], high: list[int], budget: list[int]) -> list[int] | None:
    """One integer assignment within the bounds that fits every line, or None (none, or out of budget)."""
    if budget[0] <= 0:
        return None
    budget[0] -= 1
    low, high = list(low), list(high)
    if not _narrow_lines(lines, low, high):
        return None
    open_ = [i for i in range(len(low)) if low[i] < high[i]]
    if not open_:
        return low
    i = min(open_, key=lambda j: high[j] - low[j])
    middle = (low[i] + high[i]) // 2
    for lo, hi in ((low[i], middle), (middle + 1, high[i])):
        found = _search(lines, low[:i] + [lo] + low[i + 1:], high[:i] + [hi] + high[i + 1:], budget)
        if found is not None:
            return found
        if budget[0] <= 0:
            return None
    return None


def _reduced(equations: list[tuple[list[int], int]], width: int) -> list[tuple[list[int], int]]:
    """The rows of the system's reduced row echelon form: every combination the lines imply.

    Fraction-free: each row is kept as integers divided by their common divisor, so a row is the
    reduced echelon row times a non-zero number (the same line to the attacker) and no Fraction
    is ever built.
    """
    matrix = [list(c) + [v] for c, v in equations]
    pivot_row = 0
    for column in range(width):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead_row = matrix[pivot_row]
        lead = lead_row[column]
        for r in range(len(matrix)):
            factor = matrix[r][column]
            if r != pivot_row and factor != 0:
                matrix[r] = _primitive([lead * x - factor * y for x, y in zip(matrix[r], lead_row, strict=True)])
        pivot_row += 1
    return [(row[:width], row[width]) for row in matrix[:pivot_row]]


def _primitive(row: list[int]) -> list[int]:
    """The row divided by the greatest common divisor of its entries (numbers stay small)."""
    divisor = math.gcd(*row)
    return [x // divisor for x in row] if divisor > 1 else row


def suppress(cells: list[list[int]]) -> Published:
    """Primary suppression of 1-4, then secondary suppression until nothing is recoverable."""
    rows, columns = len(cells), len(cells[0]) if cells else 0
    hidden: dict[tuple[int, int], str] = {(r, c): LESS_THAN_5 for r in range(rows) for c in range(columns)
                                          if 0 < cells[r][c] < THRESHOLD}
    row_sum = [sum(r) for r in cells]
    column_sum = [sum(cells[r][c] for r in range(rows)) for c in range(columns)]
    grand = sum(row_sum)
    # Totals that are small themselves are hidden like cells (a row total of 3 names a small group).
    hidden_totals = {("row", r) for r in range(rows) if 0 < row_sum[r] < THRESHOLD}
    hidden_totals |= {("column", c) for c in range(columns) if 0 < column_sum[c] < THRESHOLD}
    if 0 < grand < THRESHOLD:
        hidden_totals.add(("total", 0))
    while True:
        exposed = recoverable(cells, hidden, hidden_totals)
        if not exposed:
            break
        lone = _lone_totals(cells, hidden, hidden_totals, exposed)
        if lone:  # a total that is a hidden cell plus zeros tells the cell: hide the total, not more cells
            hidden_totals |= lone
            continue
        choices = [c for c in (_secondary(cells, hidden, t) for t in sorted(exposed)) if c is not None]
        if choices:
            hidden[min(choices, key=lambda k: (cells[k[0]][k[1]], k))] = HIDDEN
        else:  # nothing left to hide in their lines: hide the lines' totals
            before = len(hidden_totals)
            for row, column in exposed:
                hidden_totals |= {("row", row), ("column", column), ("total", 0)}
            if len(hidden_totals) == before:
                break  # every cell and total of those lines is hidden already: nothing more to publish less of
    return Published(
        cells=[[hidden.get((r, c), cells[r][c]) for c in range(columns)] for r in range(rows)],
        row_totals=[_total(row_sum[r], ("row", r), hidden_totals) for r in range(rows)],
        column_totals=[_total(column_sum[c], ("column", c), hidden_totals) for c in range(columns)],
        total=_total(grand, ("total", 0), hidden_totals),
    )


def _total(value: int, key: tuple[str, int], hidden_totals: set) -> Cell:
    if key not in hidden_totals:
        return value
    return LESS_THAN_5 if 0 < value < THRESHOLD else HIDDEN


def _lone_totals(cells, hidden, hidden_totals, exposed) -> set[tuple[str, int]]:
    """Row and column totals of exposed cells whose line holds nothing else: no other hidden, no non-zero cell."""
    found = set()
    for r0, c0 in exposed:
        row_rest = [(r0, c) for c in range(len(cells[0])) if c != c0]
        column_rest = [(r, c0) for r in range(len(cells)) if r != r0]
        for key, rest in ((("row", r0), row_rest), (("column", c0), column_rest)):
            if key not in hidden_totals and all(k not in hidden and cells[k[0]][k[1]] == 0 for k in rest):
                found.add(key)
    return found


def _secondary(cells, hidden, target) -> tuple[int, int] | None:
    """The smallest published non-zero cell in the target's row or column (so the line gets two unknowns)."""
    r0, c0 = target
    candidates = [(cells[r0][c], (r0, c)) for c in range(len(cells[0])) if (r0, c) not in hidden and cells[r0][c] > 0]
    candidates += [(cells[r][c0], (r, c0)) for r in range(len(cells)) if (r, c0) not in hidden and cells[r][c0] > 0]
    if not candidates:
        return None
    return min(candidates)[1]


def round_all(cells: list[list[int]]) -> Published:
    rows, columns = len(cells), len(cells[0]) if cells else 0
    return Published(
        cells=[[round5(v) for v in row] for row in cells],
        row_totals=[round5(sum(row)) for row in cells],
        column_totals=[round5(sum(cells[r][c] for r in range(rows))) for c in range(columns)],
        total=round5(sum(map(sum, cells))),
    )


def plain(cells: list[list[int]]) -> Published:
    rows, columns = len(cells), len(cells[0]) if cells else 0
    return Published(cells=[list(row) for row in cells], row_totals=[sum(row) for row in cells],
                     column_totals=[sum(cells[r][c] for r in range(rows)) for c in range(columns)],
                     total=sum(map(sum, cells)))


def protect(cells: list[list[int]], rule: str) -> Published:
    if rule == "suppress":
        return suppress(cells)
    if rule == "round5":
        return round_all(cells)
    if rule == "none":
        return plain(cells)
    raise ValueError(rule)


def average(total: float, count: int) -> float | None:
    """No average over fewer than five: it would describe one or two people."""
    return None if count < MIN_FOR_AVERAGE else total / count
