"""Reading the inflated payload JSON piece by piece: the text is never decoded whole.

``json.loads`` of the payload bytes first decodes all of them to one ``str`` (as large as
the payload, up to four times for text with characters outside the Basic Multilingual
Plane) and then builds every object while that text is held.  This reader decodes the
UTF-8 in chunks into a small window and parses the top-level object key by key and the
``rows`` section record by record (``raw_decode`` of the standard C scanner at a
position), so only the window and the objects built so far are held.

The result is exactly what ``domain.fields.loads`` returns for the same bytes, with the
same bounds and the same refusals (``JsonRefused``): the nesting depth is checked over the
whole bytes first (``nesting_problem``, a few C passes over the brackets only), numbers
go through the same hooks (``bounded_decoder``), a later duplicate key replaces the earlier
value as in ``json.loads``, and a text that is not one UTF-8 JSON object (another encoding,
a list at the top) is handed to ``loads`` itself.  The format is unchanged
(docs/sync-format.md): this only reads it with less memory.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from elternlotse.domain.fields import MAX_JSON_DEPTH, JsonRefused, bounded_decoder, loads, nesting_problem

#: Bytes decoded per step; a value longer than the window makes it grow (doubling).
CHUNK = 1 << 20
#: The section read record by record (the bulk of every payload).
STREAMED = ("rows",)
_SPACE = " \t\n\r"
_NOT_SPACE = re.compile(r"[^ \t\n\r]")


def read(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The payload document of ``data`` (bytes of JSON text); raises ``JsonRefused``."""
    if json.detect_encoding(data) != "utf-8" or not data.lstrip(_SPACE.encode()).startswith(b"{"):
        return loads(data, max_depth)      # not the shape we stream: the whole-text reader decides
    problem = nesting_problem(data, max_depth) if data.count(b"[") + data.count(b"{") > max_depth else ""
    if problem:
        raise JsonRefused(problem)
    try:
        return _Reader(data).document()
    except JsonRefused:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise JsonRefused("not JSON") from None


class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._next = 0                       # the first byte not yet decoded
        self._utf8 = codecs.getincrementaldecoder("utf-8")("surrogatepass")    # as json.loads decodes bytes
        self._json = bounded_decoder()
        self._buf = ""
        self._pos = 0

    # -------------------------------------------------------------- the window

    def _more(self, at_least: int = CHUNK) -> bool:
        """Decode at least ``at_least`` more bytes into the window; False at the end of the data."""
        if self._next >= len(self._data):
            return False
        if self._pos:
            self._buf = self._buf[self._pos:]      # drop what was read
            self._pos = 0
        end = min(len(self._data), self._next + max(CHUNK, at_least))
        self._buf += self._utf8.decode(self._data[self._next:end], final=end == len(self._data))
        self._next = end
        return True

    def _peek(self) -> str:
        """The next character that is not white space ("" at the end); the position moves onto it."""
        while True:
            found = _NOT_SPACE.search(self._buf, self._pos)
            if found is not None:
                self._pos = found.start()
                return self._buf[self._pos]
            self._pos = len(self._buf)
            if not self._more():
                return ""

    def _take(self, expected: str) -> str:
        found = self._peek()
        if not found or found not in expected:
            raise JsonRefused("not JSON")
        self._pos += 1
        return found

    def _value(self) -> Any:
        """One JSON value from the position; the window grows until the value fits in it."""
        if not self._peek():
            raise JsonRefused("not JSON")
        while True:
            try:
                value, end = self._json.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError:
                if self._more(len(self._buf)):
                    continue        # the value may only be cut off by the window's end
                raise
            if end == len(self._buf) and self._more(len(self._buf)):
                continue            # a number at the window's end may go on
            self._pos = end
            return value

    # -------------------------------------------------------------- the document

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        self._take("{")
        if self._peek() == "}":
            self._pos += 1
        else:
            while True:
                if self._peek() != '"':
                    raise JsonRefused("not JSON")
                key = self._value()
                self._take(":")
                doc[key] = self._array() if key in STREAMED and self._peek() == "[" else self._value()
                if self._take(",}") == "}":
                    break
        if self._peek():
            raise JsonRefused("not JSON")      # only white space may follow, as for json.loads
        return doc

    def _array(self) -> list[Any]:
        """A list read item by item (each item parsed on its own: the window holds one at a time)."""
        items: list[Any] = []
        self._take("[")
        if self._peek() == "]":
            self._pos += 1
            return items
        while True:
            items.append(self._value())
            if self._take(",]") == "]":
                return items
