"""The change report of an import, per family, and its one presenter (CLI text and the Sync page).

``family_changes`` turns what the merge did (``MergeCounts``) and what the trust check
refused (``sync_trust.Refusal``) into one ``FamilyChange`` per family and file: new
records, updated fields, conflicts (both values, the one kept), erasure, refused records
with the reason.  ``describe`` renders one of them as a sentence in the UI language;
the CLI prints these lines and the Sync page shows them in a table (Qt-free here).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from elternlotse.domain.text import N_
from elternlotse.i18n import _, ngettext
from elternlotse.store import replication as repl

#: Records of these tables, in this order, in a report line.
TABLE_LABELS = {
    "families": N_("family record"),
    "persons": N_("persons"),
    "channels": N_("contact channels"),
    "checklist_items": N_("checklist items"),
    "child_corrections": N_("school corrections"),
    "attendance": N_("attendance"),
    "events": N_("events"),
    "consents": N_("consent entries"),
}
FIELD_LABELS = {
    "name": N_("name"), "notes": N_("notes"), "address": N_("address"), "school": N_("school"), "grade": N_("grade"),
    "value": N_("phone, e-mail or messenger"), "status": N_("status"), "owner": N_("owner"),
}


@dataclass
class FamilyChange:
    file: str
    sender: str
    family: str | None                 # None: records bound to no family (events)
    label: str = ""                    # the guardians' names as this store holds them
    new: dict[str, int] = field(default_factory=dict)          # table -> records
    updated: list[str] = field(default_factory=list)            # "table.field"
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # field, kept, other
    erased: bool = False
    refused: list[dict[str, Any]] = field(default_factory=list)    # table, row, reason, owner

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sender": self.sender, "family": self.family, "label": self.label,
                "new": dict(self.new), "updated": list(self.updated), "conflicts": [dict(c) for c in self.conflicts],
                "erased": self.erased, "refused": [dict(r) for r in self.refused]}


def family_changes(conn, file: str, sender: str, counts, refusals) -> list[FamilyChange]:
    """One entry per family the file touched (and one for unbound records), in the order of their labels."""
    keys: dict[str, set[str]] = {}
    for table, row_id in [*counts.new_rows, *counts.updated_rows, *counts.erased_rows,
                          *[(c[0], c[1]) for c in counts.conflict_rows]]:
        keys.setdefault(table, set()).add(row_id)
    family_of: dict[tuple[str, str], str | None] = {}
    for table, ids in keys.items():
        for row_id, (family, _person) in repl.bindings_of(conn, table, ids).items():
            family_of[(table, row_id)] = family
    result: dict[str | None, FamilyChange] = {}

    def entry(family: str | None) -> FamilyChange:
        if family not in result:
            result[family] = FamilyChange(file, sender, family)
        return result[family]

    for table, row_id in counts.new_rows:
        change = entry(family_of.get((table, row_id)))
        change.new[table] = change.new.get(table, 0) + 1
    for (table, row_id), names in counts.updated_rows.items():
        change = entry(family_of.get((table, row_id)))
        for name in names:
            if f"{table}.{name}" not in change.updated:
                change.updated.append(f"{table}.{name}")
    for table, row_id, name, kept, other in counts.conflict_rows:
        entry(family_of.get((table, row_id))).conflicts.append(
            {"field": f"{table}.{name}", "row": row_id, "kept": _decode(kept), "other": _decode(other)})
    for table, row_id in counts.erased_rows:
        if table == "families":
            entry(row_id).erased = True
    for refusal in refusals:
        entry(refusal.family).refused.append(refusal.as_dict())
    labels = repl.family_labels(conn, [f for f in result if f])
    for family, change in result.items():
        change.label = labels.get(family, "") if family else ""
    return sorted(result.values(), key=lambda c: (c.family is None, c.label.casefold(), c.family or ""))


def _decode(text: str | None) -> Any:
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return text


@dataclass
class FileResult:
    file: str
    status: str                 # "applied" | "duplicate" | "refused"
    sender: str = ""
    seq: int = 0
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    refused_records: int = 0     # records the sender may not change (left out; see the families' lines)


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    conflicts: int = 0
    erasures: int = 0
    deletions: int = 0
    consents: int = 0
    withdrawals: int = 0
    gaps: dict[str, list[int]] = field(default_factory=dict)
    catalogs: list[str] = field(default_factory=list)
    families: list[FamilyChange] = field(default_factory=list)   # per family and file: what happened
    error: Any = None           # the ValidationError of a refused file (for one-file imports)

    @property
    def refused_records(self) -> int:
        return sum(f.refused_records for f in self.files)

    @property
    def refused(self) -> int:
        return sum(1 for f in self.files if f.status == "refused")

    @property
    def duplicates(self) -> int:
        return sum(1 for f in self.files if f.status == "duplicate")

    @property
    def applied(self) -> int:
        return sum(1 for f in self.files if f.status == "applied")

    def totals(self) -> dict[str, Any]:
        """The counts without the per-file and per-family entries (what the audit log keeps)."""
        return {"applied": self.applied, "new": self.new, "updated": self.updated, "conflicts": self.conflicts,
                "erasures": self.erasures, "deletions": self.deletions, "consents": self.consents,
                "withdrawals": self.withdrawals,
                "refused": self.refused, "duplicates": self.duplicates, "gaps": self.gaps, "catalogs": self.catalogs,
                "refused_records": self.refused_records}

    def as_dict(self) -> dict[str, Any]:
        return {**self.totals(), "files": [asdict(f) for f in self.files],
                "families": [c.as_dict() for c in self.families]}


# ---------------------------------------------------------------- the presenter

def family_title(change: FamilyChange) -> str:
    if change.family is None:
        return _("Events and other records")
    return change.label or _("Family {id}").format(id=change.family[:8])


def _field(name: str) -> str:
    table, _sep, column = name.partition(".")
    label = FIELD_LABELS.get(column)
    return _(label) if label else column


def _value(value: Any, isolate: Callable[[str], str]) -> str:
    if value is None or value == "":
        return _("(empty)")
    return isolate(str(value))


def describe(change: FamilyChange, node_name: Callable[[str], str], isolate: Callable[[str], str] = str) -> str:
    """One sentence per family: what is new, which fields changed, conflicts, erasure, refusals."""
    parts = []
    if change.erased:
        parts.append(_("erased"))
    if change.new:
        what = ", ".join("{} {}".format(_(TABLE_LABELS.get(t, t)), isolate(str(n))) for t, n in sorted(change.new.items()))
        parts.append(_("new: {what}").format(what=what))
    if change.updated:
        fields = sorted({_field(name) for name in change.updated})
        parts.append(_("updated: {fields}").format(fields=", ".join(fields)))
    for conflict in change.conflicts:
        parts.append(_("conflict in {field}: kept {kept}, other value {other} kept for review").format(
            field=_field(conflict["field"]), kept=_value(conflict["kept"], isolate),
            other=_value(conflict["other"], isolate)))
    refused: dict[str, int] = {}
    for item in change.refused:
        reason = _(item["reason"]).format(owner=node_name(item["owner"]) if item["owner"] else "?")
        refused[reason] = refused.get(reason, 0) + 1
    for reason, count in refused.items():
        parts.append(ngettext("refused: {count} record ({reason})", "refused: {count} records ({reason})", count).format(
            count=isolate(str(count)), reason=reason))
    return "; ".join(parts) if parts else _("no change")


def names_of_nodes(peers, own_node: str, own_name: str) -> Callable[[str], str]:
    """node id -> "name (node)" for trusted peers and this installation."""
    known: Mapping[str, str] = {p.node_id: p.name for p in peers}

    def name(node: str) -> str:
        if node == own_node:
            return _("this installation ({name})").format(name=own_name)
        return f"{known[node]} ({node})" if node in known else node
    return name


def report_lines(report, node_name: Callable[[str], str], isolate: Callable[[str], str] = str,
                 families: bool = True) -> list[str]:
    """The whole change report as lines: files, totals, withdrawals, gaps, catalogues, then the families.

    The CLI prints all of it; the Sync page shows the lines above its per-family table (``families=False``).
    """
    lines = []
    for f in report.files:
        name = Path(f.file).name
        if f.status == "applied":
            lines.append(_("applied    {file} (from {sender}, file {seq})").format(
                file=name, sender=node_name(f.sender), seq=isolate(str(f.seq))))
        elif f.status == "duplicate":
            lines.append(_("duplicate  {file}: already imported, nothing changed").format(file=name))
        else:
            lines.append(_("refused    {file}: {reason}").format(file=name, reason=f.message))
    lines.append(_("New: {new}  Updated: {updated}  Conflicts: {conflicts}  Erasures: {erasures}  Refused: {refused}").format(
        new=report.new, updated=report.updated, conflicts=report.conflicts, erasures=report.erasures,
        refused=report.refused))
    if report.refused_records:
        lines.append(ngettext("{count} record was refused: its sender may not change it (see the families below).",
                              "{count} records were refused: their sender may not change them (see the families below).",
                              report.refused_records).format(count=report.refused_records))
    if report.withdrawals:
        lines.append(ngettext("{count} person withdrew the consent to pass data to the office: stop using the data.",
                              "{count} persons withdrew the consent to pass data to the office: stop using their data.",
                              report.withdrawals).format(count=report.withdrawals))
    for sender, missing in report.gaps.items():
        lines.append(_("Missing files from {sender}: {numbers}").format(
            sender=node_name(sender), numbers=", ".join(map(str, missing))))
    for line in report.catalogs:
        lines.append(_("Catalogue {line}").format(line=line))
    if families:
        for change in report.families:
            lines.append(_("{family} (from {sender}, {file}): {what}").format(
                family=family_title(change), sender=node_name(change.sender), file=Path(change.file).name,
                what=describe(change, node_name, isolate)))
    return lines
