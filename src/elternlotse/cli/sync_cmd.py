"""sync export | import | status | conflicts | resolve."""

from __future__ import annotations

from pathlib import Path

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _, ngettext


def register(sub) -> None:
    sync = sub.add_parser("sync", help=_("encrypted, signed sync files between navigators and their office"))
    ssub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    p = ssub.add_parser("export", help=_("write a sync file (navigator: for the office; office: --to a navigator)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the file to write, or a folder"))
    p.add_argument("--to", metavar="NODE_ID", help=_("recipient node id (required on the office)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_export)

    p = ssub.add_parser("import", help=_("import one or many sync files; print the change report"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)

    p = ssub.add_parser("status", help=_("trusted installations, last files, open conflicts"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)

    p = ssub.add_parser("conflicts", help=_("concurrent edits whose losing value is kept for review"))
    p.add_argument("--all", action="store_true", help=_("also resolved ones"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_conflicts)

    p = ssub.add_parser("resolve", help=_("resolve a conflict: keep the current value or use the other one"))
    p.add_argument("id", type=int)
    p.add_argument("--keep", required=True, choices=["current", "other"])
    p.set_defaults(handler=cmd_resolve)

    p = sub.add_parser("handover", help=_("office: hand families over to another navigator (synced and audited)"))
    p.add_argument("families", nargs="*", metavar="FAMILY_ID")
    p.add_argument("--from", dest="from_node", metavar="NODE_ID",
                   help=_("hand over every family this navigator owns (e.g. after its key was revoked)"))
    p.add_argument("--to", required=True, metavar="NODE_ID", help=_("the navigator who owns the families from now on"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_handover)


def cmd_export(args, cli: CliContext) -> int:
    sync = cli.services().sync
    target = Path(args.output)
    if target.is_dir():
        target = target / sync.suggested_file_name(args.to)
    result = sync.export(target, to=args.to)
    if args.json:
        cli.print_json({"file": result.path, "recipient": result.recipient, "seq": result.seq, "rows": result.rows,
                        "changes": result.changes, "tombstones": result.tombstones, "consents": result.consents,
                        "catalogs": result.catalogs, "withheld": result.withheld, "bytes": result.bytes})
        return 0
    cli.say(_("Wrote {path}: file {seq} for {recipient}, {rows} records, {tombstones} deletions, {consents} consent entries.").format(
        path=result.path, seq=result.seq, recipient=result.recipient, rows=result.rows, tombstones=result.tombstones,
        consents=result.consents))
    kept = result.withheld.get("families", 0)
    if kept:
        cli.say(ngettext("{count} family without consent to pass data to the office travels only as an anonymous count.",
                         "{count} families without consent to pass data to the office travel only as anonymous counts.",
                         kept).format(count=kept))
    return 0


def cmd_import(args, cli: CliContext) -> int:
    report = cli.services().sync.import_files(args.files)
    if len(args.files) == 1 and report.refused:
        raise report.error
    if args.json:
        cli.print_json(report.as_dict())
    else:
        from elternlotse.services.sync_report import names_of_nodes, report_lines

        sync = cli.services().sync
        for line in report_lines(report, names_of_nodes(sync.peers(), sync.node_id, sync.actor)):
            cli.say(line)
    if report.refused:
        cli.err.write(_("{count} of {total} files were refused; the others were imported.").format(
            count=report.refused, total=len(args.files)) + "\n")
        return 1
    return 0


def cmd_handover(args, cli: CliContext) -> int:
    sync = cli.services().sync
    families = list(args.families) + (sync.families_of(args.from_node) if args.from_node else [])
    if not families and not args.from_node:
        raise ValidationError(N_("Name the families to hand over, or a navigator with --from NODE_ID."))
    changed = sync.handover(families, args.to)
    if args.json:
        cli.print_json({"to": args.to, "handed_over": changed})
        return 0
    cli.say(ngettext("{count} family handed over to {node}.", "{count} families handed over to {node}.",
                     len(changed)).format(count=len(changed), node=args.to))
    return 0


def cmd_status(args, cli: CliContext) -> int:
    sync = cli.services().sync
    peers = sync.peers()
    open_conflicts = len(sync.conflicts())
    if args.json:
        cli.print_json({"node_id": sync.node_id, "role": sync.store.info.role, "open_conflicts": open_conflicts,
                        "peers": [{"node_id": p.node_id, "name": p.name, "role": p.role, "seq_out": p.seq_out,
                                   "last_export_at": p.last_export_at, "last_export_file": p.last_export_file,
                                   "last_seq_in": p.last_seq_in, "last_import_at": p.last_import_at,
                                   "last_import_file": p.last_import_file, "last_receipt_at": p.last_receipt_at}
                                  for p in peers]})
        return 0
    for p in peers:
        cli.say(_("{name} ({role}, {node}): sent {sent} files, last {export}; received up to file {seq}, last {imported}").format(
            name=p.name, role=p.role, node=p.node_id, sent=p.seq_out, export=p.last_export_at or "-", seq=p.last_seq_in,
            imported=p.last_import_at or "-"))
    cli.say(_("Open conflicts: {count}").format(count=open_conflicts))
    return 0


def cmd_conflicts(args, cli: CliContext) -> int:
    conflicts = cli.services().sync.conflicts(include_resolved=args.all)
    if args.json:
        cli.print_json([{"id": c.id, "table": c.table, "row_id": c.row_id, "field": c.field, "current": c.current_value,
                         "other": c.lost_value, "other_stamp": c.lost_stamp, "resolved": c.resolved,
                         "resolution": c.resolution, "family": c.label} for c in conflicts])
        return 0
    for c in conflicts:
        values = _("current: {current}  other: {other}").format(current=repr(c.current_value), other=repr(c.lost_value))
        cli.say(f"{c.id}  {c.label or '-'}  {c.table}.{c.field}  {c.row_id}  {values}")
    cli.say(ngettext("{count} conflict", "{count} conflicts", len(conflicts)).format(count=len(conflicts)))
    return 0


def cmd_resolve(args, cli: CliContext) -> int:
    if args.id < 1:
        raise ValidationError(N_("No conflict with the id {id}."), id=args.id)
    cli.services().sync.resolve(args.id, use_lost_value=(args.keep == "other"))
    cli.say(_("Conflict {id} resolved.").format(id=args.id))
    return 0


def self_test_check(services, workdir) -> str:
    """Self-test: keys, age encryption, signature, import into a temporary office; a changed byte is refused."""
    import os

    from elternlotse.app import create_store

    office = create_store(Path(workdir) / "sync-office", os.urandom(12).hex(), "Self-test office", office=True)
    try:
        services.sync.trust(office.sync.own_card())
        office.sync.trust(services.sync.own_card())
        path = Path(workdir) / "self-test.elsync"
        services.sync.export(path)
        data = path.read_bytes()
        tampered = Path(workdir) / "tampered.elsync"
        tampered.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
        report = office.sync.import_files([path, tampered])
        if report.applied != 1 or report.refused != 1:
            raise RuntimeError("sync self-test: the file was not imported, or a changed file was accepted")
    finally:
        office.store.close()
    return _("sync: ok (signed, encrypted file imported; a changed byte refused)")
