"""plan half-year: one family-café topic a month for a school, from the KAoA windows of grades 8-10."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from elternlotse.cli.context import CliContext
from elternlotse.i18n import _, active_language, ngettext


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a date like 2026-12-02").format(value=text)) from None


def _change(text: str) -> tuple[str, str]:
    month, sep, stage = text.partition("=")
    if not sep or len(month) != 7:
        raise argparse.ArgumentTypeError(_("'{value}' is not MONTH=STAGE like 2026-10=bfe").format(value=text))
    return month, stage.strip()


def register(sub) -> None:
    plan = sub.add_parser("plan", help=_("plan the family café of a school for a half-year"))
    psub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    p = psub.add_parser("half-year", help=_("one topic a month from the KAoA windows of grades 8-10"))
    p.add_argument("--school", required=True, metavar="SCHOOL")
    p.add_argument("--from", dest="first", type=_day, required=True, metavar="YYYY-MM-DD",
                   help=_("a day of the half-year (1 August - 31 January or 1 February - 31 July)"))
    p.add_argument("--set", dest="changes", type=_change, action="append", default=[], metavar="YYYY-MM=STAGE",
                   help=_("choose the topic of a month yourself (empty: an open topic)"))
    p.add_argument("--weekday", type=int, default=2, metavar="N", help=_("0 = Monday ... 6 = Sunday (default: 2)"))
    p.add_argument("--time", default="16:30", metavar="HH:MM")
    p.add_argument("--create-events", action="store_true", help=_("plan the cafés as events"))
    p.add_argument("--json", action="store_true")
    p.add_argument("-o", "--output", default=None, metavar="FILE.pdf|FILE.ics")
    p.set_defaults(handler=cmd_half_year)


def cmd_half_year(args, cli: CliContext) -> int:
    services = cli.services()
    planning = services.planning
    language = active_language()
    plan = planning.half_year(args.school, args.first, dict(args.changes))
    sessions = planning.sessions(plan, weekday=args.weekday, at=args.time, language=language,
                                 open_title=_("Open questions"))
    if args.output:
        from elternlotse.reports.tabular import write_atomically

        path = Path(args.output)
        write_atomically(path, planning.export(plan, path.suffix.lower(), language, _, weekday=args.weekday,
                                               at=args.time))
    created = planning.create_events(plan, weekday=args.weekday, at=args.time, language=language,
                                     open_title=_("Open questions")) if args.create_events else []
    if args.json:
        data = plan.to_json()
        for month, session in zip(data["months"], sessions, strict=True):
            month.update(starts=session["starts"], title=session["title"])
        data["created_events"] = created
        cli.print_json(data)
        return 0
    for session, month in zip(sessions, plan.months, strict=True):
        grades = ", ".join(str(g) for g in month.grades)
        cli.say("  ".join(p for p in (session["starts"].replace("T", " "), session["title"], grades) if p))
    if args.create_events:
        cli.say(ngettext("{count} event planned", "{count} events planned", len(created)).format(count=len(created)))
    return 0
