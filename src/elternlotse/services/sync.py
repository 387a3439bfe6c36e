"""Sync by file: keys and trust, export, import with a change report, conflicts to review.

Qt-free; used by ``elternlotse keys ...``, ``elternlotse sync ...`` and the Sync page.
The file format and the merge rules are in docs/sync-format.md.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from elternlotse.domain.errors import ElternlotseError, NotFoundError, StoreError, ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _
from elternlotse.services import sync_collect as collect
from elternlotse.services.sync_merge import MergeCounts, apply_payload, bindings
from elternlotse.store import Store
from elternlotse.store import families as family_repo
from elternlotse.store.safekeeping import fault_error
from elternlotse.store.tables import SYNCED_FIELDS
from elternlotse.sync import payload as payload_mod
from elternlotse.sync.fileformat import FORMAT_VERSION, Header, check_sealed, read_file, seal, unseal, write_atomic
from elternlotse.sync.keys import Card, Secrets, parse_card

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


_PEER_COLUMNS = ", ".join(Peer.__dataclass_fields__)


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


@dataclass
class FileResult:
    file: str
    status: str                 # "applied" | "duplicate" | "refused"
    sender: str = ""
    seq: int = 0
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)


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
    error: Any = None           # the ValidationError of a refused file (for one-file imports)

    @property
    def refused(self) -> int:
        return sum(1 for f in self.files if f.status == "refused")

    @property
    def duplicates(self) -> int:
        return sum(1 for f in self.files if f.status == "duplicate")

    @property
    def applied(self) -> int:
        return sum(1 for f in self.files if f.status == "applied")

    def as_dict(self) -> dict[str, Any]:
        return {"applied": self.applied, "new": self.new, "updated": self.updated, "conflicts": self.conflicts,
                "erasures": self.erasures, "deletions": self.deletions, "consents": self.consents,
                "withdrawals": self.withdrawals,
                "refused": self.refused, "duplicates": self.duplicates, "gaps": self.gaps, "catalogs": self.catalogs,
                "files": [asdict(f) for f in self.files]}


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
        if info.role == card.role:
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
        with self.store.write(self.actor, "sync.trust", card.node_id):
            self.store.conn.execute(
                "INSERT INTO sync_peers(node_id, name, organisation, role, signing_key, encryption_key, fingerprint, trusted_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(node_id) DO UPDATE SET name = excluded.name,"
                " organisation = excluded.organisation",
                (card.node_id, card.name, card.organisation, card.role, card.signing_key, card.encryption_key,
                 card.fingerprint, _now()))
        return self.peer(card.node_id)

    def peers(self) -> list[Peer]:
        rows = self.store.conn.execute(f"SELECT {_PEER_COLUMNS} FROM sync_peers ORDER BY role, name, node_id").fetchall()
        return [Peer(*r) for r in rows]

    def peer(self, node_id: str, required: bool = True) -> Peer | None:
        row = self.store.conn.execute(f"SELECT {_PEER_COLUMNS} FROM sync_peers WHERE node_id = ?", (node_id,)).fetchone()
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
                rows, tombstones, consents, withheld = collect.for_office(conn, peer)
                catalogs = []
            seqs = [r[0] for r in conn.execute(
                "SELECT seq FROM sync_files WHERE direction = 'in' AND peer = ? ORDER BY seq", (peer.node_id,))]
            header = Header(FORMAT_VERSION, self.store.info.schema_version, self.node_id, peer.node_id, peer.seq_out + 1,
                            peer.acked_by_peer, writer.stamp, _now(), 0)
            doc = payload_mod.build(header, self.store.info.role, rows, tombstones, consents, peer.acked_from_peer,
                                    sorted(set(seqs)), catalogs, withheld)
            data = seal(header, doc, secrets, peer.encryption_key)
            file_size = len(data)
            conn.execute("UPDATE sync_peers SET seq_out = ?, last_export_at = ?, last_export_file = ? WHERE node_id = ?",
                         (header.seq, header.created, path.name, peer.node_id))
            conn.execute("INSERT OR IGNORE INTO sync_files(sha256, direction, peer, seq, clock_from, clock_to, at, file_name, report)"
                         " VALUES (?, 'out', ?, ?, ?, ?, ?, ?, ?)",
                         (hashlib.sha256(data).hexdigest(), peer.node_id, header.seq, header.clock_from, header.clock_to,
                          header.created, path.name, json.dumps(doc["manifest"])))
            # Last step inside the transaction: the file appears complete (tmp, fsync, rename), then we commit.
            try:
                write_atomic(path, data)
                written.append(path)
            except OSError as error:
                raise ValidationError(N_("The file {path} cannot be written ({reason}); nothing was exported."),
                                      path=str(path), reason=error.strerror or type(error).__name__) from None
        manifest = doc["manifest"]
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
        """The cheap checks: structure, recipient, trusted sender, signature.  Writes nothing."""
        return check_sealed(data, where, self.node_id, self._sender_key)[0]

    def verify_bytes(self, data: bytes, where: str, secrets: Secrets | None = None):
        """Every check, decryption and strict validation; returns (sha256, header, payload).  Writes nothing."""
        header, offset = check_sealed(data, where, self.node_id, self._sender_key)
        plain = unseal(data, header, offset, where, secrets or self.secrets())
        payload = payload_mod.parse(plain, header, SYNCED_FIELDS, where)
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
                result, items = self._import_one(path, digest, secrets)
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
        return self.store.conn.execute(
            "SELECT 1 FROM sync_files WHERE sha256 = ? AND direction = 'in'", (digest,)).fetchone() is not None

    def _duplicate(self, report: ImportReport, path, digest: str) -> None:
        known = self.store.conn.execute(
            "SELECT peer, seq FROM sync_files WHERE sha256 = ? AND direction = 'in'", (digest,)).fetchone()
        sender, seq = known or ("", 0)
        report.files.append(FileResult(str(path), "duplicate", sender, seq, _("already imported; nothing changed")))

    def _import_one(self, path: str, digest: str, secrets: Secrets) -> tuple[FileResult, list[dict[str, Any]]]:
        """Read, check and apply one file in one transaction; raises ValidationError (nothing written)."""
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
            self.store.clock.observe(header.clock_to)
            counts = apply_payload(conn, payload, self.node_id, _now())
            self._book(conn, path, digest, header, payload, counts)
            for family_id in sorted(counts.families):
                live = conn.execute("SELECT 1 FROM families WHERE id = ? AND deleted IS NULL", (family_id,)).fetchone()
                if live:
                    family_repo.index_family(writer, family_id)
                else:
                    writer.replace_search_rows(family_id, [])
            if counts.erasures:
                writer.mark_erased()  # erasures from a peer reach every byte here too (issue 12)
            writer.audit("sync.report", Path(path).name, json.dumps(counts.as_dict()))
        return FileResult(path, "applied", header.sender, header.seq, "", counts.as_dict()), payload.catalogs

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
        for (seq,) in self.store.conn.execute(
                "SELECT DISTINCT seq FROM sync_files WHERE direction = 'in' AND peer = ? ORDER BY seq", (sender,)):
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

    def _book(self, conn, path, digest: str, header: Header, payload, counts: MergeCounts) -> None:
        now = _now()
        conn.execute("INSERT INTO sync_files(sha256, direction, peer, seq, clock_from, clock_to, at, file_name, report)"
                     " VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?)",
                     (digest, header.sender, header.seq, header.clock_from, header.clock_to, now, Path(path).name,
                      json.dumps(counts.as_dict())))
        conn.execute(
            "UPDATE sync_peers SET acked_from_peer = max(acked_from_peer, ?), acked_by_peer = max(acked_by_peer, ?),"
            " last_seq_in = max(last_seq_in, ?), last_import_at = ?, last_import_file = ?,"
            " last_receipt_at = CASE WHEN ? != '' THEN ? ELSE last_receipt_at END WHERE node_id = ?",
            (header.clock_to, payload.receipt_acked, header.seq, now, Path(path).name, payload.receipt_acked, now,
             header.sender))
        if self.store.info.is_office:
            conn.executemany("INSERT OR IGNORE INTO sync_origin(family_id, node_id) VALUES (?, ?)",
                             [(row_id, header.sender) for table, row_id, _changes in payload.rows if table == "families"])

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
    def conflicts(self, include_resolved: bool = False) -> list[Conflict]:
        sql = ("SELECT id, tbl, row_id, field, lost_value, lost_stamp, kept_stamp, detected, resolved, resolution"
               " FROM sync_conflicts")
        if not include_resolved:
            sql += " WHERE resolved = ''"
        result = []
        for cid, table, row_id, name, lost, lost_stamp, kept_stamp, detected, resolved, resolution in self.store.conn.execute(
                sql + " ORDER BY id"):
            current = None
            if table in SYNCED_FIELDS and name in SYNCED_FIELDS[table]:
                row = self.store.conn.execute(f"SELECT {name} FROM {table} WHERE id = ?", (row_id,)).fetchone()
                current = row[0] if row else None
            result.append(Conflict(cid, table, row_id, name, current, json.loads(lost) if lost is not None else None,
                                   lost_stamp, kept_stamp, detected, resolved, resolution, self._label(table, row_id)))
        return result

    def _label(self, table: str, row_id: str) -> str:
        if table not in SYNCED_FIELDS:
            return ""
        family = bindings(self.store.conn, table).get(row_id, (None, None))[0]
        if not family:
            return ""
        names = [r[0] for r in self.store.conn.execute(
            "SELECT name FROM persons WHERE family_id = ? AND role = 'guardian' AND deleted IS NULL ORDER BY position",
            (family,)) if r[0]]
        return " / ".join(names)

    def resolve(self, conflict_id: int, use_lost_value: bool) -> None:
        """Keep the current value, or write the losing one as a new change (which then syncs like any edit)."""
        conflict = next((c for c in self.conflicts(include_resolved=True) if c.id == conflict_id), None)
        if conflict is None:
            raise NotFoundError(N_("No conflict with the id {id}."), id=conflict_id)
        if conflict.resolved:
            raise ValidationError(N_("This conflict was already resolved ({resolution})."), resolution=conflict.resolution)
        with self.store.write(self.actor, "sync.conflict.resolve", f"{conflict.table}/{conflict.row_id}") as writer:
            resolution = "kept"
            if use_lost_value:
                writer.update(conflict.table, conflict.row_id, {conflict.field: conflict.lost_value})
                resolution = "replaced"
            writer.conn.execute("UPDATE sync_conflicts SET resolved = ?, resolution = ? WHERE id = ?",
                                (_now(), resolution, conflict_id))
            if use_lost_value:
                self._reindex_row(writer, conflict.table, conflict.row_id)

    def _reindex_row(self, writer, table: str, row_id: str) -> None:
        row = bindings(writer.conn, table).get(row_id)
        if row and row[0]:
            live = writer.conn.execute("SELECT 1 FROM families WHERE id = ? AND deleted IS NULL", (row[0],)).fetchone()
            if live:
                family_repo.index_family(writer, row[0])

    # ---------------------------------------------------------------- status
    def ledger(self, limit: int = 200) -> list[dict[str, Any]]:
        rows = self.store.conn.execute(
            "SELECT direction, peer, seq, at, file_name, report FROM sync_files ORDER BY at DESC, seq DESC LIMIT ?", (limit,))
        return [{"direction": r[0], "peer": r[1], "seq": r[2], "at": r[3], "file": r[4], "report": json.loads(r[5])}
                for r in rows]


class _Duplicate(Exception):
    """Raised inside an import transaction when the file was imported meanwhile (rolls back, reported as duplicate)."""


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
