"""duplicates list | merge | dismiss | undo (issue 16): duplicates across navigators, decided at the office."""

from __future__ import annotations

from elternlotse.cli.context import CliContext
from elternlotse.i18n import _, ngettext


def register(sub) -> None:
    dup = sub.add_parser("duplicates", help=_("families recorded twice: candidate pairs, merge, undo"))
    dsub = dup.add_subparsers(dest="duplicates_command", metavar="ACTION", required=True)

    p = dsub.add_parser("list", help=_("candidate pairs with score, reasons and a field-by-field comparison"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = dsub.add_parser("merge", help=_("office: merge the second family into the first (synced, can be undone)"))
    p.add_argument("keep", metavar="KEEP_FAMILY_ID")
    p.add_argument("other", metavar="OTHER_FAMILY_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_merge)

    p = dsub.add_parser("dismiss", help=_("not the same family: never show this pair again"))
    p.add_argument("first", metavar="FAMILY_ID")
    p.add_argument("second", metavar="FAMILY_ID")
    p.set_defaults(handler=cmd_dismiss)

    p = dsub.add_parser("undo", help=_("office: undo a merge (both families as they were, synced)"))
    p.add_argument("merge_id", type=int, metavar="MERGE_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_undo)


def cmd_list(args, cli: CliContext) -> int:
    service = cli.services().duplicates
    found = service.candidates()
    if args.json:
        cli.print_json([{**c.as_dict(), "fields": [
            {"field": row.label, "first": row.first, "second": row.second, "same": row.same}
            for row in service.compare(c.first, c.second)]} for c in found])
        return 0
    for c in found:
        reasons = ", ".join(_(msgid) for msgid in _reason_msgids(c.reasons))
        cli.say(_("{score}%  {first} ({first_id})  /  {second} ({second_id})  {reasons}").format(
            score=round(c.score * 100), first=c.first_label or "-", first_id=c.first,
            second=c.second_label or "-", second_id=c.second, reasons=reasons))
        for row in service.compare(c.first, c.second):
            mark = "=" if row.same else "≠"
            label = _(row.label)
            cli.say(f"    {mark} {label}: {row.first or '-'}  |  {row.second or '-'}")
    cli.say(ngettext("{count} candidate pair", "{count} candidate pairs", len(found)).format(count=len(found)))
    return 0


def _reason_msgids(keys) -> list[str]:
    from elternlotse.services.duplicates import REASONS

    return [REASONS[k] for k in keys]


def cmd_merge(args, cli: CliContext) -> int:
    merge = cli.services().duplicates.merge(args.keep, args.other)
    if args.json:
        cli.print_json(merge.as_dict())
        return 0
    service = cli.services().duplicates
    if merge.from_owner:
        cli.say(_("Merge {id}: {other} merged into {keep} ({count} records moved); {holder} now holds the family,"
                  " and the laptop of {former} keeps only a pointer to it after its next package.").format(
            id=merge.id, other=merge.other, keep=merge.keep, count=merge.moved, holder=service.holder(merge.owner),
            former=service.holder(merge.from_owner)))
        return 0
    cli.say(_("Merge {id}: {other} merged into {keep} ({count} records moved).").format(
        id=merge.id, other=merge.other, keep=merge.keep, count=merge.moved))
    return 0


def cmd_dismiss(args, cli: CliContext) -> int:
    cli.services().duplicates.dismiss(args.first, args.second)
    cli.say(_("Noted: {first} and {second} are not the same family.").format(first=args.first, second=args.second))
    return 0


def cmd_undo(args, cli: CliContext) -> int:
    merge = cli.services().duplicates.undo(args.merge_id)
    if args.json:
        cli.print_json(merge.as_dict())
        return 0
    if merge.from_owner:
        cli.say(_("Merge {id} undone: {other} and {keep} are two families again, and {holder} holds {other}"
                  " again.").format(id=merge.id, other=merge.other, keep=merge.keep,
                                    holder=cli.services().duplicates.holder(merge.from_owner)))
        return 0
    cli.say(_("Merge {id} undone: {other} and {keep} are two families again.").format(
        id=merge.id, other=merge.other, keep=merge.keep))
    return 0
