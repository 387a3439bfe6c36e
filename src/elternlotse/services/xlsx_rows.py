"""The cached values of a sheet's rows, read straight from its XML (the import's fast path).

openpyxl's read-only parser builds a dictionary per cell and keeps per-row bookkeeping the
import does not need; for a 20,000-row list that was about 40 % of the dry run.  This reader
walks the same XML with the same streaming parser and turns each cell into the value openpyxl
gives in ``read_only=True, data_only=True`` mode, with openpyxl's own conversions (its shared
strings table, its date and duration styles, the workbook's 1900/1904 epoch, ``from_excel``,
``from_ISO8601``, inline rich text) and the same row rules (rows cut at the ``<dimension>``'s
last row, a repeated or backwards row number skipped, columns 1 to ``width``).

It reads only what it knows.  ``fast_rows`` returns None, and the caller uses openpyxl, when the
sheet holds formulas (their cached values and the ``Formula`` markers need openpyxl's second,
formula-reading workbook), a document type declaration (entities: the two parsers would expand
them differently), or when the workbook object lacks what the reader relies on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from warnings import warn

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _VALUE, _INLINE, _TEXT = _NS + "row", _NS + "v", _NS + "is", _NS + "t"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def fast_rows(book, name: str, width: int, raw_xml: bytes) -> Callable[[], Iterator[tuple[int, list[Any]]]] | None:
    """A function yielding (row number, cells) of ``book[name]``, or None if openpyxl must read it.

    ``raw_xml``: the sheet's XML, already read by the caller, to see what the reader does not handle.
    """
    if not raw_xml or _FORMULA.search(raw_xml) or b"<!DOCTYPE" in raw_xml or b"<!ENTITY" in raw_xml:
        return None
    try:
        sheet = book[name]
        archive, path = book._archive, sheet._worksheet_path
        shared = sheet._shared_strings
        dates, durations, epoch = book._date_formats, book._timedelta_formats, book.epoch
        last_row = sheet.max_row  # from <dimension>; None without one (nothing is cut then)
    except (AttributeError, KeyError):
        return None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with archive.open(path) as source:
            yield from _parse(source, shared, dates, durations, epoch, last_row, width)

    return rows



def _parse(source, shared, dates, durations, epoch, last_row, width) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl.cell.text import Text
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from lxml.etree import iterparse

    counter = 1      # the next row number openpyxl would hand out
    row_number = 0
    parser = iterparse(source, tag=_ROW, resolve_entities=False, no_network=True, remove_comments=True,
                       remove_pis=True, huge_tree=False)
    for _event, element in parser:
        r = element.get("r")
        if r is not None:
            try:
                row_number = int(r)
            except ValueError:
                value = float(r)
                if not value.is_integer():
                    raise ValueError(f"{r} is not a valid row number") from None
                row_number = int(value)
        else:
            row_number += 1
        cells: list[Any] = [None] * width
        column = 0
        for cell in element:
            kind = cell.get("t", "n")
            ref = cell.get("r")
            if ref:
                column = coordinate_to_tuple(ref)[1]
            else:
                column += 1
            if kind == "inlineStr":
                child = cell.find(_INLINE)
                if child is None:
                    value = None
                elif len(child) == 1 and child[0].tag == _TEXT and not child.attrib:
                    value = child[0].text or ""  # plain text, what Text(t=...).content gives
                else:
                    value = Text.from_tree(child).content  # rich text runs, phonetic guides
            else:
                value = None
                for child in cell:  # findtext(<v>): the first <v>, "" read as no value
                    if child.tag == _VALUE:
                        value = child.text or None
                        break
                if value is not None:
                    if kind == "n":
                        value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                        style = cell.get("s", 0)
                        style = int(style) if style else style
                        if style in dates:
                            try:
                                value = from_excel(value, epoch, timedelta=style in durations)
                            except (OverflowError, ValueError):
                                warn(f"Cell {ref} is marked as a date but the serial value {value} is outside the "
                                     "limits for dates. The cell will be treated as an error.", stacklevel=1)
                                value = "#VALUE!"
                    elif kind == "s":
                        value = shared[int(value)]
                    elif kind == "b":
                        value = bool(int(value))
                    elif kind == "d":
                        value = from_ISO8601(value)
            if 1 <= column <= width:
                cells[column - 1] = value
        element.clear(keep_tail=True)
        while element.getprevious() is not None:  # rows read so far: not kept in memory
            del element.getparent()[0]
        # Checked after the cells are parsed, as openpyxl does (a damaged cell there fails too).
        if last_row is not None and row_number > last_row:
            break
        if counter > row_number:  # a row number repeated or going backwards: openpyxl skips the row
            continue
        counter = row_number + 1
        yield row_number, cells
