"""event add | list | show | invitations | attend | handouts | ics | invitation | sign-in."""

from __future__ import annotations

import argparse

from elternlotse.cli.context import CliContext, read_json_input
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.events import EVENT_TYPE_LABELS
from elternlotse.domain.text import N_
from elternlotse.i18n import _, ngettext


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a whole number").format(value=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("must not be negative"))
    return value


def _blank(text: str) -> int:
    from elternlotse.services.event_kit import MAX_BLANK

    value = _count(text)
    if value > MAX_BLANK:
        raise argparse.ArgumentTypeError(_("must be at most {high}").format(high=MAX_BLANK))
    return value


def register(sub) -> None:
    event = sub.add_parser("event", help=_("plan events, take attendance, list whom to invite"))
    esub = event.add_subparsers(dest="event_command", metavar="ACTION", required=True)

    p = esub.add_parser("add", help=_("add an event from a JSON document; print its id"))
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.set_defaults(handler=cmd_add)

    p = esub.add_parser("list", help=_("all events, newest first"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = esub.add_parser("show", help=_("one event with attendance and handouts"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = esub.add_parser("invitations", help=_("families to invite: children at the event's stages, consent to invitations"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_invitations)

    p = esub.add_parser("attend", help=_("mark a family as present (or absent), or set the anonymous headcount"))
    p.add_argument("id")
    p.add_argument("--family", metavar="FID", default=None)
    p.add_argument("--person", metavar="PID", default="")
    p.add_argument("--absent", action="store_true", help=_("take the family off the attendance list"))
    p.add_argument("--headcount", type=_count, default=None, metavar="N", help=_("people present who gave no data"))
    p.set_defaults(handler=cmd_attend)

    p = esub.add_parser("handouts", help=_("count handouts given at the event (topic x language)"))
    p.add_argument("id")
    p.add_argument("--topic", required=True)
    p.add_argument("--language", required=True)
    p.add_argument("--count", type=_count, default=1)
    p.set_defaults(handler=cmd_handouts)

    p = esub.add_parser("ics", help=_("one event, or the events of a period, as a calendar file (.ics)"))
    p.add_argument("id", nargs="?", default=None, metavar="EVENT_ID")
    p.add_argument("--from", dest="first", default="", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="last", default="", metavar="YYYY-MM-DD")
    p.add_argument("-o", "--output", required=True, metavar="FILE.ics")
    p.set_defaults(handler=cmd_ics)

    p = esub.add_parser("invitation", help=_("the invitation letter: German beside each language of the invited families, "
                                             "with a reply slip"))
    p.add_argument("id", metavar="EVENT_ID")
    p.add_argument("--language", action="append", default=[], metavar="L",
                   help=_("a language beside German (repeat for more); default: the invited families' languages"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=cmd_invitation)

    p = esub.add_parser("sign-in", help=_("the sign-in sheet: the invited families, blank rows, a headcount box"))
    p.add_argument("id", metavar="EVENT_ID")
    p.add_argument("--blank", type=_blank, default=10, metavar="N", help=_("blank rows after the families (default 10)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=cmd_sign_in)


def cmd_add(args, cli: CliContext) -> int:
    event = cli.services().events.add(read_json_input(args.file, cli.stdin))
    cli.say(event.id)
    return 0


def cmd_list(args, cli: CliContext) -> int:
    rows = cli.services().events.list()
    if args.json:
        cli.print_json([{"id": r.id, "type": r.type, "title": r.title, "starts": r.starts, "place": r.place,
                         "topics": r.topics, "families": r.families, "headcount": r.headcount} for r in rows])
        return 0
    for r in rows:
        kind = _(EVENT_TYPE_LABELS[r.type])
        counts = _("{families} families + {headcount}").format(families=r.families, headcount=r.headcount)
        cli.say(f"{r.id}  {r.starts}  {kind}  {r.title}  {r.place}  {counts}")
    cli.say(ngettext("{count} event", "{count} events", len(rows)).format(count=len(rows)))
    return 0


def cmd_show(args, cli: CliContext) -> int:
    doc = cli.services().events.document(args.id)
    if args.json:
        cli.print_json(doc)
        return 0
    kind = _(EVENT_TYPE_LABELS[doc["type"]])
    cli.say(f"{doc['starts']}{' - ' + doc['ends'] if doc['ends'] else ''}  {kind}  {doc['title']}")
    cli.say("  " + _("Place: {place}").format(place=doc["place"] or "-"))
    cli.say("  " + _("Topics: {topics}").format(topics=", ".join(doc["topics"]) or "-"))
    speakers = ", ".join(s["name"] + " (" + s["role"] + ")" for s in doc["speakers"]) or "-"
    cli.say("  " + _("Speakers: {speakers}").format(speakers=speakers))
    languages = ", ".join(doc["languages"]) or "-"
    if doc["interpreter"]:
        cli.say("  " + _("Languages: {languages} (interpreter present)").format(languages=languages))
    else:
        cli.say("  " + _("Languages: {languages}").format(languages=languages))
    cli.say("  " + _("Attendance: {families} families + {headcount}").format(
        families=doc["counts"]["families"], headcount=doc["headcount"]))
    for entry in doc["attendance"]:
        cli.say(f"    {entry['name']}  {entry['family']}")
    for h in doc["handouts"]:
        cli.say("  " + _("Handout: {topic} [{language}] x {count}").format(
            topic=h["topic"], language=h["language"], count=h["count"]))
    return 0


def cmd_invitations(args, cli: CliContext) -> int:
    from elternlotse.services.events import invitation_json

    invitations = cli.services().events.invitations(args.id)
    if args.json:
        cli.print_json([invitation_json(inv) for inv in invitations])
        return 0
    for inv in invitations:
        no_name = _("(no first name)")
        kids = ", ".join(f"{name or no_name} ({grade}, {stage})" for _id, name, grade, stage in inv.children)
        app = f" ({inv.channel.app})" if inv.channel.app else ""
        cli.say(f"{inv.name}  [{', '.join(inv.languages)}]  {inv.channel.channel}: {inv.channel.value}{app}  {kids}")
    cli.say(ngettext("{count} family to invite", "{count} families to invite", len(invitations)).format(count=len(invitations)))
    return 0


def cmd_attend(args, cli: CliContext) -> int:
    if args.family is None and args.headcount is None:
        raise ValidationError(N_("Give --family FID or --headcount N."))
    events = cli.services().events
    if args.family is not None:
        event = events.attend(args.id, args.family, present=not args.absent, person_id=args.person)
    if args.headcount is not None:
        event = events.set_headcount(args.id, args.headcount)
    cli.say(_("{families} families + {headcount}").format(families=event.family_count, headcount=event.headcount))
    return 0


def cmd_handouts(args, cli: CliContext) -> int:
    event = cli.services().events.add_handouts(args.id, args.topic, args.language, args.count)
    cli.say(", ".join(f"{h.topic} [{h.language}] x {h.count}" for h in event.handouts))
    return 0


def cmd_ics(args, cli: CliContext) -> int:
    from pathlib import Path

    from elternlotse.i18n import active_language
    from elternlotse.reports.tabular import write_atomically

    data = cli.services().events.calendar(args.id, args.first, args.last, language=active_language(), translate=_)
    write_atomically(Path(args.output), data)
    count = data.count(b"BEGIN:VEVENT")
    cli.say(ngettext("{count} event written to {path}", "{count} events written to {path}", count).format(
        count=count, path=args.output))
    return 0


def cmd_invitation(args, cli: CliContext) -> int:
    kit = cli.services().event_kit
    path = kit.write_invitation(args.output, args.id, args.language)
    cli.say(_("Invitation written to {path}").format(path=path))
    return 0


def cmd_sign_in(args, cli: CliContext) -> int:
    path = cli.services().event_kit.write_sign_in(args.output, args.id, args.blank)
    cli.say(_("Sign-in sheet written to {path}").format(path=path))
    return 0
