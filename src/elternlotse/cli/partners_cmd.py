"""partners list | add | show | edit | remove: the office's directory of institutions (sent to its navigators)."""

from __future__ import annotations

from elternlotse.cli.context import CliContext
from elternlotse.i18n import _, ngettext


def register(sub) -> None:
    partners = sub.add_parser("partners", help=_("the directory of partner institutions (kept by the office)"))
    psub = partners.add_subparsers(dest="partners_command", metavar="ACTION", required=True)

    p = psub.add_parser("list", help=_("every partner, by name"))
    p.add_argument("--kind", default="", metavar="K")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = psub.add_parser("show", help=_("one partner"))
    p.add_argument("partner", metavar="PARTNER_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = psub.add_parser("remove", help=_("erase a partner (office only); navigators lose it with the next package"))
    p.add_argument("partner", metavar="PARTNER_ID")
    p.set_defaults(handler=cmd_remove)

    for name, helptext, handler in (("add", _("add a partner institution (office only); print its id"), cmd_add),
                                    ("edit", _("change a partner (office only)"), cmd_edit)):
        p = psub.add_parser(name, help=helptext)
        if name == "edit":
            p.add_argument("partner", metavar="PARTNER_ID")
        p.add_argument("--kind", required=name == "add", default=None, metavar="K",
                       help=_("career_counselling, chamber, jmd, mbe, stubo, school, youth_employment, "
                              "migrant_organisation, integration_council or other"))
        p.add_argument("--name", required=name == "add", default=None, metavar="NAME")
        p.add_argument("--contact-person", default=None, metavar="NAME")
        p.add_argument("--phone", default=None, metavar="NUMBER")
        p.add_argument("--email", default=None, metavar="ADDRESS")
        p.add_argument("--language", action="append", default=None, metavar="L",
                       help=_("a language spoken there (repeat)"))
        p.add_argument("--notes", default=None, metavar="TEXT")
        p.set_defaults(handler=handler)


def _json(p) -> dict:
    return {"id": p.id, "kind": p.kind, "name": p.name, "contact_person": p.contact_person, "phone": p.phone,
            "email": p.email, "languages": p.languages, "notes": p.notes}


def _line(p) -> str:
    from elternlotse.domain.contact import display_phone
    from elternlotse.domain.partners import PARTNER_KIND_LABELS

    parts = [p.id, p.name, _(PARTNER_KIND_LABELS[p.kind]), p.contact_person,
             display_phone(p.phone) if p.phone else "", p.email, ", ".join(p.languages)]
    return "  ".join(x for x in parts if x)


def cmd_list(args, cli: CliContext) -> int:
    partners = cli.services().partners.list(args.kind)
    if args.json:
        cli.print_json([_json(p) for p in partners])
        return 0
    for p in partners:
        cli.say(_line(p))
    cli.say(ngettext("{count} partner", "{count} partners", len(partners)).format(count=len(partners)))
    return 0


def cmd_show(args, cli: CliContext) -> int:
    p = cli.services().partners.get(args.partner)
    if args.json:
        cli.print_json(_json(p))
        return 0
    cli.say(_line(p))
    if p.notes:
        cli.say(p.notes)
    return 0


def _partner(args, base=None):
    from elternlotse.domain.partners import Partner

    partner = base or Partner(kind="", name="")
    for attr in ("kind", "name", "contact_person", "phone", "email", "notes"):
        value = getattr(args, attr)
        if value is not None:
            setattr(partner, attr, value)
    if args.language is not None:
        partner.languages = args.language
    return partner


def cmd_add(args, cli: CliContext) -> int:
    cli.say(cli.services().partners.add(_partner(args)).id)
    return 0


def cmd_edit(args, cli: CliContext) -> int:
    services = cli.services()
    services.partners.edit(_partner(args, services.partners.get(args.partner)))
    return 0


def cmd_remove(args, cli: CliContext) -> int:
    cli.services().partners.remove(args.partner)
    return 0
