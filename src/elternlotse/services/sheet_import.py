"""Import of an office's list (XLSX or CSV): a dry run that says what each row would do, then one transaction.

Every row is validated by the rules typed input meets (``domain.sheet_mapping.row_document``,
then ``parse_family_document``, then the store-consent rule of ``FamilyService.add``).  Outcomes:

* **new**: a family that is not here yet; inserted with its consent entries;
* **updated**: a family already here (its id in the row, or the same phone number or e-mail
  address) whose row brings consent entries that differ from the current state; the entries are
  appended (the history stays append-only), nothing else of the family is changed;
* **duplicate**: the same family as an earlier row of the file, or already here with nothing new;
* **refused**: the reason names the column; also every row without consent to store the data.

``run(..., dry_run=False)`` writes all new and updated rows in ONE ``Store.write`` (bulk mode for
the inserts) or nothing at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from elternlotse.domain.consent import derive
from elternlotse.domain.contact import forget_cached
from elternlotse.domain.errors import ElternlotseError, ValidationError
from elternlotse.domain.family import Family, parse_family_document
from elternlotse.domain.sheet_mapping import Mapping, check_mapping, family_id_value, guess_mapping, parse_mapping, row_document
from elternlotse.domain.text import N_
from elternlotse.services.families import has_store_consent
from elternlotse.services.sheet_files import Sheet, read_sheet
from elternlotse.store import Store
from elternlotse.store import families as repo
from elternlotse.store import sheets as sheet_repo

log = logging.getLogger(__name__)

NEW, UPDATED, DUPLICATE, REFUSED = "new", "updated", "duplicate", "refused"
OUTCOMES = (NEW, UPDATED, DUPLICATE, REFUSED)
NO_STORE_CONSENT = N_("No consent to store the contact details in this row: without a lawful basis it is not imported.")


@dataclass
class RowResult:
    row: int
    outcome: str
    name: str = ""
    error: ElternlotseError | None = None   # the reason (refused, duplicate), translated where shown
    family_id: str = ""                      # the family it is (updated, duplicate) or became (new, after import)
    family: Family | None = field(default=None, repr=False)
    new_consents: list = field(default_factory=list, repr=False)


@dataclass
class ImportPlan:
    mapping: Mapping
    rows: list[RowResult]
    sheet_name: str = ""
    imported: bool = False

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts


@lru_cache(maxsize=1)
def language_names() -> dict[str, str]:
    """'arabisch' / 'arabic' -> 'ar': language names in German and English as offices write them."""
    from babel import Locale

    names: dict[str, str] = {}
    for locale in ("en", "de"):
        for tag, name in Locale.parse(locale).languages.items():
            if "_" not in tag and len(tag) <= 3:
                names.setdefault(name.lower(), tag)
    names.update({"kurdisch": "kmr", "kurdish": "kmr", "farsi": "fa", "dari": "fa-AF"})
    return names


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class SheetImportService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def read(self, path: str | Path, sheet: str | None = None) -> Sheet:
        return read_sheet(path, sheet)

    def mapping_for(self, sheet: Sheet, mapping_json: bytes | str | None = None) -> Mapping:
        """The saved mapping applied to this sheet, or one guessed from its headers."""
        return parse_mapping(mapping_json, sheet.headers) if mapping_json is not None else guess_mapping(sheet.headers)

    def plan(self, sheet: Sheet, mapping: Mapping, progress: Callable[[int], None] | None = None) -> ImportPlan:
        """The dry run: what every row would do (reads only)."""
        check_mapping(mapping)
        conn = self.store.conn
        known = sheet_repo.contact_index(conn)
        live = sheet_repo.live_family_ids(conn)
        seen: dict[str, int] = {}  # phone/e-mail -> first row of this file holding it
        names = language_names()
        now = _now()
        results: list[RowResult] = []
        try:
            for count, (number, cells) in enumerate(sheet.rows(), start=1):
                if progress is not None and count % 500 == 0:
                    progress(count)
                results.append(self._row(number, cells, mapping, now, names, known, live, seen))
        finally:
            forget_cached()
        return ImportPlan(mapping, results, sheet.name)

    def _row(self, number, cells, mapping, now, names, known, live, seen) -> RowResult:
        try:
            family_id = family_id_value(cells, mapping)
            family = parse_family_document(row_document(cells, mapping, now, names), recorded_by=self.store.info.name)
        except ElternlotseError as error:
            return RowResult(number, REFUSED, error=error)
        guardian = family.guardians[0]
        result = RowResult(number, NEW, name=guardian.name, family=family)
        keys = [*guardian.phones, *(e.lower() for e in guardian.emails)]
        earlier = next((seen[k] for k in keys if k in seen), None)
        if family_id and family_id not in live:
            result.outcome, result.error = REFUSED, ValidationError(N_("No family with the id {id}."), id=family_id)
            return result
        match = family_id or next((known[k] for k in keys if k in known), "")
        if earlier is not None:
            result.outcome = DUPLICATE
            result.error = ValidationError(N_("The same family as row {row} (same phone number or e-mail address)."),
                                           row=earlier)
            return result
        if match:
            result = self._against_stored(result, match)
        elif not has_store_consent(family):
            result.outcome, result.error = REFUSED, ValidationError(NO_STORE_CONSENT)
            return result  # a refused row is no reason to call a later one a duplicate
        for key in keys:
            seen.setdefault(key, number)
        return result

    def _against_stored(self, result: RowResult, family_id: str) -> RowResult:
        result.family_id = family_id
        stored = repo.load_family(self.store.conn, family_id)
        person = stored.guardians[0].id if stored.guardians else ""
        state = derive(person, stored.consents)
        fresh = []
        for entry in result.family.consents:
            current = state.current.get((entry.purpose, entry.channel))
            if current is None or (current.granted != entry.granted and entry.at >= current.at):
                fresh.append(entry)
        if not person or not fresh:
            result.outcome = DUPLICATE
            result.error = ValidationError(N_("Already stored (family {id}); the row brings nothing new."), id=family_id)
            return result
        result.outcome, result.new_consents = UPDATED, [(person, e) for e in fresh]
        return result

    def run(self, path: str | Path, mapping_json: bytes | str | None = None, sheet: str | None = None,
            dry_run: bool = True, progress: Callable[[int], None] | None = None) -> ImportPlan:
        """Read, map, plan; unless ``dry_run`` also write the plan (one transaction)."""
        data = self.read(path, sheet)
        try:
            plan = self.plan(data, self.mapping_for(data, mapping_json), progress)
        finally:
            data.close()
        if not dry_run:
            self.apply(plan)
        return plan

    def apply(self, plan: ImportPlan) -> ImportPlan:
        added = [r for r in plan.rows if r.outcome == NEW]
        updated = [r for r in plan.rows if r.outcome == UPDATED]
        if not added and not updated:
            plan.imported = True
            return plan
        with self.store.write(self.store.info.name, "families.import", f"{len(added)}+{len(updated)}") as writer:
            with writer.bulk():
                for result in added:
                    result.family = repo.insert_family(writer, result.family)
                    result.family_id = result.family.id
                for result in updated:
                    for person_id, entry in result.new_consents:
                        writer.append_consent(replace(entry, person_id=person_id, stamp=writer.stamp))
            writer.audit("families.imported", str(len(added)))
        log.info("import: %d new, %d updated of %d rows", len(added), len(updated), len(plan.rows))
        plan.imported = True
        return plan
