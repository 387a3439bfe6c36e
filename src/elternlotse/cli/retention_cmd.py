"""retention review | keep | record: storage limitation from one rules file (resources/retention.json)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.retention import RULE_LABELS
from elternlotse.domain.text import N_
from elternlotse.i18n import _, active_language, ngettext



def register(sub) -> None:
    retention = sub.add_parser("retention", help=_("who is due for erasure and why; keep on purpose; record of processing"))
    rsub = retention.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    p = rsub.add_parser("review", help=_("families due for erasure today, with the rule and since when"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_review)
    p = rsub.add_parser("keep", help=_("keep a due family on purpose, with the reason (recorded)"))
    p.add_argument("family", metavar="FAMILY_ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.add_argument("--until", default=None, metavar="YYYY-MM-DD", help=_("default: in twelve months"))
    p.set_defaults(handler=cmd_keep)
    p = rsub.add_parser("record", help=_("the record of processing activities (Art. 30 GDPR) as a PDF"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--language", default="de", metavar="L")
    p.set_defaults(handler=cmd_record)


def cmd_review(args, cli: CliContext) -> int:
    due = cli.services().retention.review()
    if args.json:
        cli.print_json([{"family_id": d.family_id, "name": d.name, "rule": d.rule, "since": d.since.isoformat(),
                         "due": d.due.isoformat()} for d in due])
        return 0
    for d in due:
        cli.say("  ".join((d.due.isoformat(), d.family_id, d.name, _(RULE_LABELS[d.rule]))))
    cli.say(ngettext("{count} erasure due", "{count} erasures due", len(due)).format(count=len(due)))
    return 0


def cmd_keep(args, cli: CliContext) -> int:
    until = None
    if args.until:
        try:
            until = date.fromisoformat(args.until)
        except ValueError:
            raise ValidationError(N_("{field}: expected a date like 2026-12-02."), field="--until") from None
    kept = cli.services().retention.keep(args.family, args.reason, until)
    cli.say(_("Kept until {day}.").format(day=kept.isoformat()))
    return 0


def cmd_record(args, cli: CliContext) -> int:
    from elternlotse.i18n.languages import supported_ui_language

    language = supported_ui_language(args.language) or active_language()
    cli.services().retention.write_record(Path(args.output), language)
    cli.say(_("Record of processing written: {path}").format(path=args.output))
    return 0
