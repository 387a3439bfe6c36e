"""The roll-up document: an office's protected aggregates for a Land office (docs/report.md, "Roll-up files").

It travels in the sync container (``sync/fileformat.py``: signed by the office, encrypted to the
trusted Land office), its payload is this small, versioned JSON document.  ``parse`` is strict and
bounded: every key known, every count an integer, every count of people a multiple of 5 (the
roll-up carries Destatis-rounded figures only, so sums one level up stay protected and can be
protected again), no more than ``MAX_ROWS`` values per table, short clean strings only.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import JsonRefused, clean_text, loads
from elternlotse.domain.protection import THRESHOLD
from elternlotse.domain.text import N_

KIND = "elternlotse.rollup"
VERSION = 1
#: Dimensions a roll-up carries (no navigator, no school: a Land office needs neither, and a
#: navigator is a person).
DIMENSIONS = ("language", "format", "topic", "grade", "month", "referral", "interpreter")
#: Key figures, in the report's order; all count people or contacts except ``events``.
KEY_FIGURES = ("contacts", "families", "first_contacts", "repeat_contacts", "unshared_contacts", "anonymous", "events",
               "event_families", "event_headcount", "erased")
UNROUNDED_KEYS = ("events",)
DOC_KEYS = ("kind", "version", "office", "name", "first", "last", "created", "protection", "key_figures",
            "tables", "events", "consents")
MAX_ROWS = 2000
MAX_COUNT = 10**9
MAX_DAYS = 3 * 366
_NODE = re.compile(r"^[0-9a-f]{8,32}$")


class _Bad(Exception):
    pass


def _need(condition: bool, detail: str) -> None:
    if not condition:
        raise _Bad(detail)


def _count(value: Any, rounded: bool = True) -> bool:
    ok = type(value) is int and 0 <= value <= MAX_COUNT
    if ok and rounded and value % THRESHOLD:
        raise _Unprotected()
    return ok


def _text(value: Any, limit: int = 64) -> bool:
    return type(value) is str and len(value) <= limit and clean_text(value)


class _Unprotected(Exception):
    pass


def _rows(items: Any, width: int, rounded: tuple[bool, ...], detail: str) -> list[list]:
    _need(type(items) is list and len(items) <= MAX_ROWS, detail)
    seen = set()
    for item in items:
        _need(type(item) is list and len(item) == width and _text(item[0]), detail)
        _need(all(_count(v, r) for v, r in zip(item[1:], rounded, strict=True)), detail)
        _need(item[0] not in seen, detail)
        seen.add(item[0])
    return items


def parse(data: bytes, sender: str, where: str) -> dict[str, Any]:
    """The validated document of a decrypted roll-up payload from ``sender``; one sentence if refused."""
    try:
        doc = loads(data, max_depth=6)
    except JsonRefused as refused:
        raise malformed(where, f"content: {refused.detail}") from None
    if isinstance(doc, dict) and doc.get("kind") != KIND and "manifest" in doc:
        raise ValidationError(N_("{path} is a sync file, not a roll-up file; import it with 'elternlotse sync import'."),
                              path=where)
    try:
        return _parse(doc, sender)
    except _Bad as bad:
        raise malformed(where, str(bad)) from None
    except _Unprotected:
        raise ValidationError(N_("{path} holds figures that are not protected (a count that is not a multiple of 5); "
                                 "nothing was imported."), path=where) from None


def malformed(where: str, detail: str) -> ValidationError:
    return ValidationError(N_("{path} is not a well-formed roll-up file ({detail}); nothing was imported."),
                           path=where, detail=detail)


def _parse(doc: Any, sender: str) -> dict[str, Any]:
    _need(isinstance(doc, dict) and doc.get("kind") == KIND, "kind")
    _need(type(doc.get("version")) is int and doc["version"] == VERSION, "version")
    _need(set(doc) == set(DOC_KEYS), "keys")
    _need(doc["office"] == sender and bool(_NODE.match(sender)), "office differs from the sender")
    _need(_text(doc["name"], 200) and _text(doc["created"], 40) and doc["protection"] == "round5", "header values")
    try:
        first, last = date.fromisoformat(doc["first"]), date.fromisoformat(doc["last"])
    except (TypeError, ValueError):
        raise _Bad("period") from None
    _need(type(doc["first"]) is str and len(doc["first"]) == 10 and len(doc["last"]) == 10, "period")
    _need(first <= last and (last - first).days <= MAX_DAYS, "period")
    figures = doc["key_figures"]
    _need(isinstance(figures, dict) and set(figures) == set(KEY_FIGURES), "key figures")
    _need(all(_count(figures[k], k not in UNROUNDED_KEYS) for k in KEY_FIGURES), "key figures")
    tables = doc["tables"]
    _need(isinstance(tables, dict) and set(tables) == set(DIMENSIONS), "tables")
    for dim in DIMENSIONS:
        _rows(tables[dim], 3, (True, True), f"table {dim}")
    _rows(doc["events"], 4, (False, True, True), "events")
    _rows(doc["consents"], 3, (True, True), "consents")
    return doc
