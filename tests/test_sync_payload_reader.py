"""The streaming payload reader gives what the whole-text reader gives, with the same bounds.

``sync/payload_reader.py`` parses the inflated payload piece by piece; for every input it
must return the same document as ``domain.fields.loads`` or refuse it as ``loads`` does.
The window is made tiny here so that every value, number, escape and multi-byte
character also lands across a window boundary.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elternlotse.domain.fields import MAX_JSON_DEPTH, JsonRefused, loads
from elternlotse.sync import payload_reader

FAST = settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
# 1,500 each: the run stays about 45 s (10,000 each took 315 s, a third of CI's budget, for no new failures)
FULL = settings(max_examples=1_500, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def outcome(read, data: bytes):
    try:
        return "ok", read(data)
    except JsonRefused as refused:
        return "refused", refused.detail


def same_as_loads(data: bytes, monkeypatch, chunk: int) -> None:
    monkeypatch.setattr(payload_reader, "CHUNK", chunk)
    expected = outcome(loads, data)
    got = outcome(payload_reader.read, data)
    assert got == expected
    if got[0] == "ok":      # equal values of equal types (1 == 1.0 == True would hide a difference)
        assert json.dumps(got[1], sort_keys=True) == json.dumps(expected[1], sort_keys=True)


scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                         max_size=4), max_leaves=12)
payloads = st.fixed_dictionaries({"rows": st.lists(st.lists(values, max_size=3), max_size=6)},
                                 optional={"format": values, "seq": values, "tombstones": values, "manifest": values})


def text_of(doc, ascii_only: bool, spaced: bool) -> bytes:
    separators = (", ", ": ") if spaced else (",", ":")
    return json.dumps(doc, ensure_ascii=ascii_only, separators=separators).encode("utf-8", "surrogatepass")


def _documents(settings_):
    @settings_
    @given(doc=payloads, ascii_only=st.booleans(), spaced=st.booleans(), chunk=st.integers(1, 9))
    def check(monkeypatch, doc, ascii_only, spaced, chunk):
        same_as_loads(text_of(doc, ascii_only, spaced), monkeypatch, chunk)
    return check


def _mangled(settings_):
    @settings_
    @given(doc=payloads, cut=st.integers(0, 400), junk=st.binary(max_size=4), chunk=st.integers(1, 9))
    def check(monkeypatch, doc, cut, junk, chunk):
        data = text_of(doc, False, False)
        cut = min(cut, len(data))
        same_as_loads(data[:cut] + junk + data[cut:], monkeypatch, chunk)     # bytes put in anywhere
        same_as_loads(data[:cut], monkeypatch, chunk)                         # and every truncation
    return check


def test_documents_read_as_loads_reads_them(monkeypatch):
    _documents(FAST)(monkeypatch)


def test_altered_documents_read_or_refused_as_loads_does(monkeypatch):
    _mangled(FAST)(monkeypatch)


@pytest.mark.slow
def test_documents_and_alterations_full_run(monkeypatch):
    _documents(FULL)(monkeypatch)
    _mangled(FULL)(monkeypatch)


@pytest.mark.parametrize("data", [
    b'{"rows":[[1,2,3]],"seq":' + b"9" * 30 + b"}",                       # number too long
    b'{"rows":[[' + b"9" * 20 + b"]]}",                                      # integer out of range
    b'{"rows":[NaN]}', b'{"rows":[Infinity]}', b'{"rows":[1e999]}',
    b'{"rows":' + b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1) + b"}",     # too deep
    b'{"rows":[["\\ud800"]]}', '{"rows":[["\ud800"]]}'.encode("utf-8", "surrogatepass"),   # lone surrogates
    b'{"rows":[[1]],"rows":[[2]]}',                                         # a later key wins, as in json.loads
    b'{"rows":[1,]}', b'{"rows":[1] "seq":1}', b'{"rows":[1]} x', b'{"rows":[1]}   \n',
    b"[1,2]", b"\xef\xbb\xbf{}", '{"rows":[]}'.encode("utf-16"), b"", b"   ", b"{}", b'{"a":"\xff"}',
    '{"rows":[["Ölçü 😀 محمد"]]}'.encode(),
])
def test_edges_as_loads(data, monkeypatch):
    for chunk in (1, 2, 3, 1 << 20):
        same_as_loads(data, monkeypatch, chunk)


def test_a_record_larger_than_the_window_is_read_whole(monkeypatch):
    monkeypatch.setattr(payload_reader, "CHUNK", 64)
    rows = [["persons", f"id{i}", [["name", "s", "x" * (i * 50)]]] for i in range(40)]
    data = json.dumps({"rows": rows, "seq": 12345}, separators=(",", ":")).encode()
    assert payload_reader.read(data) == {"rows": rows, "seq": 12345}
