"""Roll-up files: an office's protected aggregates for its Land office, and their import there.

``export`` counts the period like the report does (``store.report_facts``), rounds every count of
people to a multiple of 5 (``domain.protection.round5``, before anything is written) and seals the
document (``sync/rollup.py``) in the sync container: signed with this office's key, encrypted to
the trusted Land office.  ``import_each`` (CLI and window) checks each file (signature, trusted
sender with the office role, strict document) and stores it in its own transaction, so a refused
file never keeps the others out (``import_files``: all or nothing); one roll-up per office and
period, a newer one replacing the older (audited).  The Land office's report is built from them
(``services.report_land``).  docs/report.md, "Roll-up files".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Any

from elternlotse.domain.errors import ElternlotseError, ValidationError
from elternlotse.domain.protection import round5
from elternlotse.domain.text import N_
from elternlotse.services.report import _parse_period
from elternlotse.services.sync import SyncService, _now
from elternlotse.store import Store
from elternlotse.store import report_facts as facts
from elternlotse.store import rollups as repo
from elternlotse.sync import rollup as doc_mod
from elternlotse.sync.fileformat import FORMAT_VERSION, Header, check_sealed, read_file, seal, unseal, write_atomic


@dataclass(frozen=True)
class RollupImported:
    path: str
    office: str
    name: str
    first: str
    last: str
    replaced: bool


@dataclass(frozen=True)
class RollupOutcome:
    """What became of one file of a batch: ``stored``, ``replaced``, ``known`` or ``refused`` (with the error)."""

    path: str
    outcome: str
    name: str = ""
    first: str = ""
    last: str = ""
    error: ElternlotseError | None = None


class RollupService:
    def __init__(self, store: Store, sync: SyncService, today) -> None:
        self.store = store
        self.sync = sync
        self.today = today

    # ---------------------------------------------------------------- export (an office)
    def document(self, first: str = "", last: str = "") -> dict[str, Any]:
        """The roll-up document of the period: counts of people rounded to multiples of 5."""
        start, end = _parse_period(first, last, self.today())
        conn, a, b = self.store.conn, start.isoformat(), end.isoformat()
        with self.store.read():
            facts.prepare(conn)
            [(contacts, families)] = facts.contact_counts(conn, a, b, (), families=True)
            [(anonymous,)] = facts.tally_counts(conn, a, b, ())
            [(unshared,)] = facts.anonymous_contact_counts(conn, a, b, ())
            first_contacts = facts.first_contacts(conn, a, b)
            events = sorted(facts.event_counts(conn, a, b))
            ms = (int(datetime.combine(start, time.min, timezone.utc).timestamp() * 1000),
                  int(datetime.combine(end, time.max, timezone.utc).timestamp() * 1000))
            figures = {"contacts": contacts + unshared, "unshared_contacts": unshared, "families": families, "first_contacts": first_contacts,
                       "repeat_contacts": contacts - first_contacts, "anonymous": anonymous,
                       "events": sum(e[1] for e in events),
                       "event_families": sum(e[2] for e in events), "event_headcount": sum(e[3] for e in events),
                       "erased": facts.erasures(conn, *ms)}
            tables = {}
            for dim in doc_mod.DIMENSIONS:
                counts: dict[str, list[int]] = {}
                for value, n in facts.contact_counts(conn, a, b, (dim,)):
                    counts.setdefault(value, [0, 0])[0] += n
                for value, n in facts.tally_counts(conn, a, b, (dim,)):
                    counts.setdefault(value, [0, 0])[1] += n
                for value, n in facts.anonymous_contact_counts(conn, a, b, (dim,)):
                    counts.setdefault(value, [0, 0])[0] += n
                tables[dim] = [[value, round5(c), round5(t)] for value, (c, t) in sorted(counts.items())]
            consents = [[p, round5(g), round5(w)] for p, g, w in sorted(facts.consent_counts(conn, a, b))]
        return {
            "kind": doc_mod.KIND, "version": doc_mod.VERSION, "office": self.store.info.node_id,
            "name": (self.store.info.organisation or self.store.info.name)[:200], "first": a, "last": b,
            "created": datetime.now(timezone.utc).isoformat(timespec="microseconds"), "protection": "round5",
            "key_figures": {k: v if k in doc_mod.UNROUNDED_KEYS else round5(v) for k, v in figures.items()},
            "tables": tables, "events": [[t, held, round5(f), round5(h)] for t, held, f, h in events],
            "consents": consents,
        }

    def land_office(self, to: str | None = None):
        if not self.store.info.is_office:
            raise ValidationError(N_("Only an office writes roll-up files."))
        if to:
            return self.sync.peer(to)
        offices = [p for p in self.sync.peers() if p.role == "office"]
        if len(offices) != 1:
            raise ValidationError(N_("Trust the Land office's card first, or name it with --recipient NODE_ID, "
                                     "when more than one office is trusted."))
        return offices[0]

    def export(self, path: str | Path, first: str = "", last: str = "", to: str | None = None) -> dict[str, Any]:
        """Write the signed, encrypted roll-up for the Land office; the file is complete or absent."""
        peer = self.land_office(to)
        path = Path(path)
        if path.is_dir():
            raise ValidationError(N_("{path} is a folder; give a file name."), path=str(path))
        document = self.document(first, last)
        header = Header(FORMAT_VERSION, self.store.info.schema_version, self.store.info.node_id, peer.node_id, 1,
                        "", "", document["created"], 0)
        data = seal(header, document, self.sync.secrets(), peer.encryption_key)
        try:
            write_atomic(path, data)
        except OSError as error:
            raise ValidationError(N_("The file {path} cannot be written ({reason}); nothing was exported."),
                                  path=str(path), reason=error.strerror or type(error).__name__) from None
        with self.store.write(self.sync.actor, "report.rollup.export", peer.node_id) as writer:
            writer.audit("report.rollup.period", peer.node_id, f"{document['first']}..{document['last']}")
        return document

    # ---------------------------------------------------------------- import (a Land office)
    def check(self, path: str | Path) -> tuple[str, dict[str, Any]]:
        """Every check of one file (signature, sender an office trusted here, strict document); writes nothing."""
        where = str(path)
        data = read_file(path)
        header, offset = check_sealed(data, where, self.store.info.node_id, self.sync._sender_key)
        if self.sync.peer(header.sender).role != "office":
            raise ValidationError(N_("{path} comes from {sender}, which is not an office; only offices send roll-ups. "
                                     "Nothing was imported."), path=where, sender=header.sender)
        plain = unseal(data, header, offset, where, self.sync.secrets())
        return hashlib.sha256(data).hexdigest(), doc_mod.parse(plain, header.sender, where)

    def import_files(self, paths: list[str | Path]) -> list[RollupImported]:
        """All files checked first; then stored in one transaction (a refused file: nothing stored)."""
        checked = [(str(p), *self.check(p)) for p in paths]
        done = []
        with self.store.write(self.sync.actor, "report.rollup.import", str(len(checked))) as writer:
            for path, digest, doc in checked:
                item = self._put(writer, path, digest, doc)
                if item is not None:
                    done.append(item)
        return done

    def import_each(self, paths: list[str | Path], progress=None) -> list[RollupOutcome]:
        """Every file on its own (the window's import): a refused file is reported and the others go on.

        Each stored file is its own transaction; a failing store (a full or read-only disk) is not a
        file's fault and stops the batch with its own sentence, as the sync import does.
        """
        outcomes = []
        for n, path in enumerate(paths):
            if progress is not None:
                progress(n, len(paths), Path(path).name)
            try:
                digest, doc = self.check(path)
            except ElternlotseError as error:
                outcomes.append(RollupOutcome(str(path), "refused", error=error))
                continue
            with self.store.write(self.sync.actor, "report.rollup.import", "1") as writer:
                item = self._put(writer, str(path), digest, doc)
            outcome = "known" if item is None else "replaced" if item.replaced else "stored"
            outcomes.append(RollupOutcome(str(path), outcome, doc["name"], doc["first"], doc["last"]))
        return outcomes

    def any_stored(self) -> bool:
        """True at a Land office: the store holds roll-ups (its report can be built one level up)."""
        with self.store.read():
            return repo.any_stored(self.store.conn)

    @staticmethod
    def _put(writer, path: str, digest: str, doc: dict[str, Any]) -> RollupImported | None:
        stored = repo.created_of(writer.conn, doc["office"], doc["first"], doc["last"])
        if stored is not None and stored >= doc["created"]:
            return None   # the same or an older roll-up than the one kept: nothing to do
        repo.put(writer.conn, doc["office"], doc["first"], doc["last"], doc["created"], doc, digest, _now())
        writer.audit("report.rollup.replace" if stored else "report.rollup.store", doc["office"],
                     f"{doc['first']}..{doc['last']}")
        return RollupImported(path, doc["office"], doc["name"], doc["first"], doc["last"], stored is not None)
