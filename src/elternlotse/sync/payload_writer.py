"""Writing a payload as a stream: canonical JSON straight into zlib, nothing whole in memory.

The bytes are exactly ``zlib(canonical(payload))`` of ``payload.build`` (docs/sync-format.md):
top-level keys sorted, each value canonical.  The records come from iterators (the export reads
them from the store cursor by cursor), so a payload of 10,000 families never exists as Python
objects at once; only the compressed bytes (a few MB) are held, for the age encryption and the
signature, which need the whole ciphertext.

One ordering problem: ``manifest`` (the counts of rows, changes, tombstones, consents,
catalogues) sorts before ``rows`` and ``tombstones``, so the counts are not known when the
manifest is due.  Every section that sorts after ``manifest`` is therefore written to a spool (a
second, fast zlib stream in memory) while it is counted; then the manifest is written and the
spool is inflated piece by piece into the real stream.

**Adding a top-level section** (e.g. the navigator's anonymous aggregates): give ``write`` one
more entry in ``sections`` (a plain JSON value, or ``Items(iterable)`` for a long list), add the
key to ``payload.PAYLOAD_KEYS`` and validate it in ``payload._parse``; where it sorts (before or
after ``manifest``) is handled here.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

MANIFEST = "manifest"
#: Text is compressed in pieces of about this many characters.
PIECE = 1 << 16

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_text(value: Any) -> str:
    return _ENCODER.encode(value)


@dataclass
class Items:
    """A long JSON list of a section, written item by item (each item canonical)."""

    items: Iterable[Any]
    count: int = 0


@dataclass
class Rows:
    """The ``rows`` section: ``(table, row id, [(field, stamp, value), ...])`` records, counted for the manifest."""

    records: Iterable[tuple[str, str, list[tuple[str, str, Any]]]]
    per_table: dict[str, int] | None = None
    changes: int = 0


class _Sink:
    """Text in, deflated bytes out (kept in a list of pieces)."""

    def __init__(self, level: int) -> None:
        self._zlib = zlib.compressobj(level)
        self._text: list[str] = []
        self._size = 0
        self.pieces: list[bytes] = []

    def write(self, text: str) -> None:
        self._text.append(text)
        self._size += len(text)
        if self._size >= PIECE:
            self._push()

    def _push(self) -> None:
        if self._text:
            data = self._zlib.compress("".join(self._text).encode("utf-8"))
            if data:
                self.pieces.append(data)
            self._text.clear()
            self._size = 0

    def write_bytes(self, data: bytes) -> None:
        self._push()
        out = self._zlib.compress(data)
        if out:
            self.pieces.append(out)

    def finish(self) -> bytes:
        self._push()
        self.pieces.append(self._zlib.flush())
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def _inflated(compressed: bytes) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for start in range(0, len(compressed), PIECE):
        yield inflater.decompress(compressed[start:start + PIECE])
    yield inflater.flush()


def _write_value(sink: _Sink, value: Any) -> None:
    if isinstance(value, Rows):
        _write_rows(sink, value)
    elif isinstance(value, Items):
        sink.write("[")
        count = 0
        for item in value.items:
            if count:
                sink.write(",")
            sink.write(canonical_text(item))
            count += 1
        sink.write("]")
        value.count = count
    else:
        sink.write(canonical_text(value))


def _write_rows(sink: _Sink, rows: Rows) -> None:
    per_table: dict[str, int] = {}
    changes = 0
    sink.write("[")
    first = True
    for table, row_id, record_changes in rows.records:
        if not first:
            sink.write(",")
        first = False
        sink.write(canonical_text([table, row_id, record_changes]))
        per_table[table] = per_table.get(table, 0) + 1
        changes += len(record_changes)
    sink.write("]")
    rows.per_table, rows.changes = per_table, changes


def count_of(value: Any) -> int:
    if isinstance(value, Items):
        return value.count
    return len(value)


def write(sections: dict[str, Any], manifest: Any) -> bytes:
    """``zlib(canonical({**sections, "manifest": manifest(sections)}))``, streamed; returns the compressed bytes.

    ``manifest(sections)`` is called once every section before and after it has been written
    (so ``Items.count`` and ``Rows`` counts are known) and returns the manifest value.
    """
    keys = sorted([*sections, MANIFEST])
    main, spool = _Sink(6), _Sink(1)
    before = [k for k in keys if k < MANIFEST]
    after = [k for k in keys if k > MANIFEST]
    main.write("{")
    for key in before:
        main.write(canonical_text(key) + ":")
        _write_value(main, sections[key])
        main.write(",")
    for index, key in enumerate(after):
        spool.write(("," if index else "") + canonical_text(key) + ":")
        _write_value(spool, sections[key])
    spooled = spool.finish()
    main.write(canonical_text(MANIFEST) + ":" + canonical_text(manifest(sections)))
    if after:
        main.write(",")
        for piece in _inflated(spooled):
            main.write_bytes(piece)
    del spooled
    main.write("}")
    return main.finish()
