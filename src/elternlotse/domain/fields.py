"""The field rules shared by every reader of outside input.

Family and event documents, catalogues and every synced field (``domain/records.py``
per table and column) are checked by these functions, so a value that ``family add``
refuses cannot come in through a sync file either.  Each refuses with one sentence
that names the field (``guardians[0].name: must not be empty.``); callers choose
their own limits.

``loads`` reads JSON with bounds checked *before* the parser runs: nesting depth
(Python's parser recurses), digits of a number (Python's own limit of 4,300
digits is far beyond any field), no ``NaN``/``Infinity``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, Iterable

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

#: Integers a field may hold: what SQLite stores (signed 64 bits).
MIN_INT, MAX_INT = -(2 ** 63), 2 ** 63 - 1
#: JSON nesting any document of ours needs is far below this.
MAX_JSON_DEPTH = 32
#: Digits of a JSON number (an int below 2**63 has 19).
MAX_NUMBER_CHARS = 24
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff]")


# ---------------------------------------------------------------- text and lists

def clean_text(value: str) -> bool:
    """No control characters but newline and tab, no NUL, no lone surrogates."""
    return _BAD_CHARS.search(value) is None


def text_field(value: Any, where: str, required: bool = False, limit: int = 2000) -> str:
    """Stripped text; refuses non-text, empty (if required), too long, control characters, lone surrogates."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(N_("{field}: expected text."), field=where)
    value = value.strip()
    if required and not value:
        raise ValidationError(N_("{field}: must not be empty."), field=where)
    if len(value) > limit:
        raise ValidationError(N_("{field}: longer than {limit} characters."), field=where, limit=limit)
    if not clean_text(value):
        raise ValidationError(N_("{field}: contains control characters."), field=where)
    return value


def list_field(value: Any, where: str, limit: int = 50) -> list:
    """A list (``None`` is an empty list) of at most ``limit`` entries."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(N_("{field}: expected a list."), field=where)
    if len(value) > limit:
        raise ValidationError(N_("{field}: at most {limit} entries are allowed."), field=where, limit=limit)
    return value


# ---------------------------------------------------------------- numbers, choices, ids

def int_field(value: Any, where: str, low: int = MIN_INT, high: int = MAX_INT, nullable: bool = False) -> int | None:
    """A whole number (not a boolean, not a float) from ``low`` to ``high``; ``None`` only if nullable."""
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(N_("{field}: expected a whole number from {low} to {high}."), field=where, low=low, high=high)
    return value


def choice_field(value: Any, where: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field=where,
                              value=_shown(value), allowed=", ".join(a or '""' for a in allowed))
    return value


def id_field(value: Any, where: str, required: bool = True) -> str:
    """A record id (letters, digits, ``. _ : -``, at most 64); ``""`` where not required."""
    if value == "" and not required:
        return value
    if not isinstance(value, str) or not _ID.match(value):
        raise ValidationError(N_("{field}: '{value}' is not a record id."), field=where, value=_shown(value))
    return value


def pattern_field(value: Any, where: str, check: Callable[[str, str], Any], limit: int = 40,
                  required: bool = False) -> str:
    """Text of at most ``limit`` characters that ``check(text, where)`` accepts (``""`` where not required)."""
    text = text_field(value, where, required, limit)
    if text:
        check(text, where)
    return text


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)[:40]
    text = text[:40]
    return text if clean_text(text) else text.encode("unicode_escape").decode("ascii")


# ---------------------------------------------------------------- JSON with bounds

class JsonRefused(ValueError):
    """JSON text outside our bounds or not JSON at all; ``detail`` says which (English, for the log)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


_CURLY = bytes.maketrans(b"{}", b"[]")
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'"[]{}'))


def nesting_problem(data: bytes, max_depth: int) -> str:
    """``""`` if the brackets of JSON text ``data`` (outside strings) nest at most ``max_depth`` deep.

    Runs in C-speed passes without recursion: each pass removes the innermost
    bracket pairs; a balanced text is gone after ``depth`` passes.  Otherwise
    the problem in English: too deep, or brackets that do not match (no JSON).
    """
    if b"[" not in data and b"{" not in data:
        return ""
    skeleton = _skeleton(data)
    for _ in range(max_depth):
        if not skeleton:
            return ""
        shorter = skeleton.replace(b"[]", b"")
        if len(shorter) == len(skeleton):
            return "not JSON"
        skeleton = shorter
    return f"nested more than {max_depth} levels" if skeleton else ""


def _skeleton(data: bytes) -> bytes:
    """The brackets of JSON text outside its strings, ``{}`` as ``[]``: a few C passes, little memory."""
    if b"\\" in data:
        # escaped backslashes first, then escaped quotes: every quote left opens or closes a string
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    quotes_and_brackets = data.translate(None, _NOT_STRUCTURE)
    del data
    # Removing two adjacent quotes keeps every other character inside or outside a string as it
    # was; what is left are the strings that hold brackets (few), split off in one more pass.
    left = quotes_and_brackets.replace(b'""', b"")
    outside = left.split(b'"')[::2]   # even pieces lie outside strings
    return b"".join(outside).translate(_CURLY)


def nesting_within(data: bytes, max_depth: int) -> bool:
    return not nesting_problem(data, max_depth)


def _bounded_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRefused("number too long")
    number = int(text)
    if not MIN_INT <= number <= MAX_INT:
        raise JsonRefused("integer out of range")
    return number


def _bounded_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRefused("number too long")
    number = float(text)
    if not math.isfinite(number):
        raise JsonRefused("number out of range")
    return number


def _no_constant(name: str):
    raise JsonRefused(f"{name} is not a number")


def bounded_decoder() -> json.JSONDecoder:
    """The decoder ``loads`` uses (number hooks), for readers that parse a text piece by piece."""
    return json.JSONDecoder(parse_int=_bounded_int, parse_float=_bounded_float, parse_constant=_no_constant)


def loads(data: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` with the bounds above checked first; raises ``JsonRefused``."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    # (a text with fewer opening brackets than the bound cannot nest deeper: no need to look)
    problem = nesting_problem(raw, max_depth) if raw.count(b"[") + raw.count(b"{") > max_depth else ""
    if problem:
        raise JsonRefused(problem)
    try:
        return json.loads(raw, parse_int=_bounded_int, parse_float=_bounded_float, parse_constant=_no_constant)
    except JsonRefused:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise JsonRefused("not JSON") from None


def json_text_field(value: Any, where: str, limit: int = 100_000) -> Any:
    """A column that holds JSON text (``persons.languages`` is ``'["tr"]'``): text, bounded, parsed."""
    if not isinstance(value, str) or len(value) > limit:
        raise ValidationError(N_("{field}: expected a JSON list."), field=where)
    try:
        return loads(value, max_depth=4)
    except JsonRefused:
        raise ValidationError(N_("{field}: expected a JSON list."), field=where) from None


def load_document(text: str, where: str) -> Any:
    """A JSON document from outside (a file someone gives us), or one sentence naming ``where`` and the fault.

    Depth and numbers are bounded before parsing (``loads``); for plain syntax errors the standard
    parser is asked only to name the line and column.
    """
    try:
        return loads(text)
    except JsonRefused as refused:
        if refused.detail == "not JSON":
            try:
                json.loads(text)   # only to name the line and column
            except json.JSONDecodeError as error:
                raise ValidationError(N_("{source} is not valid JSON (line {line}, column {column})."),
                                      source=where, line=error.lineno, column=error.colno) from None
            except RecursionError:
                pass
        raise ValidationError(N_("{source} is not valid JSON ({detail})."), source=where, detail=refused.detail) from None
