"""The consent rule for what leaves a laptop (sync/scope.py), tested on its own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from elternlotse.domain.consent import ConsentEntry, Evidence, Purpose, derive
from elternlotse.sync.scope import PersonRef, office_share_scope

F = "fam"


def entry(person: str, granted: bool, at: str, stamp: str, purpose: Purpose = Purpose.PASS_TO_OFFICE) -> ConsentEntry:
    return ConsentEntry(person_id=person, purpose=purpose, channel=None, granted=granted, at=at, recorded_by="x",
                        evidence=Evidence.SIGNED_FORM, stamp=stamp)


def people(*guardians, children=("c1",), deleted=()):
    refs = [PersonRef(g, F, "guardian", g in deleted) for g in guardians]
    return refs + [PersonRef(c, F, "child", c in deleted) for c in children]


def test_no_office_consent_nothing_travels():
    history = [entry("g1", True, "2026-01-01", "s1", Purpose.STORE), entry("g1", True, "2026-01-01", "s1", Purpose.EVENT_INVITATIONS)]
    scope = office_share_scope(people("g1"), history)
    assert scope.families == set() and scope.persons == set() and scope.ever == set()
    assert not scope.allows(F, None) and not scope.allows(F, "c1") and not scope.allows(None, "g1")
    assert scope.allows(None, None)   # unbound records (events) travel


def test_grant_shares_guardian_family_and_children():
    scope = office_share_scope(people("g1", "g2"), [entry("g1", True, "2026-01-01", "s1")])
    assert scope.families == {F} and scope.persons == {"g1", "c1"}   # g2 never consented: stays home
    assert scope.allows(F, "g1") and scope.allows(F, "c1") and not scope.allows(F, "g2")
    assert scope.ever == {F}


def test_withdrawal_wins_later_and_at_the_same_time():
    later = [entry("g1", True, "2026-01-01", "s1"), entry("g1", False, "2026-02-01", "s2")]
    same_time = [entry("g1", True, "2026-01-01", "s2"), entry("g1", False, "2026-01-01", "s1")]
    for history in (later, same_time):
        scope = office_share_scope(people("g1"), history)
        assert scope.families == set() and scope.persons == set()
        assert scope.ever == {F}   # its withdrawal and erasures must still reach the office


def test_regrant_after_withdrawal_shares_again_in_full():
    history = [entry("g1", True, "2026-01-01", "s1"), entry("g1", False, "2026-02-01", "s2"),
               entry("g1", True, "2026-03-01", "s5")]
    assert office_share_scope(people("g1"), history, acked="s3").full == {F}
    assert office_share_scope(people("g1"), history, acked="s6").full == set()


def test_deleted_guardian_does_not_share_the_family():
    scope = office_share_scope(people("g1", deleted=("g1",)), [entry("g1", True, "2026-01-01", "s1")])
    assert scope.families == set() and scope.ever == {F}


def test_other_families_are_not_affected():
    refs = people("g1") + [PersonRef("h1", "other", "guardian", False), PersonRef("k1", "other", "child", False)]
    scope = office_share_scope(refs, [entry("g1", True, "2026-01-01", "s1")])
    assert "other" not in scope.families and "k1" not in scope.persons and not scope.allows("other", None)


histories = st.lists(st.tuples(st.sampled_from(["g1", "g2"]), st.booleans(), st.sampled_from(["2026-01", "2026-02", "2026-03"]),
                               st.integers(0, 99)), max_size=8)


@settings(max_examples=200, deadline=None)
@given(histories)
def test_a_guardian_travels_exactly_while_his_current_office_consent_is_granted(raw):
    history = [entry(p, g, at, f"s{stamp:02d}") for p, g, at, stamp in raw]
    scope = office_share_scope(people("g1", "g2"), history)
    for guardian in ("g1", "g2"):
        current = derive(guardian, history).allows(Purpose.PASS_TO_OFFICE)
        assert (guardian in scope.persons) == current
    assert (F in scope.families) == bool({"g1", "g2"} & scope.persons)
    assert ("c1" in scope.persons) == (F in scope.families)
    assert (F in scope.ever) == any(g for _, g, _, _ in raw)
    assert scope.full <= scope.families


def test_the_store_and_the_payload_agree_on_the_consent_columns():
    """store/merge.py inserts consent entries in the column order sync/payload.py validates."""
    from elternlotse.store.tables import CONSENT_COLUMNS as STORE
    from elternlotse.sync.payload import CONSENT_COLUMNS as PAYLOAD

    assert STORE == PAYLOAD
