"""Hypothesis on the CSV reader and the column-mapping parser: outside input never escapes as a traceback."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.sheet_mapping import FIELDS, guess_mapping, parse_mapping, row_document
from elternlotse.services.sheet_files import parse_csv

CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=12)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_one_sentence(data):
    try:
        sheet = parse_csv(data, "list.csv")
        for _number, cells in sheet.rows():
            assert isinstance(cells, list)
    except ValidationError:
        pass


@SETTINGS
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=2, max_size=8),
       st.sampled_from([";", ","]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_what_a_spreadsheet_writes_is_read_back_cell_for_cell(rows, delimiter, encoding):
    rows[0] = [f"Spalte {i}" for i in range(3)]  # a header line the delimiter can be sniffed from
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return  # cp1252 cannot hold these characters: such a file does not exist
    if encoding == "cp1252" and not data.isascii() and _is_utf8(data):
        return  # "Â\xa0" in cp1252 is also valid UTF-8 (a no-break space): read as UTF-8 by rule, not round-tripped
    sheet = parse_csv(data, "list.csv")
    assert sheet.headers == rows[0] and sheet.delimiter == delimiter
    expected = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    assert list(sheet.rows()) == expected


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                       max_leaves=12)


@SETTINGS
@given(JSONISH, st.lists(st.text(max_size=10), max_size=5))
def test_any_mapping_document_is_accepted_only_when_valid(document, headers):
    try:
        mapping = parse_mapping(json.dumps(document), headers)
    except ValidationError:
        return
    assert set(mapping.columns.values()) <= set(FIELDS)
    assert len(set(mapping.columns.values())) == len(mapping.columns)
    assert all(0 <= i < len(headers) for i in mapping.columns)


@SETTINGS
@given(st.lists(st.sampled_from(list(FIELDS)), min_size=1, max_size=8, unique=True),
       st.lists(st.one_of(st.none(), CELL, st.integers(-10**15, 10**15), st.floats(allow_nan=True)), min_size=8, max_size=8))
def test_a_saved_mapping_round_trips_and_any_row_is_a_document_or_a_refusal(keys, cells):
    headers = [f"Column {i}" for i in range(len(keys))]
    mapping = parse_mapping(json.dumps({"columns": dict(zip(headers, keys, strict=True))}), headers)
    assert parse_mapping(json.dumps(mapping.to_json()), headers) == mapping
    assert guess_mapping(headers).columns == {}
    try:
        document = row_document(cells, mapping, "2026-11-01T00:00:00Z", {})
    except ValidationError:
        return
    assert document["guardians"][0]["name"]
