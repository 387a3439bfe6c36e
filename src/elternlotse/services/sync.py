"""Sync by file: keys and trust, export, import with a change report, conflicts to review.

Qt-free; used by ``elternlotse keys ...``, ``elternlotse sync ...`` and the Sync page.
The file format and the merge rules are in docs/sync-format.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from elternlotse.domain.errors import ElternlotseError, NotFoundError, StoreError, ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _
from elternlotse.services import sync_aggregates
from elternlotse.services import sync_collect as collect
from elternlotse.services.sync_report import FileResult, ImportReport, family_changes
from elternlotse.services.sync_trust import authorise, check_origin
from elternlotse.store import Store
from elternlotse.store import families as family_repo
from elternlotse.store import replication as repl
from elternlotse.store.merge import apply_payload
from elternlotse.store.safekeeping import fault_error
from elternlotse.store.tables import SYNCED_FIELDS
from elternlotse.sync import aggregates as aggregates_section
from elternlotse.sync import payload as payload_mod
from elternlotse.sync.fileformat import (FORMAT_VERSION, Header, check_sealed, read_file, seal_compressed, unseal,
                                         write_atomic)
from elternlotse.sync.keys import Card, Secrets, parse_card

log = logging.getLogger(__name__)  # ids and counts only

SIGNING_META = "sync.signing_key"
#: A file may be at most this many sequence numbers past the last one received from its sender.
SEQ_WINDOW = 1000
MAX_GAPS_REPORTED = 100
IDENTITY_META = "sync.age_identity"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Peer:
    node_id: str
    name: str
    organisation: str
    role: str
    signing_key: str
    encryption_key: str
    fingerprint: str
    trusted_at: str
    seq_out: int
    acked_by_peer: str
    acked_from_peer: str
    last_seq_in: int
    last_export_at: str
    last_export_file: str
    last_import_at: str
    last_import_file: str
    last_receipt_at: str
    revoked_at: str = ""
    revoked_reason: str = ""

    @property
    def revoked(self) -> bool:
        return bool(self.revoked_at)

    @property
    def revoked_on(self) -> str:
        """The day of the revocation in local time (for sentences), '' while trusted."""
        if not self.revoked_at:
            return ""
        return datetime.fromisoformat(self.revoked_at.replace("Z", "+00:00")).astimezone().date().isoformat()


REVOKED_FILE = N_("{path} is signed with the key of {node}, which was revoked on {date}; nothing was imported.")
REVOKED_EXPORT = N_("No package is made for {node}: its key was revoked on {date}.")
MAX_REASON = 500



@dataclass
class ExportResult:
    path: str
    recipient: str
    seq: int
    rows: int
    changes: int
    tombstones: int
    consents: int
    catalogs: int
    withheld: dict[str, int]
    bytes: int


@dataclass(frozen=True)
class Conflict:
    id: int
    table: str
    row_id: str
    field: str
    current_value: Any
    lost_value: Any
    lost_stamp: str
    kept_stamp: str
    detected: str
    resolved: str
    resolution: str
    label: str = ""          # whose record it is: the family's guardians, where known


class SyncService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def actor(self) -> str:
        return self.store.info.name

    @property
    def node_id(self) -> str:
        return self.store.info.node_id

    # ---------------------------------------------------------------- keys and trust
    def secrets(self) -> Secrets:
        """This installation's keys; generated on first use and kept in the encrypted store."""
        signing, identity = self.store.meta(SIGNING_META), self.store.meta(IDENTITY_META)
        if signing and identity:
            return Secrets.from_strings(signing, identity)
        fresh = Secrets.generate()
        with self.store.write(self.actor, "sync.keys.generate"):
            if not self.store.meta(SIGNING_META):   # another connection may have been first
                signing, identity = fresh.to_strings()
                self.store.set_meta(SIGNING_META, signing)
                self.store.set_meta(IDENTITY_META, identity)
        return Secrets.from_strings(self.store.meta(SIGNING_META), self.store.meta(IDENTITY_META))

    def own_card(self) -> Card:
        secrets = self.secrets()
        info = self.store.info
        return Card(info.node_id, info.name, info.organisation, info.role, secrets.signing_public(), secrets.recipient())

    def write_card(self, path: str | Path) -> Card:
        card = self.own_card()
        write_atomic(Path(path), card.to_json(self.secrets()).encode("utf-8"))
        return card

    def read_card(self, path: str | Path) -> Card:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise ValidationError(N_("The file {path} does not exist."), path=str(path)) from None
        except OSError:
            raise ValidationError(N_("The file {path} cannot be read."), path=str(path)) from None
        return parse_card(data, str(path))

    def check_trust(self, card: Card) -> None:
        """Refuse a card this installation must not trust (raises; writes nothing)."""
        info = self.store.info
        if card.node_id == info.node_id:
            raise ValidationError(N_("This is this installation's own card; trust the card of the other side."))
        if info.role == card.role == "navigator":   # an office trusts its Land office for roll-ups (report_cmd)
            raise ValidationError(
                N_("A navigator trusts an office and an office admits navigators; this card is of a {role} like this installation."),
                role=card.role)
        known = self.peer(card.node_id, required=False)
        if known is not None and (known.signing_key, known.encryption_key) != (card.signing_key, card.encryption_key):
            raise ValidationError(
                N_("{node} is already trusted with other keys (fingerprint {fingerprint}); nothing was changed."),
                node=card.node_id, fingerprint=known.fingerprint)

    def trust(self, card: Card) -> Peer:
        self.check_trust(card)
        with self.store.write(self.actor, "sync.trust", card.node_id) as writer:
            repl.add_peer(writer.conn, card, _now())
        return self.peer(card.node_id)

    def revoke(self, node_id: str, reason: str = "") -> Peer:
        """Office: shut out a navigator's key (lost laptop).  Audited with date and reason; cannot be undone.

        From then on every file signed with that key is refused, whenever it was made, and
        no package is made for it; its families stay here and can be handed over.
        """
        if not self.store.info.is_office:
            raise ValidationError(N_("Only an office revokes a navigator's key."))
        peer = self.peer(node_id)
        if peer.role != "navigator":
            raise ValidationError(N_("{node} is not a navigator admitted here."), node=node_id)
        if peer.revoked:
            raise ValidationError(N_("The key of {node} was already revoked on {date}."), node=node_id,
                                  date=peer.revoked_on)
        reason = " ".join(str(reason or "").split())
        if len(reason) > MAX_REASON:
            raise ValidationError(N_("The reason is longer than {count} characters."), count=MAX_REASON)
        with self.store.write(self.actor, "sync.revoke", node_id) as writer:
            repl.revoke_peer(writer.conn, node_id, _now(), reason)
            writer.audit("sync.revoke.detail", node_id, json.dumps({"reason": reason, "fingerprint": peer.fingerprint}))
        return self.peer(node_id)

    def _refuse_revoked(self, header: Header, where: str) -> None:
        peer = self.peer(header.sender, required=False)
        if peer is not None and peer.revoked:
            raise ValidationError(REVOKED_FILE, path=where, node=peer.node_id, date=peer.revoked_on)

    def peers(self) -> list[Peer]:
        return [Peer(*r) for r in repl.peers(self.store.conn)]

    def peer(self, node_id: str, required: bool = True) -> Peer | None:
        row = repl.peer(self.store.conn, node_id)
        if row is None and required:
            raise NotFoundError(N_("{node} is not a trusted installation here."), node=node_id)
        return Peer(*row) if row else None

    def default_recipient(self) -> Peer:
        offices = [p for p in self.peers() if p.role == "office"]
        if self.store.info.is_office:
            raise ValidationError(N_("An office exports to one navigator at a time: name it with --to NODE_ID."))
        if not offices:
            raise ValidationError(N_("No office is trusted yet: trust the office's card first ('elternlotse keys trust')."))
        if len(offices) > 1:
            raise ValidationError(N_("More than one office is trusted: name the recipient with --to NODE_ID."))
        return offices[0]

    # ---------------------------------------------------------------- export
    def suggested_file_name(self, to: str | None = None) -> str:
        """``elternlotse-<from>-to-<to>-<seq>.elsync`` for the next file to ``to`` (default: the office)."""
        peer = self.peer(to) if to else self.default_recipient()
        return f"elternlotse-{self.node_id}-to-{peer.node_id}-{peer.seq_out + 1:05d}.elsync"

    def export(self, path: str | Path, to: str | None = None) -> ExportResult:
        """Write a signed, encrypted package for ``to`` (navigators: the office).  The file is complete or absent."""
        peer = self.peer(to) if to else self.default_recipient()
        if peer.revoked:
            raise ValidationError(REVOKED_EXPORT, node=peer.node_id, date=peer.revoked_on)
        _no_office_to_office(self.store.info.role, peer.role)
        secrets = self.secrets()
        path = Path(path)
        if path.is_dir():
            raise ValidationError(N_("{path} is a folder; give a file name."), path=str(path))
        # Exits in reverse: when the commit fails (a full disk), the written file is removed again.
        with _removed_unless_committed(path) as written, self.store.write(self.actor, "sync.export", peer.node_id) as writer:
            conn = writer.conn
            peer = self.peer(peer.node_id)
            if self.store.info.is_office:
                rows, tombstones, consents, withheld = collect.for_navigator(conn, self.node_id, peer)
                catalogs = [item for exporter in collect.CATALOG_EXPORTERS for item in exporter(self.store)]
            else:
                rows, tombstones, consents, withheld = collect.for_office(conn, self.node_id, peer)
                catalogs = []
            seqs = repl.seqs_in(conn, peer.node_id)
            header = Header(FORMAT_VERSION, self.store.info.schema_version, self.node_id, peer.node_id, peer.seq_out + 1,
                            peer.acked_by_peer, writer.stamp, _now(), 0)
            # streamed: records go from the store's cursors through canonical JSON into zlib one by one
            extra = {} if self.store.info.is_office else {   # families without office consent: anonymous counts only
                aggregates_section.KEY: sync_aggregates.build(conn)}
            compressed, manifest = payload_mod.stream(header, self.store.info.role, rows, tombstones, consents,
                                                      peer.acked_from_peer, sorted(set(seqs)), catalogs, withheld, extra)
            del rows, tombstones, consents
            data = seal_compressed(header, compressed, secrets, peer.encryption_key)
            del compressed
            file_size = len(data)
            repl.book_export(conn, hashlib.sha256(data).hexdigest(), header, path.name, manifest)
            # Last step inside the transaction: the file appears complete (tmp, fsync, rename), then we commit.
            try:
                write_atomic(path, data)
                written.append(path)
            except OSError as error:
                raise ValidationError(N_("The file {path} cannot be written ({reason}); nothing was exported."),
                                      path=str(path), reason=error.strerror or type(error).__name__) from None
        return ExportResult(str(path), peer.node_id, header.seq, sum(manifest["rows"].values()), manifest["changes"],
                            manifest["tombstones"], manifest["consents"], manifest["catalogs"], withheld,
                            file_size)

    # ---------------------------------------------------------------- import
    def verify(self, path: str | Path, secrets: Secrets | None = None):
        """Read, verify, decrypt and validate one file; returns (sha256, header, payload).  Writes nothing."""
        return self.verify_bytes(_read(path), str(path), secrets)

    def _sender_key(self, node: str) -> str | None:
        peer = self.peer(node, required=False)
        return peer.signing_key if peer else None

    def check_bytes(self, data: bytes, where: str) -> Header:
        """The cheap checks: structure, recipient, trusted sender, signature, key not revoked.  Writes nothing."""
        header = check_sealed(data, where, self.node_id, self._sender_key)[0]
        self._refuse_revoked(header, where)
        return header

    def verify_bytes(self, data: bytes, where: str, secrets: Secrets | None = None):
        """Every check, decryption and strict validation; returns (sha256, header, payload).  Writes nothing."""
        header, offset = check_sealed(data, where, self.node_id, self._sender_key)
        self._refuse_revoked(header, where)
        _no_office_to_office(self.store.info.role, self.peer(header.sender).role)
        # the inflated bytes are referenced only by ``parse``, which lets go of them once they are parsed
        payload = payload_mod.parse(unseal(data, header, offset, where, secrets or self.secrets()), header,
                                    SYNCED_FIELDS, where)
        if payload.role != self.peer(header.sender).role:
            raise ValidationError(N_("{path} claims a role its sender does not have here; nothing was imported."), path=where)
        return hashlib.sha256(data).hexdigest(), header, payload

    def import_files(self, paths: list[str | Path], progress: Callable[[int, int, str], None] | None = None) -> ImportReport:
        """Import many files, each in its own transaction; every file is in the report.

        First every file is read (size checked before reading) and its signature checked
        (cheap); then, in the order (sender, sequence number), each file is read again,
        decrypted, validated strictly and applied in a transaction of its own.  A refused
        file leaves nothing behind and never stops the others.  Only one file and one
        payload are in memory at a time.
        """
        report = ImportReport()
        secrets = self.secrets()
        total = len(paths)
        candidates = []
        seen: set[str] = set()
        for index, path in enumerate(paths):
            if progress:
                progress(index, 2 * total + 1, Path(path).name)
            try:
                data = read_file(path)
                digest = hashlib.sha256(data).hexdigest()
                if self._known(digest) or digest in seen:
                    self._duplicate(report, path, digest)
                    continue
                header = self.check_bytes(data, str(path))
            except ValidationError as error:
                self._refuse(report, path, error)
                continue
            finally:
                data = None
            seen.add(digest)
            candidates.append((header.sender, header.seq, header.clock_to, str(path), digest))
        candidates.sort()
        catalogs: list[dict[str, Any]] = []
        applied: set[str] = set()
        for index, (_sender, _seq, _clock, path, digest) in enumerate(candidates):
            if progress:
                progress(total + index, 2 * total + 1, Path(path).name)
            try:
                result, items, changes = self._import_one(path, digest, secrets)
            except ValidationError as error:
                self._refuse(report, path, error)
                continue
            except _Duplicate:
                self._duplicate(report, path, digest)
                continue
            except StoreError:
                raise  # the store itself failed (a full or read-only disk): not the file's fault, stop here
            except Exception as error:  # noqa: BLE001 - no input may end in a traceback or stop the batch
                # The file's transaction was rolled back.  A full or read-only disk is this machine's
                # fault, not the file's: say so and stop (the next file would fail the same way).
                fault = fault_error(error, self.store.path.parent)
                if fault is not None:
                    raise fault from None
                # Anything else: the sentence names the file, the batch goes on.
                self._refuse(report, path, ValidationError(
                    N_("{path} could not be imported ({detail}); nothing of it was written."),
                    path=str(path), detail=type(error).__name__))
                continue
            applied.add(result.sender)
            report.files.append(result)
            report.families.extend(changes)
            for key in ("new", "updated", "conflicts", "erasures", "deletions", "consents", "withdrawals"):
                setattr(report, key, getattr(report, key) + result.counts.get(key, 0))
            catalogs.extend(items)
        if progress:
            progress(2 * total, 2 * total + 1, "")
        order = {str(p): i for i, p in reversed(list(enumerate(paths)))}
        report.files.sort(key=lambda f: order.get(f.file, total))   # the order the files were given in
        for sender in sorted(applied):
            missing = self._gaps(sender)
            if missing:
                report.gaps[sender] = missing
        report.catalogs = self._install_catalogs(catalogs)
        if progress:
            progress(2 * total + 1, 2 * total + 1, "")
        return report

    def _known(self, digest: str) -> bool:
        return repl.known_file(self.store.conn, digest) is not None

    def _duplicate(self, report: ImportReport, path, digest: str) -> None:
        # exactly these bytes were verified and applied before: nothing to do
        sender, seq = repl.known_file(self.store.conn, digest) or ("", 0)
        report.files.append(FileResult(str(path), "duplicate", sender, seq, _("already imported; nothing changed")))

    def _import_one(self, path: str, digest: str, secrets: Secrets):
        """Read, check, authorise and apply one file in one transaction; raises ValidationError (nothing written).

        Returns the file's result, the catalogues it carried and what it did per family.
        """
        data = read_file(path)
        if hashlib.sha256(data).hexdigest() != digest:
            raise ValidationError(N_("{path} was changed or damaged: its signature does not match the sender's key; nothing was imported."),
                                  path=path)
        with self.store.write(self.actor, "sync.import", Path(path).name) as writer:
            conn = writer.conn
            if self._known(digest):      # another window or command imported it meanwhile
                raise _Duplicate
            self._check_seq(path, self.check_bytes(data, path))   # before decrypting anything
            _digest, header, payload = self.verify_bytes(data, path, secrets)
            del data
            check_origin(payload, self.node_id, path)             # every change its sender's own (per file)
            self.store.clock.observe(header.clock_to)
            self._rewind_if_restored(conn, header, payload)
            verdict = authorise(conn, payload, self.node_id)      # what the sender may not change is left out
            counts = apply_payload(conn, verdict.payload, self.node_id, _now(), self.store.clock.now)
            changes = family_changes(conn, path, header.sender, counts, verdict.refused)
            if payload.aggregates is not None:
                sync_aggregates.store(conn, header.sender, header.seq, payload.aggregates)
            self._book(conn, path, digest, header, payload, counts, verdict, changes)
            if self._purge_handed_away(writer, verdict.payload, counts):
                writer.mark_erased()  # the former owner's copy leaves no byte behind
            family_repo.index_families(writer, counts.families)   # in bulk; gone families lose their rows
            if counts.erasures:
                writer.mark_erased()  # erasures from a peer reach every byte here too (issue 12)
            writer.audit("sync.report", Path(path).name, json.dumps(counts.as_dict()))
        result = FileResult(path, "applied", header.sender, header.seq, "", counts.as_dict(), len(verdict.refused))
        return result, payload.catalogs, changes

    def _rewind_if_restored(self, conn, header: Header, payload) -> None:
        """Office: a navigator whose receipt went backwards was restored from a backup (docs/sync-format.md,
        "Restored laptops"): the next package starts again at that receipt and carries its erasures back."""
        if not self.store.info.is_office:
            return
        peer = self.peer(header.sender)
        if payload.receipt_acked < peer.acked_by_peer:
            again = repl.rewind_peer(conn, header.sender, payload.receipt_acked, self.store.clock.now)
            log.info("sync rewind node=%s tombstones=%d", header.sender, again)
    def _purge_handed_away(self, writer, payload, counts) -> bool:
        """Navigator: families an office package handed to another navigator leave this laptop.

        The office keeps them and their new owner gets them in full; this copy (records, change
        log, consent entries, search rows) is removed in the import's transaction and audited.
        A family the office merged into another navigator's survivor (its ``merged_into`` set)
        stays as a bare pointer to the survivor (``repl.purge_to_pointers``).
        """
        if self.store.info.is_office:
            return False
        handed = [r for t, r, changes in payload.rows if t == "families" and any(f == "owner" for f, _s, _v in changes)]
        away = sorted(fid for fid, owner in repl.family_owners(writer.conn, handed).items() if owner != self.node_id)
        if not away:
            return False
        repl.purge_to_pointers(writer.conn, away)
        counts.families.difference_update(away)
        for fid in away:
            writer.audit("family.handed_away", fid)
        return True

    def _check_seq(self, path: str, header: Header) -> None:
        """Sequence numbers only within a window of the last one (a gap is reported, never allocated)."""
        last = self.peer(header.sender).last_seq_in
        if header.seq > last + SEQ_WINDOW:
            raise ValidationError(
                N_("{path} is file {seq} from {sender}, but the last file from there was {last}; more than {window} "
                   "files cannot be missing in between. Nothing was imported."),
                path=path, seq=header.seq, sender=header.sender, last=last, window=SEQ_WINDOW)

    def _gaps(self, sender: str) -> list[int]:
        """The first missing sequence numbers of a sender (at most MAX_GAPS_REPORTED)."""
        missing: list[int] = []
        expected = 1
        for seq in repl.seqs_in(self.store.conn, sender):
            while expected < seq and len(missing) < MAX_GAPS_REPORTED:
                missing.append(expected)
                expected += 1
            if len(missing) >= MAX_GAPS_REPORTED:
                break
            expected = seq + 1
        return missing

    @staticmethod
    def _refuse(report: ImportReport, path, error: ValidationError) -> None:
        report.files.append(FileResult(str(path), "refused", message=_message(error)))
        report.error = report.error or error

    def _book(self, conn, path, digest: str, header: Header, payload, counts, verdict, changes) -> None:
        # The ledger outlives erasures: it keeps which family got what, never names or values.
        report = {**counts.as_dict(), "refused_records": len(verdict.refused),
                  "families": [{"family": c.family, "new": c.new, "updated": c.updated, "erased": c.erased,
                                "conflicts": [x["field"] for x in c.conflicts],
                                "refused": [{k: r[k] for k in ("table", "reason", "owner")} for r in c.refused]}
                               for c in changes]}
        origin = ([row_id for table, row_id, _changes in verdict.payload.rows if table == "families"]
                  if self.store.info.is_office else None)
        repl.book_import(conn, digest, header, Path(path).name, _now(), payload.receipt_acked, report, origin)

    def _install_catalogs(self, items: list[dict[str, Any]]) -> list[str]:
        done = []
        if not items or self.store.info.is_office:
            return done
        from elternlotse.services.catalogs import CatalogService

        from elternlotse.services.consent_texts import ConsentTextLibrary

        service = CatalogService(self.store)
        texts = ConsentTextLibrary(store=self.store)
        for item in items:
            if item["kind"] == "consent-text":
                try:
                    texts.install(item["content"], f"{item['version']}/{item['key']}", origin="sync")
                except ElternlotseError as error:
                    done.append(f"consent-text {item['version']}/{item['key']}: {_message(error)}")
                    continue
                done.append(f"consent-text {item['version']}/{item['key']}: installed")
                continue
            if item["kind"] != "kaoa-catalog":
                continue
            try:
                result = service.install(item["content"], origin="sync")
            except ValidationError as error:
                done.append(f"{item['key']}@{item['version']}: {_message(error)}")
                continue
            done.append(f"{item['key']}@{item['version']}: {result.status}")
        return done

    # ---------------------------------------------------------------- conflicts
    def conflicts(self, include_resolved: bool = False, ids: list[int] | None = None) -> list[Conflict]:
        """Conflicts kept for review, with each record's current value and whose family it is (bounded reads)."""
        rows = repl.conflicts(self.store.conn, include_resolved, ids)
        labels = repl.family_labels(self.store.conn, [r.family_id for r in rows if r.family_id])
        return [Conflict(r.id, r.table, r.row_id, r.field, r.current_value, r.lost_value, r.lost_stamp, r.kept_stamp,
                         r.detected, r.resolved, r.resolution, labels.get(r.family_id, "") if r.family_id else "")
                for r in rows]

    def resolve(self, conflict_id: int, use_lost_value: bool) -> None:
        """Keep the current value, or write the losing one as a new change (which then syncs like any edit)."""
        conflict = next(iter(self.conflicts(include_resolved=True, ids=[conflict_id])), None)
        if conflict is None:
            raise NotFoundError(N_("No conflict with the id {id}."), id=conflict_id)
        if conflict.resolved:
            raise ValidationError(N_("This conflict was already resolved ({resolution})."), resolution=conflict.resolution)
        with self.store.write(self.actor, "sync.conflict.resolve", f"{conflict.table}/{conflict.row_id}") as writer:
            resolution = "kept"
            if use_lost_value:
                writer.update(conflict.table, conflict.row_id, {conflict.field: conflict.lost_value})
                resolution = "replaced"
            repl.mark_resolved(writer.conn, conflict_id, _now(), resolution)
            if use_lost_value:
                self._reindex_row(writer, conflict.table, conflict.row_id)

    def _reindex_row(self, writer, table: str, row_id: str) -> None:
        family = repl.bindings_of(writer.conn, table, [row_id]).get(row_id, (None, None))[0]
        if family and family in repl.live_families(writer.conn, [family]):
            family_repo.index_family(writer, family)

    # ---------------------------------------------------------------- ownership
    def handover(self, family_ids: list[str], to: str) -> list[str]:
        """Office: hand families over to navigator ``to`` (one transaction, audited, synced as ``families.owner``).

        Returns the ids whose owner changed; a family already owned by ``to`` is left as it is.
        """
        if not self.store.info.is_office:
            raise ValidationError(N_("Only an office hands families over to a navigator."))
        target = self.peer(to)
        if target.role != "navigator":
            raise ValidationError(N_("{node} is not a navigator admitted here."), node=to)
        if target.revoked:
            raise ValidationError(N_("The key of {node} was revoked on {date}; hand the families to another navigator."),
                                  node=to, date=target.revoked_on)
        ids = list(dict.fromkeys(family_ids))
        live = repl.live_families(self.store.conn, ids)
        missing = next((fid for fid in ids if fid not in live), None)
        if missing is not None:
            raise NotFoundError(N_("No family with the id {id}."), id=missing)
        owners = repl.family_owners(self.store.conn, ids)
        changed = [fid for fid in ids if owners.get(fid) != to]
        with self.store.write(self.actor, "family.handover", to) as writer:
            for fid in changed:
                writer.update("families", fid, {"owner": to})
            writer.audit("family.handover.detail", to, json.dumps({"families": changed, "from": {
                fid: owners.get(fid) for fid in changed}}))
        return changed

    def families_of(self, node_id: str) -> list[str]:
        """The ids of the families ``node_id`` owns here (e.g. to hand over a lost laptop's families)."""
        self.peer(node_id)
        return sorted(repl.families_owned_by(self.store.conn, node_id))

    def owner_of(self, family_id: str) -> str:
        return repl.family_owners(self.store.conn, [family_id]).get(family_id, "")

    # ---------------------------------------------------------------- status
    def ledger(self, limit: int = 200) -> list[dict[str, Any]]:
        rows = repl.ledger(self.store.conn, limit)
        return [{"direction": r[0], "peer": r[1], "seq": r[2], "at": r[3], "file": r[4], "report": json.loads(r[5])}
                for r in rows]


class _Duplicate(Exception):
    """Raised inside an import transaction when the file was imported meanwhile (rolls back, reported as duplicate)."""


def _no_office_to_office(own_role: str, peer_role: str) -> None:
    """Two offices (an office and its Land office) exchange roll-ups only, never sync packages."""
    if own_role == peer_role == "office":
        raise ValidationError(N_("Offices exchange roll-up files ('elternlotse report rollup'), not sync files."))


def _read(path) -> bytes:
    return read_file(path)


def _message(error: ValidationError) -> str:
    from elternlotse.i18n import translate_error

    return translate_error(error)


@contextmanager
def _removed_unless_committed(path: Path):
    """Yield a list; a file appended to it is deleted again if the block fails (also at commit)."""
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        for done in written:
            done.unlink(missing_ok=True)
        raise
