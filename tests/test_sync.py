"""Sync by file: keys and trust, consent scope, merge rules, refusals, CLI."""

from __future__ import annotations

import json
import zlib

import pytest

from conftest import PASSPHRASE, TEST_KDF, family_document
from elternlotse.app import create_store
from elternlotse.domain.errors import ValidationError
from elternlotse.sync import fileformat
from elternlotse.sync.fileformat import FORMAT_VERSION, Header, seal
from elternlotse.sync.keys import parse_card
from sync_helpers import later_than, link, send, shared_document, store_counts, synced_state


@pytest.fixture
def pair(services, office_services):
    link(services, office_services)
    return services, office_services


# ---------------------------------------------------------------- keys and cards

def test_card_roundtrip_and_fingerprint(services, tmp_path):
    card = services.sync.write_card(tmp_path / "me.card")
    again = parse_card((tmp_path / "me.card").read_bytes())
    assert again == card
    groups = card.fingerprint.split("-")
    assert len(groups) == 5 and all(len(g) == 4 for g in groups)
    # keys are generated once and kept in the (encrypted) store
    assert services.sync.own_card() == card
    assert services.store.meta("sync.signing_key") and services.store.meta("sync.age_identity").startswith("AGE-SECRET-KEY-")


def test_altered_card_is_refused(services, tmp_path):
    path = tmp_path / "me.card"
    services.sync.write_card(path)
    doc = json.loads(path.read_text())
    doc["name"] = "Mallory"
    with pytest.raises(ValidationError, match="altered"):
        parse_card(json.dumps(doc).encode())
    with pytest.raises(ValidationError, match="not a valid"):
        parse_card(b"hello")


def test_trust_rules(services, office_services, tmp_path):
    with pytest.raises(ValidationError, match="own card"):
        services.sync.trust(services.sync.own_card())
    other_nav = create_store(tmp_path / "nav2", PASSPHRASE, "Second navigator", key_derivation=TEST_KDF)
    try:
        with pytest.raises(ValidationError, match="navigator trusts an office"):
            services.sync.trust(other_nav.sync.own_card())
    finally:
        other_nav.store.close()
    peer = services.sync.trust(office_services.sync.own_card())
    assert peer.role == "office" and peer.fingerprint == office_services.sync.own_card().fingerprint
    assert [p.node_id for p in services.sync.peers()] == [office_services.store.info.node_id]


# ---------------------------------------------------------------- consent decides what leaves

def test_unconsented_family_travels_only_as_counts(pair, tmp_path):
    nav, office = pair
    shared = nav.families.add(shared_document())
    hidden = nav.families.add(family_document(name="Verborgen Geheim", phone="0176 5555 4444",
                                              notes="Nur für die Lotsin"))
    result = nav.sync.export(tmp_path / "1.elsync")
    assert result.withheld["families"] == 1 and result.withheld["persons"] == 2 and result.withheld["channels"] == 3
    report = office.sync.import_files([tmp_path / "1.elsync"])
    assert report.applied == 1 and report.new == 6
    text = office.store.dump_text()
    # whole numbers only: four digits alone also turn up in ids, stamps and hashes
    for secret in ("Verborgen", "Geheim", "17655554444", "Nur für die Lotsin", hidden.id, *[p.id for p in hidden.persons()]):
        assert secret not in text
    assert office.families.document(shared.id)["guardians"][0]["name"] == "Ayşe Yılmaz"
    assert office.families.list("yilmaz")[0].id == shared.id  # search index rebuilt


def test_only_consenting_guardian_travels(pair, tmp_path):
    nav, office = pair
    doc = shared_document()
    doc["guardians"].append({"id": "g2", "name": "Zweiter Elternteil", "languages": ["de"], "phones": ["0176 2222 3333"]})
    family = nav.families.add(doc)
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    at_office = office.families.document(family.id)
    assert [g["name"] for g in at_office["guardians"]] == ["Ayşe Yılmaz"]
    assert at_office["children"][0]["first_name"] == "Elif"
    assert "Zweiter" not in office.store.dump_text() and "17622223333" not in office.store.dump_text()


def test_withdrawal_stops_the_flow_and_travels(pair, tmp_path):
    nav, office = pair
    family = nav.families.add(shared_document())
    guardian = family.guardians[0].id
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    nav.sync.import_files([send(office, nav, tmp_path, "r1.elsync")])      # receipt
    nav.consent.withdraw(guardian, "office")
    doc = nav.families.document(family.id)
    doc["guardians"][0]["name"] = "Ayşe Neuername"
    doc["notes"] = "nach dem Widerruf"
    nav.families.update(family.id, doc)
    report = office.sync.import_files([send(nav, office, tmp_path, "2.elsync")])
    assert report.withdrawals == 1
    assert "Neuername" not in office.store.dump_text() and "nach dem Widerruf" not in office.store.dump_text()
    assert not office.consent.state(guardian).allows(__import__("elternlotse.domain.consent", fromlist=["Purpose"]).Purpose.PASS_TO_OFFICE)


def test_later_consent_sends_the_whole_family(pair, tmp_path):
    nav, office = pair
    family = nav.families.add(family_document())
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    nav.sync.import_files([send(office, nav, tmp_path, "r1.elsync")])
    assert office.families.count() == 0
    nav.consent.grant(family.guardians[0].id, "office")
    office.sync.import_files([send(nav, office, tmp_path, "2.elsync")])
    assert office.families.document(family.id)["guardians"][0]["phones"] == ["+4917612345678"]


# ---------------------------------------------------------------- merge rules

def test_same_file_twice_and_receipts_make_deltas(pair, tmp_path):
    nav, office = pair
    nav.families.add(shared_document())
    first = send(nav, office, tmp_path, "1.elsync")
    office.sync.import_files([first])
    before = store_counts(office)
    report = office.sync.import_files([first])
    assert report.duplicates == 1 and report.applied == 0 and store_counts(office) == before
    nav.sync.import_files([send(office, nav, tmp_path, "r1.elsync")])
    assert nav.sync.peers()[0].last_receipt_at
    nav.families.add(shared_document(name="Olga Iwanowa", phone="0176 1111 2222"))
    second = nav.sync.export(tmp_path / "2.elsync")
    assert second.rows == 6  # only the new family: family, guardian, child, 3 channels
    assert office.sync.import_files([tmp_path / "2.elsync"]).new == 6


def test_any_order_gives_the_same_state_and_gaps_are_reported(pair, tmp_path, office_services):
    nav, office = pair
    family = nav.families.add(shared_document())
    files = [send(nav, office, tmp_path, "1.elsync")]
    doc = nav.families.document(family.id)
    doc["notes"] = "zweite Fassung"
    nav.families.update(family.id, doc)
    files.append(send(nav, office, tmp_path, "2.elsync"))
    nav.families.add(shared_document(name="Olga Iwanowa", phone="0176 1111 2222"))
    files.append(send(nav, office, tmp_path, "3.elsync"))
    report = office.sync.import_files([files[2]])
    assert report.gaps == {nav.store.info.node_id: [1, 2]}
    office.sync.import_files([files[1], files[0]])
    other = create_store(tmp_path / "office2", PASSPHRASE, "Office 2", office=True, key_derivation=TEST_KDF)
    try:
        # a second office (same keys are not needed: trust the navigator) importing in the natural order
        nav.sync.trust(other.sync.own_card())
        other.sync.trust(nav.sync.own_card())
        for i, _f in enumerate(files):
            nav.sync.export(tmp_path / f"o2-{i}.elsync", to=other.store.info.node_id)
        other.sync.import_files([tmp_path / "o2-2.elsync", tmp_path / "o2-0.elsync", tmp_path / "o2-1.elsync"])
        assert synced_state(other) == synced_state(office)
    finally:
        other.store.close()
    assert office.families.document(family.id)["notes"] == "zweite Fassung"


def test_erasure_wins_and_a_stale_file_never_resurrects(pair, tmp_path):
    nav, office = pair
    family = nav.families.add(shared_document())
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    # navigator edits (and adds a guardian) without knowing the office erased the family
    doc = nav.families.document(family.id)
    doc["notes"] = "veraltet"
    doc["guardians"].append({"id": "new", "name": "Neuer Vormund", "languages": ["de"], "phones": ["0176 3333 4444"]})
    nav.families.update(family.id, doc)
    nav.consent.grant(nav.families.document(family.id)["guardians"][1]["id"], "office")
    stale = send(nav, office, tmp_path, "2.elsync")
    office.families.erase(family.id)
    report = office.sync.import_files([stale, send(nav, office, tmp_path, "3.elsync")])
    assert report.applied == 2
    assert not office.families.exists(family.id)
    text = office.store.dump_text()
    assert "Ayşe" not in text and "veraltet" not in text and "Neuer Vormund" not in text and "17633334444" not in text
    # and back to the navigator: the erasure reaches it
    nav.sync.import_files([send(office, nav, tmp_path, "e.elsync")])
    assert not nav.families.exists(family.id)
    assert "Ayşe" not in nav.store.dump_text() and "Neuer Vormund" not in nav.store.dump_text()
    assert nav.store.integrity_ok() and office.store.integrity_ok()


def test_concurrent_edits_keep_the_losing_value_for_review(pair, tmp_path):
    nav, office = pair
    family = nav.families.add(shared_document())
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    nav.sync.import_files([send(office, nav, tmp_path, "r1.elsync")])
    doc = office.families.document(family.id)
    doc["notes"] = "Fassung des Büros"
    office.families.update(family.id, doc)
    later_than(nav, office)
    doc = nav.families.document(family.id)
    doc["notes"] = "Fassung der Lotsin"
    nav.families.update(family.id, doc)       # later stamp: wins
    report = office.sync.import_files([send(nav, office, tmp_path, "2.elsync")])
    assert report.conflicts == 1
    [conflict] = office.sync.conflicts()
    assert (conflict.table, conflict.field) == ("families", "notes")
    assert conflict.current_value == "Fassung der Lotsin" and conflict.lost_value == "Fassung des Büros"
    office.sync.resolve(conflict.id, use_lost_value=True)
    assert office.sync.conflicts() == []
    assert office.families.document(family.id)["notes"] == "Fassung des Büros"
    with pytest.raises(ValidationError):
        office.sync.resolve(conflict.id, use_lost_value=False)
    # the resolution is an ordinary change: it reaches the navigator
    nav.sync.import_files([send(office, nav, tmp_path, "r2.elsync")])
    assert nav.families.document(family.id)["notes"] == "Fassung des Büros"


def test_office_sends_installed_catalogues(pair, tmp_path):
    nav, office = pair
    bundled = office.catalogs.bundled()
    if not bundled:
        pytest.skip("no bundled catalogue")
    from elternlotse.catalogs import catalog_to_document

    doc = catalog_to_document(bundled[0])
    doc["version"] = "2099.1"
    office.catalogs.install(doc, origin="file")
    report = nav.sync.import_files([send(office, nav, tmp_path, "c.elsync")])
    assert any("2099.1" in line for line in report.catalogs)
    assert any(c.version == "2099.1" for c in nav.catalogs.versions(bundled[0].id))


# ---------------------------------------------------------------- refusals

@pytest.fixture
def small_file(pair, tmp_path):
    nav, office = pair
    nav.families.add(shared_document())
    return send(nav, office, tmp_path, "small.elsync")


def _refused(office, data: bytes) -> bool:
    try:
        office.sync.verify_bytes(data, "x")
    except ValidationError:
        return True
    return False


def test_every_byte_change_and_every_truncation_is_refused(pair, small_file):
    _, office = pair
    data = small_file.read_bytes()
    office.sync.verify_bytes(data, "x")  # the original is fine
    assert len(data) < 6000
    for position in range(len(data)):
        changed = bytearray(data)
        changed[position] = (changed[position] + 1) % 256
        assert _refused(office, bytes(changed)), position
        assert _refused(office, data[:position]), f"truncated at {position}"
    assert _refused(office, data + b"\0")


def test_refusals_have_one_clear_sentence_and_write_nothing(pair, small_file, tmp_path):
    nav, office = pair
    before = store_counts(office)
    data = small_file.read_bytes()
    cases = {
        "not an Elternlotse sync file": b"%PDF-1.7 not a sync file at all",
        "incomplete": data[: len(data) // 2],
        "signature does not match": data[:-1] + bytes([data[-1] ^ 1]),
    }
    for expected, content in cases.items():
        path = tmp_path / "bad.elsync"
        path.write_bytes(content)
        report = office.sync.import_files([path])
        assert report.refused == 1 and expected in report.files[0].message
        assert "\n" not in report.files[0].message
    assert store_counts(office) == before
    # a file meant for another installation: the navigator itself cannot read its own export
    report = nav.sync.import_files([small_file])
    assert report.refused == 1 and "another installation" in report.files[0].message


def test_unknown_sender_is_refused(office_services, tmp_path):
    stranger = create_store(tmp_path / "stranger", PASSPHRASE, "Stranger", key_derivation=TEST_KDF)
    try:
        stranger.sync.trust(office_services.sync.own_card())
        stranger.families.add(shared_document())
        path = send(stranger, office_services, tmp_path, "s.elsync")
        report = office_services.sync.import_files([path])
        assert report.refused == 1 and "not trusted" in report.files[0].message
        assert office_services.families.count() == 0
    finally:
        stranger.store.close()


def _forge(nav, office, doc_change=None, header_change=None, raw_payload=None) -> bytes:
    """A correctly signed and encrypted file with whatever content a buggy or newer sender might write."""
    office_card = office.sync.own_card()
    peer = nav.sync.peer(office_card.node_id)
    header = Header(FORMAT_VERSION, nav.store.info.schema_version, nav.store.info.node_id, office_card.node_id,
                    peer.seq_out + 1, "", nav.store.clock.now(), "2026-11-22T10:00:00Z", 0)
    if header_change:
        header = Header(**{**header.__dict__, **header_change})
    from elternlotse.sync import payload as payload_mod

    doc = payload_mod.build(header, "navigator", [("families", "f1", [("notes", header.clock_to, "x")])], [], [], "", [],
                            [], {})
    if doc_change:
        doc_change(doc)
    if raw_payload is not None:
        import pyrage
        from pyrage import x25519

        body_cipher = pyrage.encrypt(raw_payload, [x25519.Recipient.from_str(office_card.encryption_key)])
        head = fileformat.canonical({**header.__dict__, "length": len(body_cipher)})
        body = fileformat.MAGIC + len(head).to_bytes(4, "big") + head + body_cipher
        return body + nav.sync.secrets().sign(body)
    return seal(header, doc, nav.sync.secrets(), office_card.encryption_key)


@pytest.mark.parametrize("case, expected", [
    ("newer_format", "newer than this app"),
    ("manifest", "manifest"),
    ("unknown_table", "does not know"),
    ("bad_value", "f1.notes: expected text"),
    ("future_stamp", "clock range"),
    ("not_json", "not JSON"),
    ("not_zlib", "not compressed"),
    ("bomb", "more than a sync file may hold"),
])
def test_malformed_or_newer_content_is_refused(pair, case, expected, monkeypatch):
    nav, office = pair
    if case == "newer_format":
        data = _forge(nav, office, header_change={"format": FORMAT_VERSION + 1})
    elif case == "manifest":
        data = _forge(nav, office, doc_change=lambda d: d["manifest"].update(changes=7))
    elif case == "unknown_table":
        def change(d):
            d["rows"] = [["passports", "p1", [["number", d["rows"][0][2][0][1], "X"]]]]
            d["manifest"] = {"rows": {"passports": 1}, "changes": 1, "tombstones": 0, "consents": 0, "catalogs": 0}
        data = _forge(nav, office, doc_change=change)
    elif case == "bad_value":
        data = _forge(nav, office, doc_change=lambda d: d["rows"][0][2][0].__setitem__(2, {"nested": 1}))
    elif case == "future_stamp":
        data = _forge(nav, office, doc_change=lambda d: d["rows"][0][2][0].__setitem__(1, "9999999999999-0000-" + "a" * 16))
    elif case == "not_json":
        data = _forge(nav, office, raw_payload=zlib.compress(b"{not json"))
    elif case == "not_zlib":
        data = _forge(nav, office, raw_payload=b"plain text, not zlib")
    else:
        monkeypatch.setattr(fileformat, "MAX_PAYLOAD_BYTES", 1000)
        data = _forge(nav, office, raw_payload=zlib.compress(b"[" + b" " * 100_000 + b"]"))
    with pytest.raises(ValidationError, match=expected):
        office.sync.verify_bytes(data, "forged.elsync")


def test_oversized_file_is_refused(pair, small_file, monkeypatch):
    _, office = pair
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 100)
    with pytest.raises(ValidationError, match="larger than a sync file may be"):
        office.sync.verify_bytes(small_file.read_bytes(), "big.elsync")


# ---------------------------------------------------------------- CLI

def test_cli_keys_and_sync_round_trip(cli, tmp_path, data_dir):
    office_dir = tmp_path / "office-cli"
    assert cli("init", "--name", "Ayla").code == 0
    assert cli("init", "--name", "KoKo", "--office", data=office_dir).code == 0
    assert cli("keys", "card", "-o", str(tmp_path / "nav.card")).code == 0
    result = cli("keys", "card", "-o", str(tmp_path / "office.card"), data=office_dir)
    fingerprint = result.out.split("Fingerprint: ")[1].split()[0]
    wrong = cli("keys", "trust", str(tmp_path / "office.card"), "--expect", "AAAA-BBBB-CCCC-DDDD-EEEE")
    assert wrong.code == 1 and "differs" in wrong.err and wrong.err.count("\n") == 1
    trusted = cli("keys", "trust", str(tmp_path / "office.card"), "--expect", fingerprint.lower())
    assert trusted.code == 0 and fingerprint in trusted.out
    assert cli("keys", "trust", str(tmp_path / "nav.card"), data=office_dir).code == 0
    family_file = tmp_path / "family.json"
    family_file.write_text(json.dumps(shared_document()))
    assert cli("family", "add", str(family_file)).code == 0
    exported = cli("sync", "export", "-o", str(tmp_path), "--json")
    assert exported.code == 0
    path = exported.json()["file"]
    imported = cli("sync", "import", path, "--json", data=office_dir)
    assert imported.code == 0 and imported.json()["new"] == 6 and imported.json()["refused"] == 0
    again = cli("sync", "import", path, data=office_dir)
    assert again.code == 0 and "already imported" in again.out
    listed = cli("keys", "list", "--json", data=office_dir).json()
    assert listed["self"]["role"] == "office" and listed["trusted"][0]["last_seq_in"] == 1
    bad = tmp_path / "bad.elsync"
    bad.write_bytes(b"garbage")
    refused = cli("sync", "import", str(bad), data=office_dir)
    assert refused.code == 1 and refused.out == "" and "not an Elternlotse sync file" in refused.err
    status = cli("sync", "status", "--json", data=office_dir).json()
    assert status["peers"][0]["last_seq_in"] == 1


def test_export_into_a_missing_folder_is_refused_and_changes_nothing(pair, tmp_path):
    nav, _ = pair
    nav.families.add(shared_document())
    with pytest.raises(ValidationError, match="cannot be written"):
        nav.sync.export(tmp_path / "no" / "such" / "folder" / "x.elsync")
    assert nav.sync.peers()[0].seq_out == 0
    assert nav.sync.export(tmp_path / "x.elsync").seq == 1


def test_a_signed_but_malformed_file_is_refused_alone_and_among_others(pair, small_file, tmp_path):
    nav, office = pair
    forged = tmp_path / "forged.elsync"
    forged.write_bytes(_forge(nav, office, doc_change=lambda d: d["manifest"].update(changes=99)))
    before = store_counts(office)
    report = office.sync.import_files([forged])
    assert report.refused == 1 and "manifest" in report.files[0].message
    assert store_counts(office) == before        # not even an audit entry
    report = office.sync.import_files([forged, small_file])
    assert report.refused == 1 and report.applied == 1 and office.families.count() == 1


def test_events_planned_by_the_office_reach_the_navigator(pair, tmp_path):
    nav, office = pair
    event = office.events.add({"type": "family_cafe", "starts": "2026-12-03T16:30", "place": "Realschule Emst",
                               "topics": ["kaoa-kompakt"]})
    report = nav.sync.import_files([send(office, nav, tmp_path, "o1.elsync")])
    assert report.new == 1
    assert nav.events.get(event.id).place == "Realschule Emst"
    # the office's event belongs to the office: a navigator's change to it is refused and reported
    nav.events.set_headcount(event.id, 12)
    report = office.sync.import_files([send(nav, office, tmp_path, "n0.elsync")])
    assert office.events.get(event.id).headcount == 0 and report.refused_records == 1
    assert [c.family for c in report.families] == [None] and report.families[0].refused[0]["table"] == "events"
    # the navigator's own events and its edits travel to the office; the office does not send them back
    own = nav.events.add({"type": "family_cafe", "starts": "2026-12-04T16:30", "place": "Moschee Wehringhausen"})
    nav.events.set_headcount(own.id, 12)
    nav.sync.import_files([send(office, nav, tmp_path, "o1b.elsync")])  # the receipt of n0
    office.sync.import_files([send(nav, office, tmp_path, "n1.elsync")])
    assert office.events.get(own.id).headcount == 12
    assert nav.sync.export(tmp_path / "n2.elsync").rows == 1           # no receipt yet: files are cumulative
    nav.sync.import_files([send(office, nav, tmp_path, "o2.elsync")])  # the receipt
    assert nav.sync.export(tmp_path / "n3.elsync").rows == 0


def test_cli_conflicts_and_resolve(cli, pair, tmp_path, data_dir):
    nav, office = pair
    family = nav.families.add(shared_document())
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    nav.sync.import_files([send(office, nav, tmp_path, "r1.elsync")])
    for side, notes in ((office, "Büro"), (nav, "Lotsin")):
        later_than(side, office)
        doc = side.families.document(family.id)
        doc["notes"] = notes
        side.families.update(family.id, doc)
    path = send(nav, office, tmp_path, "2.elsync")
    office_dir = office.store.path.parent
    office.store.close()
    imported = cli("sync", "import", str(path), data=office_dir)
    assert imported.code == 0 and "Conflicts: 1" in imported.out
    listed = cli("sync", "conflicts", "--json", data=office_dir).json()
    assert listed[0]["family"] == "Ayşe Yılmaz"                     # whose family the conflict is in
    assert [(c["field"], c["current"], c["other"]) for c in listed] == [("notes", "Lotsin", "Büro")]
    assert cli("sync", "resolve", str(listed[0]["id"]), "--keep", "other", data=office_dir).code == 0
    again = cli("sync", "resolve", str(listed[0]["id"]), "--keep", "current", data=office_dir)
    assert again.code == 1 and "already resolved" in again.err
    assert cli("sync", "conflicts", "--json", data=office_dir).json() == []
    assert cli("family", "show", family.id, "--json", data=office_dir).json()["notes"] == "Büro"


def test_office_package_for_another_navigator_carries_no_stray_records(pair, tmp_path):
    """Found by the property test: records of navigator A must not reach navigator B half-complete."""
    nav_a, office = pair
    nav_b = create_store(tmp_path / "nav-b", PASSPHRASE, "Navigator B", key_derivation=TEST_KDF)
    try:
        link(nav_b, office)
        family = nav_a.families.add(shared_document())
        child = family.children[0].id
        nav_a.checklists.set_item(child, "pa/pa-consent", "done", note="von A")
        event = nav_a.events.add({"type": "family_cafe", "starts": "2026-11-26T16:30", "place": "MSO Haspe"})
        office.sync.import_files([send(nav_a, office, tmp_path, "a1.elsync")])
        office.checklists.set_item(child, "pa/pa-consent", "discussed", note="vom Büro")
        office.events.set_headcount(event.id, 9)
        office.families.erase(family.id)
        report = nav_b.sync.import_files([send(office, nav_b, tmp_path, "b1.elsync")])
        assert report.refused == 0 and report.new == 0
        assert nav_b.store.conn.execute("SELECT count(*) FROM checklist_items").fetchone()[0] == 0
        assert nav_b.store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
        report = nav_a.sync.import_files([send(office, nav_a, tmp_path, "a2.elsync")])
        assert not nav_a.families.exists(family.id) and nav_a.events.get(event.id).headcount == 9
        assert "von A" not in nav_a.store.dump_text()
    finally:
        nav_b.store.close()


def test_erasure_also_removes_values_kept_for_review(pair, tmp_path):
    """Found by the property test: a conflict's losing value is personal data and must go with an erasure."""
    nav, office = pair
    family = nav.families.add(shared_document())
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    nav.sync.import_files([send(office, nav, tmp_path, "r1.elsync")])
    for side, notes in ((office, "Büro-Notiz"), (nav, "Lotsin-Notiz")):   # concurrent: neither saw the other
        doc = side.families.document(family.id)
        doc["notes"] = notes
        side.families.update(family.id, doc)
    to_nav, to_office = send(office, nav, tmp_path, "r2.elsync"), send(nav, office, tmp_path, "2.elsync")
    nav.sync.import_files([to_nav])
    office.sync.import_files([to_office])
    assert len(office.sync.conflicts()) == 1 and len(nav.sync.conflicts()) == 1
    office.families.erase(family.id)                      # erased here through the family service ...
    assert office.sync.conflicts(include_resolved=True) == []
    assert "Lotsin-Notiz" not in office.store.dump_text() and "Büro-Notiz" not in office.store.dump_text()
    nav.sync.import_files([send(office, nav, tmp_path, "r3.elsync")])   # ... and there through the sync file
    assert nav.sync.conflicts(include_resolved=True) == []
    assert "Lotsin-Notiz" not in nav.store.dump_text() and "Büro-Notiz" not in nav.store.dump_text()
