"""next-steps; checklist show | set | correct."""

from __future__ import annotations

import argparse
from datetime import date

from elternlotse.cli.context import CliContext
from elternlotse.domain.kaoa import STATUS_LABELS, STATUSES, TARGET_GROUPS
from elternlotse.domain.schoolyear import CORRECTION_KINDS
from elternlotse.i18n import _, active_language, ngettext


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a date like 2026-11-23").format(value=text)) from None


def _weeks(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a whole number").format(value=text)) from None
    if not 0 <= value <= 52:
        raise argparse.ArgumentTypeError(_("must be between 0 and 52"))
    return value


def register(sub) -> None:
    p = sub.add_parser("next-steps", help=_("checklist items due now or within N weeks, by week and family (a call list)"))
    p.add_argument("--date", type=parse_day, default=None, metavar="YYYY-MM-DD", help=_("the day to start from (default: today)"))
    p.add_argument("--weeks", type=_weeks, default=4, metavar="N", help=_("how many weeks ahead (default: 4)"))
    p.add_argument("--language", default=None, metavar="LANG", help=_("language of the stage texts (de, en)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_next_steps)

    p = sub.add_parser("call-list", help=_("whom to call: one row per family, overdue and this week first"))
    p.add_argument("--date", type=parse_day, default=None, metavar="YYYY-MM-DD", help=_("the day to start from (default: today)"))
    p.add_argument("--weeks", type=_weeks, default=2, metavar="N", help=_("how many weeks ahead (default: 2)"))
    p.add_argument("--school", default="", metavar="SCHOOL")
    p.add_argument("--grade", type=int, default=None, metavar="N")
    p.add_argument("--stage", default="", metavar="STAGE")
    p.add_argument("--language", default=None, metavar="LANG", help=_("language of the stage texts (de, en)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_call_list)

    checklist = sub.add_parser("checklist", help=_("a child's KAoA checklist: show, set an item, record a correction"))
    csub = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    p = csub.add_parser("show", help=_("the child's grade, current and next stages and checklist"))
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("--date", type=parse_day, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--language", default=None, metavar="LANG")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = csub.add_parser("set", help=_("record the status of one item (stage/item or a unique item key)"))
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--status", required=True, choices=STATUSES)
    p.add_argument("--note", default=None, metavar="N")
    p.add_argument("--date", type=parse_day, default=None, metavar="YYYY-MM-DD", help=_("when it happened (default: today)"))
    p.set_defaults(handler=cmd_set)

    p = csub.add_parser("correct", help=_("record a repeated year, a school change, a newly arrived child or a target group"))
    p.add_argument("child_id", metavar="CHILD_ID")
    p.add_argument("kind", choices=CORRECTION_KINDS)
    p.add_argument("--school-year", default=None, metavar="YYYY/YY", help=_("from which school year (default: the current one)"))
    p.add_argument("--grade", type=int, default=None, help=_("the grade in that school year"))
    p.add_argument("--group", default="", choices=("", *TARGET_GROUPS))
    p.add_argument("--school", default="")
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_correct)


def cmd_next_steps(args, cli: CliContext) -> int:
    language = args.language or active_language()
    agenda = cli.services().agenda.next_steps(args.date, args.weeks, language=language)
    if args.json:
        cli.print_json(agenda.to_json())
        return 0
    cli.say(_("Next steps from {date}, {weeks} weeks ahead ({catalog} {version})").format(
        date=agenda.on.isoformat(), weeks=agenda.weeks_ahead, catalog=agenda.catalog_id, version=agenda.catalog_version))
    for week in agenda.weeks:
        cli.say("")
        cli.say(_("Week of {date}").format(date=week.monday.isoformat()))
        for family in week.families:
            contacts = "; ".join(f"{c.channel}: {c.value}" + (f" ({c.app})" if c.app else "") for c in family.contacts)
            contacts = contacts or _("no consent to contact")
            cli.say(f"  {family.name}  [{', '.join(family.languages)}]  {contacts}")
            for item in family.items:
                cli.say("    [ ] " + _("{child} (grade {grade}): {stage} – {text} (until {date})").format(
                    child=item.child or _("(no first name)"), grade=item.grade, stage=item.stage, text=item.text,
                    date=item.ends.isoformat()))
    count = agenda.item_count
    cli.say("")
    cli.say(ngettext("{count} item", "{count} items", count).format(count=count))
    return 0


def cmd_call_list(args, cli: CliContext) -> int:
    from elternlotse.services.call_list import URGENCY_LABELS

    if args.weeks == 0:
        args.weeks = 1
    calls = cli.services().call_list.call_list(args.date, args.weeks, school=args.school, grade=args.grade,
                                               stage=args.stage, language=args.language or active_language())
    if args.json:
        cli.print_json(calls.to_json())
        return 0
    for entry in calls.entries:
        channels = "; ".join(dict.fromkeys(c.value for c in entry.channels)) or _("no consent to contact")
        topics = "; ".join(t.stage for t in entry.topics)
        cli.say("  ".join((_(URGENCY_LABELS[entry.urgency]), entry.name, channels, topics)))
    cli.say(ngettext("{count} family to call", "{count} families to call", len(calls.entries)).format(
        count=len(calls.entries)))
    if calls.hidden_reached:
        cli.say(ngettext("{count} family contacted lately or to be called back later is not shown.",
                         "{count} families contacted lately or to be called back later are not shown.",
                         calls.hidden_reached).format(count=calls.hidden_reached))
    return 0


def checklist_json(checklist) -> dict:
    status = checklist.status
    return {
        "child_id": status.child_id, "family_id": status.family_id, "first_name": status.first_name,
        "grade": status.grade, "school_year": status.school_year, "groups": status.groups,
        "left_school": status.left_school,
        "catalog": {"id": status.catalog.id, "version": status.catalog.version},
        "current_stages": [sw.stage.key for sw in status.current],
        "next_stages": [sw.stage.key for sw in status.upcoming],
        "items": [{
            "stage": e.stage_key, "item": e.item_key, "stage_title": e.stage_title, "text": e.text,
            "status": e.status, "date": e.date or None, "by": e.done_by or None, "note": e.note,
            "from": e.window.start.isoformat() if e.window else None,
            "until": e.window.end.isoformat() if e.window else None,
            "current": e.current, "earlier_catalogue_version": not e.known,
        } for e in checklist.entries],
    }


def cmd_show(args, cli: CliContext) -> int:
    language = args.language or active_language()
    checklist = cli.services().checklists.checklist(args.child_id, args.date, language=language)
    if args.json:
        cli.print_json(checklist_json(checklist))
        return 0
    status = checklist.status
    cli.say(_("{name}, grade {grade} in {year}").format(
        name=status.first_name or _("(no first name)"), grade=status.grade, year=status.school_year))
    cli.say(_("Now: {stages}").format(stages=", ".join(sw.stage.title(language) for sw in status.current) or "-"))
    cli.say(_("Next: {stages}").format(stages=", ".join(
        f"{sw.stage.title(language)} ({sw.window.start.isoformat()})" for sw in status.upcoming) or "-"))
    marks = {"open": "[ ]", "discussed": "[~]", "done": "[x]", "not_applicable": "[-]"}
    for e in checklist.entries:
        if not e.known:
            continue
        extra = " ".join(x for x in (e.date, e.done_by, e.note) if x)
        cli.say(f"  {marks[e.status]} {e.ref:<48} {e.text}" + (f"  ({extra})" if extra else ""))
    if checklist.earlier:
        cli.say(_("From an earlier catalogue version:"))
        for e in checklist.earlier:
            status = _(STATUS_LABELS[e.status])
            cli.say(f"  {marks[e.status]} {e.ref:<48} {status}  {e.note}")
    return 0


def cmd_set(args, cli: CliContext) -> int:
    entry = cli.services().checklists.set_item(args.child_id, args.item, args.status, note=args.note, day=args.date)
    cli.say(_("{item}: {status}").format(item=entry.ref, status=_(STATUS_LABELS[entry.status])))
    return 0


def cmd_correct(args, cli: CliContext) -> int:
    services = cli.services()
    services.checklists.add_correction(args.child_id, args.kind, args.school_year, args.grade, args.group,
                                       args.school, args.note)
    status = services.checklists.status(args.child_id)
    cli.say(_("Recorded; grade now {grade} in {year}.").format(grade=status.grade, year=status.school_year))
    return 0
