"""contact add | tally | list: every conversation with a family, and anonymous counts."""

from __future__ import annotations

import argparse

from elternlotse.cli.context import CliContext
from elternlotse.i18n import _, ngettext


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a whole number").format(value=text)) from None


def register(sub) -> None:
    contact = sub.add_parser("contact", help=_("record conversations with families and anonymous tallies"))
    csub = contact.add_subparsers(dest="contact_command", metavar="ACTION", required=True)

    p = csub.add_parser("add", help=_("record a conversation, call or visit with a family; print its id"))
    p.add_argument("family", metavar="FAMILY_ID")
    _common(p)
    p.add_argument("--interpreter", action="store_true", help=_("an interpreter took part"))
    p.add_argument("--referral", default="", metavar="R",
                   help=_("sent on to: career_counselling, chamber, jmd, mbe, stubo, school, youth_employment, "
                          "migrant_organisation, or free text"))
    p.add_argument("--follow-up", default="", metavar="YYYY-MM-DD", help=_("when to get in touch again"))
    p.add_argument("--outcome", default="", metavar="O", help=_("for calls: reached, no_answer or call_back"))
    p.add_argument("--person", default="", metavar="PERSON_ID", help=_("the guardian spoken to"))
    p.add_argument("--note", default="", metavar="TEXT")
    p.set_defaults(handler=cmd_add)

    p = csub.add_parser("tally", help=_("count people who gave no data (a stand, a fair tour); creates no one"))
    _common(p)
    p.add_argument("--count", type=_whole_number, required=True, metavar="N")
    p.set_defaults(handler=cmd_tally)

    p = csub.add_parser("list", help=_("contacts and tallies, newest first"))
    p.add_argument("--family", default=None, metavar="ID")
    p.add_argument("--from", dest="first", default="", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="last", default="", metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)


def _common(p) -> None:
    p.add_argument("--format", required=True, metavar="F",
                   help=_("family_cafe, elternday, training_fair_tour, mso_meeting, parent_teacher_day, "
                          "individual_talk, phone_call or home_visit"))
    p.add_argument("--on", default="", metavar="YYYY-MM-DD", help=_("the day (default: today)"))
    p.add_argument("--language", default="", metavar="L", help=_("language of the conversation"))
    p.add_argument("--topic", action="append", default=[], metavar="STAGE", help=_("a KAoA stage talked about"))


def cmd_add(args, cli: CliContext) -> int:
    from elternlotse.domain.contact_log import Contact

    services = cli.services()
    contact = services.contacts.add(Contact(
        family_id=args.family, person_id=args.person, on=args.on or services.contacts.today().isoformat(),
        format=args.format, language=args.language, interpreter=args.interpreter, topics=args.topic,
        referral=args.referral, follow_up=args.follow_up, outcome=args.outcome, note=args.note,
    ))
    cli.say(contact.id)
    return 0


def cmd_tally(args, cli: CliContext) -> int:
    from elternlotse.domain.contact_log import Tally

    services = cli.services()
    tally = services.contacts.tally(Tally(
        on=args.on or services.contacts.today().isoformat(), format=args.format, count=args.count,
        language=args.language, topics=args.topic,
    ))
    cli.say(tally.id)
    return 0


def cmd_list(args, cli: CliContext) -> int:
    from elternlotse.domain.contact_log import CONTACT_FORMAT_LABELS, OUTCOME_LABELS, referral_label

    services = cli.services()
    if args.family is not None:
        services.families.get(args.family)  # an unknown id is one sentence, not an empty list
    contacts = services.contacts.list(args.family, args.first, args.last)
    tallies = [] if args.family is not None else services.contacts.tallies(args.first, args.last)
    if args.json:
        cli.print_json({
            "contacts": [{"id": c.id, "family": c.family_id, "person": c.person_id, "on": c.on, "format": c.format,
                          "language": c.language, "interpreter": c.interpreter, "topics": c.topics,
                          "referral": c.referral, "follow_up": c.follow_up, "outcome": c.outcome, "note": c.note,
                          "recorded_by": c.recorded_by} for c in contacts],
            "tallies": [{"id": t.id, "on": t.on, "format": t.format, "count": t.count, "language": t.language,
                         "topics": t.topics, "recorded_by": t.recorded_by} for t in tallies],
        })
        return 0
    for c in contacts:
        parts = [c.on, c.family_id, _(CONTACT_FORMAT_LABELS[c.format]), c.language, ", ".join(c.topics)]
        if c.interpreter:
            parts.append(_("with interpreter"))
        if c.referral:
            parts.append(_("referred to {where}").format(where=_(referral_label(c.referral))))
        if c.outcome:
            parts.append(_(OUTCOME_LABELS[c.outcome]))
        if c.follow_up:
            parts.append(_("follow up on {day}").format(day=c.follow_up))
        cli.say("  ".join(p for p in parts if p))
    for t in tallies:
        people = ngettext("{count} person", "{count} people", t.count).format(count=t.count)
        cli.say("  ".join(p for p in (t.on, _("tally"), _(CONTACT_FORMAT_LABELS[t.format]), people, t.language,
                                      ", ".join(t.topics)) if p))
    cli.say(ngettext("{count} contact", "{count} contacts", len(contacts)).format(count=len(contacts))
            + ", " + ngettext("{count} tally", "{count} tallies", len(tallies)).format(count=len(tallies)))
    return 0
