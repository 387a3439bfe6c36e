"""Duplicates across navigators (issue 16, item 1): candidates by blocking, dismiss, merge, undo, CLI.

Real encrypted office stores; families added through the ordinary service, checklist ticks and
consent entries through theirs, so a merge is checked against what people really record.
"""

from __future__ import annotations

import pytest

from conftest import PASSPHRASE, TEST_KDF, family_document
from elternlotse.app import create_store
from elternlotse.domain.consent import Purpose
from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.services.duplicates import phone_key


def _doc(name, phone, email, child="Elif"):
    doc = family_document(name=name, phone=phone)
    doc["guardians"][0]["emails"] = [email]
    doc["guardians"][0]["messenger"] = []
    doc["children"][0]["first_name"] = child
    return doc


@pytest.fixture
def office(tmp_path):
    services = create_store(tmp_path / "office", PASSPHRASE, "KoKo Hagen", office=True, key_derivation=TEST_KDF)
    yield services
    services.store.close()


def _pairs(found):
    return {frozenset((c.first, c.second)): c for c in found}


def test_phone_keys_meet_across_notations():
    assert phone_key("+49 176 1234 5678") == phone_key("0176 12345678") == phone_key("0049 (0)176-1234-5678")
    assert phone_key("+90 532 123 4567") != phone_key("0532 123 4567")   # another country is another number


def test_candidates_by_phone_email_and_name_across_scripts(office):
    f = office.families
    ayse = f.add(_doc("Ayşe Yılmaz", "+49 176 1234 5678", "ayse@example.org"))
    ayse2 = f.add(_doc("Ayse Yilmaz-Demir", "0176 12345678", "other@example.org"))        # same number
    mail = f.add(_doc("A. Yilmaz", "0151 5555 0000", "AYSE@Example.ORG"))                # same address
    latin = f.add(_doc("Mohammed Al Hassan", "0160 1111 2222", "m1@example.org"))
    arabic = f.add(_doc("محمد الحسن", "0170 3333 4444", "m2@example.org"))                  # same name, other script
    other = f.add(_doc("Olena Shevchenko", "0172 9999 8888", "olena@example.org"))
    found = _pairs(office.duplicates.candidates())
    assert found[frozenset((ayse.id, ayse2.id))].reasons == ("phone",)
    assert found[frozenset((ayse.id, mail.id))].reasons == ("email",)
    assert found[frozenset((latin.id, arabic.id))].reasons == ("name",)
    assert not any(other.id in pair for pair in found)
    assert frozenset((ayse2.id, mail.id)) not in found
    # more evidence, a higher score; the best pair comes first
    both = f.add(_doc("Ayşe Yılmaz", "0176/1234-5678", "Ayse@example.org"))
    ranked = office.duplicates.candidates()
    assert {ranked[0].first, ranked[0].second} == {ayse.id, both.id}
    assert ranked[0].score > found[frozenset((ayse.id, ayse2.id))].score
    assert set(ranked[0].reasons) == {"phone", "email", "same_name"}
    # the comparison shows both sides field by field
    rows = {r.label: r for r in office.duplicates.compare(ayse.id, mail.id)}
    assert rows["Guardians"].first == "Ayşe Yılmaz" and rows["Guardians"].second == "A. Yilmaz"
    assert rows["E-mail addresses"].same and not rows["Phone numbers"].same


def test_dismissed_pairs_never_come_back(office):
    a = office.families.add(_doc("Ayşe Yılmaz", "0176 1234 5678", "a@example.org"))
    b = office.families.add(_doc("Aise Jilmaz", "0176 1234 5678", "b@example.org"))
    assert frozenset((a.id, b.id)) in _pairs(office.duplicates.candidates())
    assert office.duplicates.dismiss(b.id, a.id) is True
    assert office.duplicates.dismiss(a.id, b.id) is False            # the same pair, either order
    assert frozenset((a.id, b.id)) not in _pairs(office.duplicates.candidates())
    with pytest.raises(ValidationError):
        office.duplicates.dismiss(a.id, a.id)
    with pytest.raises(NotFoundError):
        office.duplicates.dismiss(a.id, "no-such-family")
    assert office.store.conn.execute("SELECT count(*) FROM audit WHERE action = 'duplicates.dismiss'").fetchone()[0] == 1


def test_merge_keeps_every_consent_entry_and_tick_and_undo_restores_both(office):
    keep = office.families.add(_doc("Ayşe Yılmaz", "0176 1234 5678", "a@example.org"))
    other = office.families.add(_doc("Ayse Yilmaz", "+4917612345678", "a2@example.org", child="Can"))
    guardian = other.guardians[0].id
    office.consent.grant(guardian, Purpose.PHOTOS, evidence="verbal")
    office.consent.withdraw(guardian, Purpose.PHOTOS, evidence="verbal")
    child = other.children[0].id
    office.checklists.set_item(child, "pa/pa-consent", "done", note="Formular da")
    history = [e.id for e in office.families.get(other.id).consents]
    merge = office.duplicates.merge(keep.id, other.id)
    assert merge.moved >= 2
    survivor = office.families.get(keep.id)
    assert {g.name for g in survivor.guardians} == {"Ayşe Yılmaz", "Ayse Yilmaz"}
    assert {c.first_name for c in survivor.children} == {"Elif", "Can"}
    assert set(history) <= {e.id for e in survivor.consents}                # every entry, untouched
    assert not office.consent.state(guardian).allows(Purpose.PHOTOS)
    assert office.store.conn.execute("SELECT family_id, status, note FROM checklist_items WHERE child_id = ?",
                                     (child,)).fetchone() == (keep.id, "done", "Formular da")
    # the absorbed family is a pointer: opening it leads to the survivor; the lists no longer show it
    assert office.families.get(other.id).id == keep.id
    assert other.id not in {r.id for r in office.families.list()}
    assert office.families.count() == 1
    assert office.families.list(search="Can")[0].id == keep.id
    assert not office.duplicates.candidates()
    with pytest.raises(ValidationError, match="merged into another family"):
        office.duplicates.merge(keep.id, other.id)
    actions = [r[0] for r in office.store.conn.execute("SELECT action FROM audit ORDER BY rowid")]
    assert "family.merge" in actions
    # undo: both families as they were
    undone = office.duplicates.undo(merge.id)
    assert undone.undone
    assert [g.name for g in office.families.get(keep.id).guardians] == ["Ayşe Yılmaz"]
    restored = office.families.get(other.id)
    assert restored.id == other.id and [c.first_name for c in restored.children] == ["Can"]
    assert [e.id for e in restored.consents] == history
    assert office.store.conn.execute("SELECT family_id FROM checklist_items WHERE child_id = ?",
                                     (child,)).fetchone()[0] == other.id
    assert office.families.count() == 2
    with pytest.raises(ValidationError, match="undone already"):
        office.duplicates.undo(merge.id)
    assert "family.merge.undo" in [r[0] for r in office.store.conn.execute("SELECT action FROM audit")]


def test_only_the_office_merges(office, services, tmp_path):
    a = services.families.add(_doc("Ayşe Yılmaz", "0176 1234 5678", "a@example.org"))
    b = services.families.add(_doc("Ayse Yilmaz", "0176 1234 5678", "b@example.org"))
    with pytest.raises(ValidationError, match="Only an office"):
        services.duplicates.merge(a.id, b.id)
    assert len(services.duplicates.candidates()) == 1                 # a navigator sees its own duplicates
    mine = office.families.add(_doc("Ayşe Yılmaz", "0176 1234 5678", "a@example.org"))
    with pytest.raises(NotFoundError):
        office.duplicates.merge(mine.id, "no-such-family")
    with pytest.raises(NotFoundError):
        office.duplicates.undo(99)


def test_cli_list_merge_dismiss_undo(cli, tmp_path):
    office_dir = tmp_path / "office"
    assert cli("init", "--name", "KoKo Hagen", "--office", data=office_dir).code == 0
    ids = []
    for name, phone, mail in (("Ayşe Yılmaz", "0176 1234 5678", "a@example.org"),
                              ("Ayse Yilmaz", "+49 176 12345678", "x@example.org"),
                              ("Olena Shevchenko", "0172 9999 8888", "o@example.org"),
                              ("Olena Schewtschenko", "0160 1234 0000", "O@EXAMPLE.ORG")):
        import json

        out = cli("family", "add", "-", stdin=json.dumps(_doc(name, phone, mail)), data=office_dir)
        assert out.code == 0, out.err
        ids.append(out.out.strip().split()[-1])
    listed = cli("duplicates", "list", "--json", data=office_dir)
    assert listed.code == 0
    pairs = {frozenset((p["first"], p["second"])): p for p in listed.json()}
    assert set(pairs) == {frozenset(ids[:2]), frozenset(ids[2:])}
    first = pairs[frozenset(ids[:2])]
    assert first["reasons"] == ["phone", "same_name"] and 0 < first["score"] <= 1
    assert {f["field"] for f in first["fields"]} >= {"Guardians", "Phone numbers", "Owner"}
    text = cli("duplicates", "list", data=office_dir)
    assert "2 candidate pairs" in text.out and "same phone number" in text.out
    assert cli("duplicates", "dismiss", ids[2], ids[3], data=office_dir).code == 0
    merged = cli("duplicates", "merge", ids[0], ids[1], "--json", data=office_dir)
    assert merged.code == 0 and merged.json()["keep"] == ids[0]
    assert cli("duplicates", "list", "--json", data=office_dir).json() == []
    again = cli("duplicates", "merge", ids[0], ids[1], data=office_dir)
    assert again.code == 1 and "merged into another family" in again.err and "Traceback" not in again.err
    shown = cli("family", "show", ids[1], "--json", data=office_dir)
    assert shown.code == 0 and len(shown.json()["guardians"]) == 2       # the pointer leads to the survivor
    undo = cli("duplicates", "undo", str(merged.json()["id"]), data=office_dir)
    assert undo.code == 0 and "two families again" in undo.out
    assert cli("duplicates", "undo", "77", data=office_dir).code == 1
    assert cli("duplicates", "merge", ids[0], data=office_dir).code == 2


def test_notes_stay_in_sight_and_erasing_by_the_old_id_erases_the_survivor_and_its_pointer(office):
    keep = office.families.add(_doc("Ayşe Yılmaz", "0176 1234 5678", "a@example.org") | {"notes": "Vater arbeitet"})
    other = office.families.add(_doc("Ayse Yilmaz", "0176 1234 5678", "b@example.org") | {"notes": "Türkisch bitte"})
    unrelated = office.families.add(_doc("Olena Shevchenko", "0172 9999 8888", "o@example.org"))
    merge = office.duplicates.merge(keep.id, other.id)
    assert office.families.get(keep.id).notes == "Vater arbeitet\n\nTürkisch bitte"
    office.duplicates.undo(merge.id)
    assert office.families.get(keep.id).notes == "Vater arbeitet"
    assert office.families.get(other.id).notes == "Türkisch bitte"
    office.duplicates.merge(keep.id, other.id)
    office.families.erase(other.id)                      # the old id names the survivor now
    assert not office.families.exists(keep.id) and not office.families.exists(other.id)
    assert office.families.exists(unrelated.id)
    text = office.store.dump_text()
    assert "Türkisch bitte" not in text and "Vater arbeitet" not in text and "Yilmaz" not in text


def test_migration_0010_leaves_a_schema_without_problems(office):
    assert office.store.schema_problems() == []
    columns = {r[1] for r in office.store.conn.execute("PRAGMA table_info(families)")}
    assert "merged_into" in columns
