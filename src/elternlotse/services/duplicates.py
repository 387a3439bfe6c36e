"""Duplicates across navigators (issue 16): candidate pairs, the comparison, merge, undo, "not the same".

**Candidates** come from blocking, never from comparing every family with every other:
each family is put into blocks by its phone numbers (the national form of the number, so
"+49 176 ..." meets "0176 ..."), its e-mail addresses (case-folded) and the skeleton of each
guardian's whole name as the search index holds it (``domain/search_text.py``: spellings and
scripts meet, "Mohammed Al Hassan" and "محمد الحسن").  Pairs sharing a block are candidates;
a block larger than ``MAX_BLOCK`` (a school's switchboard number, a very common name) says
nothing and is skipped.  Nothing is merged automatically; dismissed pairs never come back.

**A merge** (office only) re-points every record of the absorbed family to the survivor
(persons with their channels and consent entries, checklist ticks, corrections, attendance,
contacts: synced changes, so the history stays whole and the consent entries untouched) and
sets the absorbed family's ``merged_into`` (the synced merge record: a pointer to the
survivor on every laptop that holds it).  **Who owns the survivor:** the survivor keeps its
owner.  A duplicate across two navigators (KEEP owned by A, OTHER by B) is merged in the same
one office action: OTHER is handed to A as well (``families.owner``, synced and audited like a
handover), so everything that moved under KEEP is A's; A's next package carries OTHER and the
moved records in full, B's carries OTHER's handover and its pointer, and B's copy of OTHER's
records is removed (the handover's erasure path; only the pointer stays).  **Undo** puts back
every record the merge moved that still belongs to the survivor and clears the pointer (synced
too); after a merge across navigators it hands OTHER back to B, whose next package brings it
back whole, while A's package moves the records out of KEEP and removes them from A's laptop.
docs/sync-format.md, "Merges across navigators".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.search_text import fold
from elternlotse.domain.text import N_
from elternlotse.store import Store
from elternlotse.store import duplicates as repo
from elternlotse.store import families as family_repo
from elternlotse.store import replication as repl

#: Blocks with more families than this are skipped (a shared number or a very common name).
MAX_BLOCK = 12
#: How much each kind of evidence weighs; a pair's score is 1 - prod(1 - weight).
WEIGHTS = {"phone": 0.6, "email": 0.5, "name": 0.4, "same_name": 0.5}
REASONS = {"phone": N_("same phone number"), "email": N_("same e-mail address"),
           "name": N_("similar name"), "same_name": N_("same name")}


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def phone_key(value: str) -> str:
    """The number as dialled in Germany: "+49 176 1234" and "0176 1234" give the same key."""
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0049"):
        return "0" + digits[4:].lstrip("0")
    return digits if len(digits) >= 6 else ""


def name_key(skeleton: str) -> str:
    """The block of a guardian's name: its skeleton words as a set (at least two words).

    A leading "l" of a longer skeleton is the Arabic article ("Al Hassan", "Alhassan", الحسن):
    it is dropped, so every way of writing it lands in one block.
    """
    parts = sorted({w[1:] if w.startswith("l") and len(w) >= 4 else w for w in skeleton.split()})
    return " ".join(parts) if len(parts) >= 2 else ""


@dataclass(frozen=True)
class Candidate:
    first: str
    second: str
    score: float
    reasons: tuple[str, ...]          # keys of REASONS
    first_label: str = ""
    second_label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"first": self.first, "second": self.second, "score": round(self.score, 3),
                "reasons": list(self.reasons), "first_label": self.first_label, "second_label": self.second_label}


@dataclass(frozen=True)
class Comparison:
    """One field, side by side: the msgid of its label and both values as text."""

    label: str
    first: str
    second: str

    @property
    def same(self) -> bool:
        return fold(self.first) == fold(self.second)


@dataclass
class Merge:
    id: int
    keep: str
    other: str
    at: str
    actor: str
    moved: int
    undone: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    owner: str = ""          # who holds the survivor (and, while the merge stands, the absorbed family)
    from_owner: str = ""     # whose the absorbed family was, if another navigator's ("" otherwise)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "keep": self.keep, "other": self.other, "at": self.at, "moved": self.moved,
                "undone": self.undone, "owner": self.owner, "from_owner": self.from_owner}


class DuplicateService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def actor(self) -> str:
        return self.store.info.name

    # ---------------------------------------------------------------- candidates
    def candidates(self, progress: Callable[..., None] | None = None) -> list[Candidate]:
        """Every candidate pair, best first (blocking; see the module's docstring)."""
        conn = self.store.conn
        report = progress or (lambda *a: None)
        blocks: dict[tuple[str, str], set[str]] = {}
        report(0, 4)
        guardians, contacts, skeletons = repo.candidate_source(conn)
        report(1, 4)
        for person, kind, value in contacts:
            key = phone_key(value) if kind == "phone" else value.strip().casefold()
            if key:
                blocks.setdefault((kind, key), set()).add(guardians[person][0])
        report(2, 4)
        labels: dict[str, list[str]] = {}
        for person, (fid, name) in guardians.items():
            labels.setdefault(fid, []).append(name)
            key = name_key(skeletons.get(person, ""))
            if key:
                blocks.setdefault(("name", key), set()).add(fid)
            folded = fold(name)
            if folded:
                blocks.setdefault(("same_name", folded), set()).add(fid)
        report(3, 4)
        dismissed = repo.dismissed_pairs(conn)
        pairs: dict[tuple[str, str], set[str]] = {}
        for (kind, _key), members in blocks.items():
            if len(members) < 2 or len(members) > MAX_BLOCK:
                continue
            ordered = sorted(members)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    if (a, b) not in dismissed:
                        pairs.setdefault((a, b), set()).add(kind)
        found = []
        for (a, b), kinds in pairs.items():
            if "same_name" in kinds:
                kinds = kinds - {"name"}        # the same name is not also counted as a similar one
            missing = 1.0
            for kind in kinds:
                missing *= 1 - WEIGHTS[kind]
            reasons = tuple(k for k in WEIGHTS if k in kinds)
            found.append(Candidate(a, b, 1 - missing, reasons, " / ".join(labels.get(a, [])),
                                   " / ".join(labels.get(b, []))))
        found.sort(key=lambda c: (-c.score, c.first_label.casefold(), c.first, c.second))
        report(4, 4)
        return found

    def compare(self, first: str, second: str) -> list[Comparison]:
        """The two families field by field (guardians, numbers, addresses, languages, children, notes, owner)."""
        a, b = self._load(first), self._load(second)
        owners = repo.live_unmerged(self.store.conn, [first, second])

        def each(family, fn) -> str:
            return "; ".join(v for v in (fn(g) for g in family.guardians) if v)

        rows = [
            (N_("Guardians"), lambda f: each(f, lambda g: g.name)),
            (N_("Phone numbers"), lambda f: each(f, lambda g: ", ".join(g.phones))),
            (N_("E-mail addresses"), lambda f: each(f, lambda g: ", ".join(g.emails))),
            (N_("Addresses"), lambda f: each(f, lambda g: g.address)),
            (N_("Languages"), lambda f: ", ".join(dict.fromkeys(t for g in f.guardians for t in g.languages))),
            (N_("Children"), lambda f: "; ".join(
                c.first_name + (f" ({c.grade})" if c.grade else "") for c in f.children)),
            (N_("Notes"), lambda f: f.notes),
        ]
        result = [Comparison(label, fn(a), fn(b)) for label, fn in rows]
        result.append(Comparison(N_("Owner"), owners.get(first, ""), owners.get(second, "")))
        return result

    def _load(self, family_id: str):
        if repo.merged_into(self.store.conn, family_id):
            raise ValidationError(N_("The family {id} was merged into another family already."), id=family_id)
        return family_repo.load_family(self.store.conn, family_id)

    def holder(self, node: str) -> str:
        """Who a node is, for a sentence: the navigator's (or this office's) name with its node id."""
        if node == self.store.info.node_id:
            name = self.store.info.name
        else:
            row = repl.peer(self.store.conn, node)
            name = row[1] if row else ""
        return f"{name} ({node})" if name else node

    def owners(self, keep: str, other: str) -> tuple[str, str]:
        """The owner nodes of two live families (a merge across navigators when they differ)."""
        owners = self._pair(keep, other)
        return owners[keep], owners[other]

    # ---------------------------------------------------------------- decisions
    def _pair(self, first: str, second: str) -> dict[str, str]:
        if first == second:
            raise ValidationError(N_("A family cannot be a duplicate of itself ({id})."), id=first)
        live = repo.live_unmerged(self.store.conn, [first, second])
        for fid in (first, second):
            if fid not in live:
                if repo.merged_into(self.store.conn, fid):
                    raise ValidationError(N_("The family {id} was merged into another family already."), id=fid)
                raise NotFoundError(N_("No family with the id {id}."), id=fid)
        return live

    def dismiss(self, first: str, second: str) -> bool:
        """"Not the same family": remembered, never shown again for this pair.  False if known already."""
        self._pair(first, second)
        a, b = sorted((first, second))
        if (a, b) in repo.dismissed_pairs(self.store.conn):
            return False
        with self.store.write(self.actor, "duplicates.dismiss", f"{a}+{b}") as writer:
            return repo.dismiss(writer.conn, a, b, _now(), self.actor)

    def merge(self, keep: str, other: str) -> Merge:
        """Office: merge ``other`` into ``keep`` (one transaction, audited, synced)."""
        if not self.store.info.is_office:
            raise ValidationError(N_("Only an office merges families."))
        owners = self._pair(keep, other)
        across = owners[keep] != owners[other]
        with self.store.write(self.actor, "family.merge", keep) as writer:
            if across:     # the absorbed family goes to the survivor's owner with everything under it
                writer.update("families", other, {"owner": owners[keep]})
                writer.audit("family.handover.detail", owners[keep], json.dumps(
                    {"families": [other], "from": {other: owners[other]}, "merge_into": keep}))
            moved = repo.family_rows(writer.conn, other)
            for table, row_id in moved:
                writer.update(table, row_id, {"family_id": keep})
            keep_notes, other_notes = repo.notes_of(writer.conn, keep), repo.notes_of(writer.conn, other)
            if other_notes and other_notes not in keep_notes:     # the absorbed family's notes stay in sight
                writer.update("families", keep, {"notes": "\n\n".join(n for n in (keep_notes, other_notes) if n)})
            writer.update("families", other, {"merged_into": keep})
            family_repo.index_family(writer, keep)
            writer.replace_search_rows(other, [])
            merge_id = repo.record_merge(writer.conn, keep, other, _now(), self.actor, moved, keep_notes,
                                         owners[other] if across else "")
            writer.audit("family.merge.detail", str(merge_id), f'{{"keep": "{keep}", "other": "{other}",'
                                                                f' "moved": {len(moved)}}}')
        return self.get_merge(merge_id)

    def undo(self, merge_id: int) -> Merge:
        """Office: put back what merge ``merge_id`` moved and clear the pointer (one transaction, synced)."""
        if not self.store.info.is_office:
            raise ValidationError(N_("Only an office merges families."))
        merge = self.get_merge(merge_id)
        if merge.undone:
            raise ValidationError(N_("The merge {id} was undone already."), id=merge_id)
        conn = self.store.conn
        if repo.merged_into(conn, merge.keep):
            raise ValidationError(N_("The family {id} was merged into another family since: undo that merge first."),
                                  id=merge.keep)
        if repo.merged_into(conn, merge.other) != merge.keep:
            raise ValidationError(N_("The merge {id} can no longer be undone: the family changed since."), id=merge_id)
        _keep, _other, _at, _actor, moved, _undone = repo.merge_row(conn, merge_id)
        back_to = repo.other_owner(conn, merge_id)
        if back_to:
            owners = repl.family_owners(conn, [merge.keep, merge.other])
            if owners.get(merge.keep) != owners.get(merge.other):
                raise ValidationError(N_("The family {id} was handed to another navigator since the merge: hand it"
                                         " back first, then undo the merge."), id=merge.keep)
        with self.store.write(self.actor, "family.merge.undo", str(merge_id)) as writer:
            if back_to:    # the absorbed family goes home to the navigator who recorded it
                writer.update("families", merge.other, {"owner": back_to})
                writer.audit("family.handover.detail", back_to, json.dumps(
                    {"families": [merge.other], "from": {merge.other: merge.owner}, "merge_undone": merge_id}))
            back = [(t, r) for t, r in moved if repo.still_linked(writer.conn, t, r, merge.keep)]
            for table, row_id in back:
                writer.update(table, row_id, {"family_id": merge.other})
            writer.update("families", merge.other, {"merged_into": ""})
            before, other_notes = repo.merge_notes(writer.conn, merge_id), repo.notes_of(writer.conn, merge.other)
            merged_notes = "\n\n".join(n for n in (before, other_notes) if n)
            if repo.notes_of(writer.conn, merge.keep) == merged_notes:   # unless someone edited them since
                writer.update("families", merge.keep, {"notes": before})
            family_repo.index_family(writer, merge.keep)
            family_repo.index_family(writer, merge.other)
            repo.mark_undone(writer.conn, merge_id, _now())
            writer.audit("family.merge.undo.detail", str(merge_id), f'{{"restored": {len(back)}}}')
        return self.get_merge(merge_id)

    def get_merge(self, merge_id: int) -> Merge:
        row = repo.merge_row(self.store.conn, merge_id)
        if row is None:
            raise NotFoundError(N_("No merge with the id {id}."), id=merge_id)
        keep, other, at, actor, moved, undone = row
        owner = repl.family_owners(self.store.conn, [keep]).get(keep, "")
        return Merge(merge_id, keep, other, at, actor, len(moved), undone, owner=owner,
                     from_owner=repo.other_owner(self.store.conn, merge_id))

    def merges(self, limit: int = 50) -> list[Merge]:
        """The latest merges, newest first, with the survivor's guardians as label."""
        rows = [Merge(*r) for r in repo.recent_merges(self.store.conn, limit)]
        names = repl.family_labels(self.store.conn, {m.keep for m in rows}) if rows else {}
        for m in rows:
            m.labels = {"keep": names.get(m.keep, "")}
        return rows
