"""Sync trusts no input (issue 11, classes 3-7): clock, sequence numbers, memory, values, batches.

An office admits two navigators, A and B.  B is hostile: its files are built here by
hand from docs/sync-format.md (struct, json, zlib, pyrage, the Ed25519 key), not through
our writer, with the values an attacker would choose.  Each must be refused with one
sentence naming the file (and the field), with nothing written, or be neutralised;
A's data must stay intact.  Hypothesis runs the file reader and the payload validator
on hostile input (a few hundred examples here, 10,000 in the slow run).
"""

from __future__ import annotations

import base64
import json
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from conftest import PASSPHRASE, family_document, TEST_KDF
from elternlotse.app import create_store, open_store
from elternlotse.domain.clock import MAX_SKEW_MS, HybridClock, Stamp
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.records import COLUMN_RULES, check_value
from elternlotse.store.tables import SYNCED_FIELDS
from elternlotse.sync import fileformat
from elternlotse.sync import payload as payload_mod
from elternlotse.sync.fileformat import Header
from sync_helpers import link, send, shared_document, store_counts

settings.register_profile("limits-fast", max_examples=150, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("limits-full", max_examples=10_000, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
FAST, FULL = settings.get_profile("limits-fast"), settings.get_profile("limits-full")
MAGIC = b"ELTERNLOTSE-SYNC\n"


# ---------------------------------------------------------------- a hostile sender's tool kit (the spec only)

def canonical(value) -> bytes:
    """Canonical JSON; a lone surrogate (not encodable in UTF-8) is written as a \\ud800 escape, as an attacker would."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode("ascii")


def now_ms() -> int:
    return int(time.time() * 1000)


def stamp(node: str, ms: int | None = None, counter: int = 0) -> str:
    return f"{(now_ms() if ms is None else ms):013d}-{counter:04x}-{node}"


def manifest(rows, tombstones=(), consents=(), catalogs=()) -> dict:
    per_table: dict[str, int] = {}
    for table, _row, _changes in rows:
        per_table[table] = per_table.get(table, 0) + 1
    return {"rows": per_table, "changes": sum(len(c) for _, _, c in rows), "tombstones": len(tombstones),
            "consents": len(consents), "catalogs": len(catalogs)}


def seal_by_hand(sender, recipient, header: dict, plain: bytes) -> bytes:
    """MAGIC | HLEN | header | age(plain) | Ed25519 signature, as docs/sync-format.md describes it."""
    cipher = pyrage.encrypt(plain, [x25519.Recipient.from_str(recipient.sync.own_card().encryption_key)])
    head = canonical({**header, "length": len(cipher)})
    body = MAGIC + struct.pack(">I", len(head)) + head + cipher
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(sender.store.meta("sync.signing_key")))
    return body + key.sign(body)


def hostile_file(sender, recipient, rows=(), *, seq: int = 1, clock_to: str | None = None, clock_from: str = "",
                 payload_text: bytes | None = None, compress=zlib.compress, **payload_extra) -> bytes:
    node = sender.store.info.node_id
    clock_to = clock_to or stamp(node)
    header = {"format": 1, "schema": sender.store.info.schema_version, "sender": node,
              "recipient": recipient.store.info.node_id, "seq": seq, "clock_from": clock_from, "clock_to": clock_to,
              "created": "2026-12-02T10:00:00Z", "length": 0}
    rows = [list(r) for r in rows]
    doc = {"format": 1, "sender": node, "recipient": header["recipient"], "seq": seq, "schema": header["schema"],
           "role": sender.store.info.role, "rows": rows, "tombstones": [], "consents": [],
           "receipt": {"acked": "", "seqs": []}, "catalogs": [], "withheld": {}, "manifest": manifest(rows)}
    doc.update(payload_extra)
    plain = canonical(doc) if payload_text is None else payload_text
    return seal_by_hand(sender, recipient, header, compress(plain))


def family_rows(node: str, family: str = "fb1", person: str = "pb1", at: str | None = None, **person_values) -> list:
    """A complete family with one guardian, as the change log of B would hold it."""
    at = at or stamp(node)
    person_fields = {"family_id": family, "role": "guardian", "name": "Hostile B", "grade": None, "school": "",
                     "school_year": "", "languages": '["tr"]', "address": "", "position": 0, **person_values}
    return [["families", family, [["notes", at, ""]]],
            ["persons", person, [[name, at, value] for name, value in person_fields.items()]]]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def trio(services, office_services, tmp_path):
    """Navigator A (with one shared family already at the office), hostile navigator B, the office."""
    b = create_store(tmp_path / "b", PASSPHRASE, "Navigator B", "KoKo Hagen", key_derivation=TEST_KDF)
    link(services, office_services)
    link(b, office_services)
    family = services.families.add(shared_document())
    report = office_services.sync.import_files([send(services, office_services, tmp_path, "a1.elsync")])
    assert report.applied == 1
    yield services, b, office_services, family
    b.store.close()


def assert_nothing_written(office, before) -> None:
    assert store_counts(office) == before


# ---------------------------------------------------------------- 3. clock poisoning

@pytest.mark.parametrize("clock_to", ["9999999999999-ffff-{node}", "{ahead}-0000-{node}"])
def test_stamps_far_ahead_are_refused_naming_the_file_and_the_clock_stays_usable(trio, tmp_path, clock_to):
    a, b, office, family = trio
    node = b.store.info.node_id
    poisoned = clock_to.format(node=node, ahead=f"{now_ms() + MAX_SKEW_MS + 3_600_000:013d}")
    before, clock_before = store_counts(office), office.store.clock.last
    path = write(tmp_path, "poison.elsync", hostile_file(b, office, family_rows(node, at=poisoned), clock_to=poisoned))
    report = office.sync.import_files([path])
    assert report.refused == 1 and "poison.elsync" in report.files[0].message and "ahead" in report.files[0].message
    assert_nothing_written(office, before)
    assert office.store.clock.last == clock_before
    for _ in range(20):                     # still writes, stamps still parse
        Stamp.parse(office.families.add(family_document(name="After Poison")).updated)
    data_dir = office.store.path.parent
    office.store.close()
    again = open_store(data_dir, PASSPHRASE)
    assert again.families.get(family.id).guardians[0].name == "Ayşe Yılmaz"
    again.store.close()


def test_a_counter_near_ffff_within_the_skew_neither_blocks_writes_nor_the_navigator(trio, tmp_path):
    a, b, office, _family = trio
    node = b.store.info.node_id
    near = stamp(node, now_ms() + 3_600_000, 0xFFFE)          # one hour ahead: allowed, counter nearly full
    path = write(tmp_path, "b1.elsync", hostile_file(b, office, family_rows(node, at=near), clock_to=near))
    assert office.sync.import_files([path]).applied == 1
    for _ in range(20):
        office.families.add(family_document(name="Office Family"))
    # the counter travels through the office to A: A keeps writing and opening
    a.sync.import_files([send(office, a, tmp_path, "o1.elsync")])
    for _ in range(20):
        a.families.add(family_document(name="A Family"))
    assert Stamp.parse(a.store.clock.last).wall_ms <= now_ms() + MAX_SKEW_MS
    data_dir = a.store.path.parent
    a.store.close()
    again = open_store(data_dir, PASSPHRASE)
    again.families.add(family_document(name="After Reopen"))
    again.store.close()


def test_the_hybrid_clock_never_leaves_thirteen_digits():
    wall = [1_765_000_000.0]
    clock = HybridClock("a" * 16, wall=lambda: wall[0])
    clock.observe("9999999999999-ffff-" + "b" * 16)
    stamps = [clock.now() for _ in range(70_000)]           # more than one counter's worth in one millisecond
    assert all(len(s.split("-")[0]) == 13 for s in stamps) and stamps == sorted(stamps)
    assert Stamp.parse(stamps[-1]).wall_ms <= int(wall[0] * 1000) + MAX_SKEW_MS + 2
    wall[0] = 1e13                                           # a wall clock beyond year 2286: clamped, still parses
    Stamp.parse(clock.now())


_STAMPS = st.builds(lambda ms, counter, node: f"{ms:013d}-{counter:04x}-{node}",
                    st.integers(0, 10 ** 13 - 1), st.integers(0, 0xFFFF),
                    st.text("0123456789abcdef", min_size=8, max_size=32))


def _observe_property(store, stamps: list[str]) -> None:
    for value in stamps:
        store.clock.observe(value)
        Stamp.parse(store.clock.last)
    with store.write("test", "clock.probe") as writer:
        Stamp.parse(writer.stamp)
    assert Stamp.parse(store.clock.last).wall_ms <= now_ms() + MAX_SKEW_MS + 10_000


def _clock_test(profile):
    @profile
    @given(stamps=st.lists(_STAMPS, min_size=1, max_size=20))
    def check(services, stamps):
        _observe_property(services.store, stamps)
    return check


def test_arbitrary_stamps_observed_the_store_still_writes_and_reopens(services, data_dir):
    _clock_test(settings(FAST, max_examples=40))(services)
    services.store.close()
    again = open_store(data_dir, PASSPHRASE)
    again.families.add(family_document())
    again.store.close()


@pytest.mark.slow
def test_arbitrary_stamps_observed_full_run(services, data_dir):
    _clock_test(settings(FULL, max_examples=1000))(services)
    services.store.close()
    open_store(data_dir, PASSPHRASE).store.close()


# ---------------------------------------------------------------- 4. sequence numbers

@pytest.mark.parametrize("seq", [2 ** 62, 10 ** 7, 1002])
def test_sequence_numbers_far_ahead_are_refused_before_anything_commits(trio, tmp_path, seq):
    a, b, office, _family = trio
    node = b.store.info.node_id
    before = store_counts(office)
    path = write(tmp_path, "far.elsync", hostile_file(b, office, family_rows(node), seq=seq))
    report = office.sync.import_files([path])
    assert report.refused == 1 and "far.elsync" in report.files[0].message and str(seq) in report.files[0].message
    assert_nothing_written(office, before)
    assert office.sync.peer(node).last_seq_in == 0
    good = write(tmp_path, "b1.elsync", hostile_file(b, office, family_rows(node), seq=1))
    assert office.sync.import_files([good]).applied == 1          # later files of that navigator still work


def test_a_sequence_number_beyond_sqlite_integers_is_a_malformed_header(trio, tmp_path):
    a, b, office, _family = trio
    path = write(tmp_path, "huge.elsync", hostile_file(b, office, family_rows(b.store.info.node_id), seq=2 ** 63))
    report = office.sync.import_files([path])
    assert report.refused == 1 and "well-formed" in report.files[0].message


def test_gaps_within_the_window_are_reported_not_allocated(trio, tmp_path):
    a, b, office, _family = trio
    node = b.store.info.node_id
    first = write(tmp_path, "b1.elsync", hostile_file(b, office, family_rows(node), seq=1))
    later = write(tmp_path, "b5.elsync", hostile_file(b, office, family_rows(node, "fb2", "pb2"), seq=1000))
    report = office.sync.import_files([first, later])
    assert report.applied == 2
    assert report.gaps[node][:3] == [2, 3, 4] and len(report.gaps[node]) == 100   # the first hundred are named


# ---------------------------------------------------------------- 5. memory

def test_a_huge_file_is_refused_from_its_size_before_reading(trio, tmp_path):
    a, b, office, _family = trio
    path = tmp_path / "huge.elsync"
    with open(path, "wb") as handle:              # 5 GiB, sparse: nothing is really written
        handle.write(MAGIC)
        handle.truncate(5 * 1024 ** 3)
    tracemalloc.start()
    report = office.sync.import_files([path])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.refused == 1 and "larger than a sync file may be" in report.files[0].message
    assert peak < 16 * 1024 ** 2


def test_a_compression_bomb_is_refused_by_the_ratio(trio, tmp_path):
    a, b, office, _family = trio
    bomb = b'{"rows":[' + b" " * (64 * 1024 ** 2) + b"]}"          # 64 MiB that compresses about 1000 times
    path = write(tmp_path, "bomb.elsync", hostile_file(b, office, payload_text=bomb))
    assert len(path.read_bytes()) < 200_000
    tracemalloc.start()
    report = office.sync.import_files([path])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.refused == 1 and "unpacks to more than a sync file may hold" in report.files[0].message
    assert peak < 32 * 1024 ** 2                                  # never inflated beyond the bound


@pytest.mark.parametrize("where", ["header", "payload"])
def test_deep_nesting_is_refused_before_the_parser_recurses(trio, tmp_path, where):
    a, b, office, _family = trio
    deep = b"[" * 100_000 + b"]" * 100_000
    if where == "header":
        head = b"[" * 2000 + b"]" * 2000
        data = MAGIC + struct.pack(">I", len(head)) + head + b"\0" * 64
    else:
        data = hostile_file(b, office, payload_text=deep)
    report = office.sync.import_files([write(tmp_path, "deep.elsync", data)])
    assert report.refused == 1 and "deep.elsync" in report.files[0].message
    assert "nested more than" in report.files[0].message


@pytest.mark.parametrize("number", [b"9" * 5000, b"9223372036854775808", b"1e999", b"Infinity", b"NaN", b"-Infinity"])
def test_huge_or_infinite_numbers_are_refused_before_they_are_converted(trio, tmp_path, number):
    a, b, office, _family = trio
    node = b.store.info.node_id
    rows = family_rows(node, role="child", grade=424242)
    valid = _valid_doc(Header(1, b.store.info.schema_version, node, office.store.info.node_id, 1, "",
                              rows[0][2][0][1], "", 0))
    valid.update(rows=rows, tombstones=[], consents=[], manifest=manifest(rows))
    text = canonical(valid)
    assert text.count(b"424242") == 1
    before = store_counts(office)
    path = write(tmp_path, "num.elsync", hostile_file(b, office, payload_text=text.replace(b"424242", number)))
    report = office.sync.import_files([path])
    assert report.refused == 1 and "num.elsync" in report.files[0].message
    assert "number" in report.files[0].message or "integer" in report.files[0].message
    assert_nothing_written(office, before)


# ---------------------------------------------------------------- 6. values: what family add refuses, sync refuses

def _set_guardian(key, value):
    return lambda doc: doc["guardians"][0].__setitem__(key, value)


def _set_child_grade(value):
    return lambda doc: doc.setdefault("children", []).append({"first_name": "Kid", "grade": value})


VALUE_CASES = [
    # (name, change to a family document, (column of persons, value) in a sync file)
    ("grade x", _set_child_grade("x"), ("grade", "x")),
    ("grade 2^63", _set_child_grade(2 ** 63), ("grade", 2 ** 63 - 1)),
    ("grade 99", _set_child_grade(99), ("grade", 99)),
    ("grade float", _set_child_grade(7.5), ("grade", 7.5)),
    ("grade true", _set_child_grade(True), ("grade", True)),
    ("NUL in name", _set_guardian("name", "Ay\x00la"), ("name", "Ay\x00la")),
    ("lone surrogate", _set_guardian("name", "Ay\ud800la"), ("name", "Ay\ud800la")),
    ("name too long", _set_guardian("name", "x" * 5000), ("name", "x" * 5000)),
    ("languages 7", _set_guardian("languages", 7), ("languages", 7)),
    ("languages not tags", _set_guardian("languages", ["{{{"]), ("languages", '["{{{"]')),
    ("languages not JSON", _set_guardian("languages", "{{{"), ("languages", "{{{")),
    ("address as list", _set_guardian("address", ["x"]), ("address", ["x"])),
]


@pytest.mark.parametrize("name, document_change, column_value", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_the_same_bad_values_are_refused_by_family_add_and_by_sync(trio, tmp_path, name, document_change, column_value):
    a, b, office, _family = trio
    document = family_document(name="Bad Value")
    document_change(document)
    with pytest.raises(ValidationError):
        a.families.add(document)
    column, value = column_value
    node = b.store.info.node_id
    before = store_counts(office)
    rows = family_rows(node, **{column: value, **({"role": "child"} if column == "grade" else {})})
    path = write(tmp_path, "value.elsync", hostile_file(b, office, rows))
    report = office.sync.import_files([path])
    assert report.refused == 1, name
    message = report.files[0].message
    assert "value.elsync" in message and (f".{column}" in message or "integer out of range" in message)
    assert_nothing_written(office, before)


def test_event_values_are_refused_both_ways(trio, tmp_path):
    a, b, office, _family = trio
    with pytest.raises(ValidationError):
        a.events.add({"type": "family_cafe", "starts": "2026-12-03T16:30", "topics": ["{{{"]})
    node = b.store.info.node_id
    at = stamp(node)
    event = {"type": "family_cafe", "title": "", "starts": "2026-12-03T16:30", "ends": "", "place": "",
             "topics": '["{{{"]', "speakers": "[]", "languages": "[]", "interpreter": 0, "headcount": 0,
             "handouts": "[]", "notes": ""}
    rows = [["events", "eb1", [[k, at, v] for k, v in event.items()]]]
    report = office.sync.import_files([write(tmp_path, "event.elsync", hostile_file(b, office, rows))])
    assert report.refused == 1 and "events eb1.topics[0]" in report.files[0].message


def test_the_cli_refuses_a_deeply_nested_family_document_in_one_sentence(cli, tmp_path):
    assert cli("init", "--name", "Ayla").code == 0
    path = tmp_path / "deep.json"
    path.write_text("[" * 50_000 + "]" * 50_000)
    result = cli("family", "add", str(path))
    assert result.code == 1 and "nested more than" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_every_synced_column_has_a_rule():
    assert {t: set(f) for t, f in SYNCED_FIELDS.items()} == {t: set(r) for t, r in COLUMN_RULES.items()}


# ---------------------------------------------------------------- 7. batches

def test_a_refused_file_never_stops_the_others_and_every_file_is_reported(trio, tmp_path, cli, monkeypatch):
    a, b, office, _family = trio
    node = b.store.info.node_id
    a.families.add(shared_document(name="Second Family", phone="0176 2222 3333"))
    good_a = send(a, office, tmp_path, "a2.elsync")
    bad_b = write(tmp_path, "b1.elsync", hostile_file(b, office, family_rows(node, name="\x00"), seq=1))
    good_b = write(tmp_path, "b2.elsync", hostile_file(b, office, family_rows(node, name="Fine B"), seq=2))
    data = office.store.path.parent
    office.store.close()
    result = cli("sync", "import", str(good_a), str(bad_b), str(good_b), "--json", data=data)
    assert result.code == 1
    files = result.json()["files"]
    assert [(Path(f["file"]).name, f["status"]) for f in files] == [
        ("a2.elsync", "applied"), ("b1.elsync", "refused"), ("b2.elsync", "applied")]
    assert "b1.elsync" in files[1]["message"] and "name" in files[1]["message"]
    again = open_store(data, PASSPHRASE)
    people = {r[0] for r in again.store.conn.execute("SELECT name FROM persons")}
    assert {"Second Family", "Fine B"} <= people
    again.store.close()


def test_an_unexpected_failure_in_one_file_is_one_sentence_and_the_batch_goes_on(trio, tmp_path, monkeypatch):
    a, b, office, _family = trio
    node = b.store.info.node_id
    from elternlotse.services import sync as sync_service

    real = sync_service.apply_payload

    def explode(conn, payload, own_node, now, *rest):
        if payload.sender == node:
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real(conn, payload, own_node, now, *rest)

    monkeypatch.setattr(sync_service, "apply_payload", explode)
    a.families.add(shared_document(name="Third Family", phone="0176 4444 5555"))
    before_b = store_counts(office)
    report = office.sync.import_files([write(tmp_path, "b1.elsync", hostile_file(b, office, family_rows(node))),
                                       send(a, office, tmp_path, "a2.elsync")])
    assert [f.status for f in report.files] == ["refused", "applied"]
    assert "b1.elsync" in report.files[0].message and "OverflowError" in report.files[0].message
    assert store_counts(office)["families"] == before_b["families"] + 1


# ---------------------------------------------------------------- Hypothesis: the reader and the payload validator

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["\x00", "\ud800", "\udfff", "{{{", "[]", '["tr"]', "x" * 3000, "9" * 30, "guardian", ""]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                       max_leaves=12)


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode("ascii")


def _valid_doc(header: Header) -> dict:
    at = header.clock_to
    rows = family_rows(header.sender, at=at)
    return {"format": 1, "sender": header.sender, "recipient": header.recipient, "seq": header.seq,
            "schema": header.schema, "role": "navigator", "rows": rows, "tombstones": [["persons", "pb1", at, "delete"]],
            "consents": [["c1", "pb1", "office", "", 1, "2026-11-01T10:00:00Z", "B", "signed_form", "2026-1", "de", at]],
            "receipt": {"acked": "", "seqs": [1]}, "catalogs": [], "withheld": {"families": 1},
            "manifest": manifest(rows, [1], [1])}


_HEADER = Header(1, 4, "b" * 16, "c" * 16, 1, "", f"{now_ms():013d}-0000-{'b' * 16}", "2026-12-02T10:00:00Z", 0)
_SPOTS = ["value", "field", "stamp", "row_id", "table", "row", "tombstone", "consent", "receipt", "seqs", "catalogs",
          "withheld", "manifest", "role", "seq", "whole"]


def _inject(doc: dict, spot: str, value) -> dict:
    person = doc["rows"][1][2]
    if spot == "value":
        person[len(person) // 2][2] = value
    elif spot == "field":
        person[0][0] = value
    elif spot == "stamp":
        person[0][1] = value
    elif spot == "row_id":
        doc["rows"][1][1] = value
    elif spot == "table":
        doc["rows"][0][0] = value
    elif spot == "row":
        doc["rows"].append(value)
    elif spot == "tombstone":
        doc["tombstones"][0][3] = value
    elif spot == "consent":
        doc["consents"][0][5] = value
    elif spot == "receipt":
        doc["receipt"]["acked"] = value
    elif spot == "seqs":
        doc["receipt"]["seqs"].append(value)
    elif spot == "catalogs":
        doc["catalogs"].append(value)
    elif spot == "withheld":
        doc["withheld"]["families"] = value
    elif spot == "manifest":
        doc["manifest"]["changes"] = value
    elif spot == "role":
        doc["role"] = value
    elif spot == "seq":
        doc["seq"] = value
    else:
        return value
    return doc


def _check_payload(spot: str, value, wrap: int) -> None:
    doc = _inject(_valid_doc(_HEADER), spot, value)
    text = _dumps(doc)
    text = b"[" * wrap + text + b"]" * wrap if wrap else text
    try:
        parsed = payload_mod.parse(text, _HEADER, SYNCED_FIELDS, "hostile.elsync")
    except ValidationError as error:
        assert "hostile.elsync" in error.english()
        return
    for table, _row_id, changes in parsed.rows:       # what is accepted obeys every rule and fits SQLite
        for name, _stamp, column_value in changes:
            check_value(table, name, column_value, name)
            assert not isinstance(column_value, float)
    json.dumps([parsed.rows, parsed.consents, parsed.tombstones], ensure_ascii=False).encode("utf-8")


def _payload_test(profile):
    @profile
    @given(spot=st.sampled_from(_SPOTS), value=_VALUES, wrap=st.sampled_from([0, 0, 0, 40, 3000]))
    def check(spot, value, wrap):
        _check_payload(spot, value, wrap)
    return check


def test_payload_validator_hypothesis_fast():
    _payload_test(FAST)()


@pytest.mark.slow
def test_payload_validator_hypothesis_full():
    _payload_test(FULL)()


def _check_reader(data: bytes) -> None:
    try:
        fileformat.read_header(data, "hostile.elsync")
    except ValidationError as error:
        assert "hostile.elsync" in error.english()


def _header_bytes(value) -> bytes:
    head = _dumps(value)
    return MAGIC + struct.pack(">I", len(head)) + head + b"\0" * 64


_GOOD_HEADER = {"format": 1, "schema": 4, "sender": "b" * 16, "recipient": "c" * 16, "seq": 1, "clock_from": "",
                "clock_to": _HEADER.clock_to, "created": "2026-12-02T10:00:00Z", "length": 0}


def _reader_test(profile):
    @profile
    @given(key=st.sampled_from(sorted(_GOOD_HEADER) + ["whole"]), value=_VALUES,
           cut=st.integers(0, 400), junk=st.binary(max_size=40))
    def check(key, value, cut, junk):
        header = value if key == "whole" else {**_GOOD_HEADER, key: value}
        data = _header_bytes(header)
        _check_reader(data)
        _check_reader(data[:cut] + junk + data[cut:])
        _check_reader(data[:cut])
    return check


def test_file_reader_hypothesis_fast():
    _reader_test(FAST)()


@pytest.mark.slow
def test_file_reader_hypothesis_full():
    _reader_test(FULL)()


def test_file_reader_on_mutations_of_a_real_file(trio, tmp_path):
    """Every check up to decryption, on a real signed file with random bytes changed."""
    a, b, office, _family = trio
    data = hostile_file(b, office, family_rows(b.store.info.node_id))

    @settings(FAST, max_examples=60)
    @given(position=st.integers(0, len(data) - 1), byte=st.integers(0, 255), cut=st.booleans())
    def check(position, byte, cut):
        changed = data[:position] if cut else data[:position] + bytes([byte]) + data[position + 1:]
        try:
            office.sync.verify_bytes(changed, "mutated.elsync")
        except ValidationError as error:
            assert "mutated.elsync" in error.english()

    check()


def test_every_rule_refuses_nul_surrogates_and_wrong_types():
    for table, rules in COLUMN_RULES.items():
        for column in rules:
            for bad in ("\x00", "\ud800", [], {}, float("inf"), 2 ** 64):
                with pytest.raises(ValidationError):
                    check_value(table, column, bad, column)


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


_BRACKETY = st.recursive(
    st.one_of(st.none(), st.integers(), st.sampled_from(["[", "]", "{", "}", '"', "\\", '\\"[', "", "x"]), st.text(max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["[", "k", '"', "\\", "}"]), inner, max_size=3)),
    max_leaves=20)


@settings(FAST)
@given(value=_BRACKETY)
def test_the_nesting_check_agrees_with_the_real_depth(value):
    from elternlotse.domain.fields import nesting_within

    text = json.dumps(value).encode()
    depth = _depth(value)
    assert nesting_within(text, depth)
    if depth:
        assert not nesting_within(text, depth - 1)
