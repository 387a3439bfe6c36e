"""navigators list | show | add | edit | remove | module | hours | rules | certificate: the office's navigator roster."""

from __future__ import annotations

from elternlotse.cli.context import CliContext
from elternlotse.i18n import _, ngettext


def register(sub) -> None:
    nav = sub.add_parser("navigators", help=_("the office's navigator roster: training, checks, hours, allowances"))
    nsub = nav.add_subparsers(dest="navigators_command", metavar="ACTION", required=True)

    p = nsub.add_parser("list", help=_("every navigator of the office"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = nsub.add_parser("show", help=_("one navigator: modules, police-record check, hours, allowance tallies"))
    p.add_argument("navigator", metavar="NAVIGATOR_ID")
    p.add_argument("--year", type=int, default=None, metavar="YYYY", help=_("the calendar year of the tallies"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    for name, helptext, handler in (("add", _("add a navigator; print the id"), cmd_add),
                                    ("edit", _("change a navigator's details"), cmd_edit)):
        p = nsub.add_parser(name, help=helptext)
        if name == "edit":
            p.add_argument("navigator", metavar="NAVIGATOR_ID")
        p.add_argument("--name", required=name == "add", default=None, metavar="NAME")
        p.add_argument("--language", action="append", default=None, metavar="L",
                       help=_("a language the navigator speaks (tag like tr or fa-AF; repeat)"))
        p.add_argument("--node", default=None, metavar="NODE_ID", help=_("the navigator's sync card (keys list)"))
        p.add_argument("--police-check", default=None, metavar="YYYY-MM-DD",
                       help=_("the day the police-record certificate was seen (date only)"))
        p.add_argument("--notes", default=None, metavar="TEXT")
        p.set_defaults(handler=handler)

    p = nsub.add_parser("remove", help=_("erase a navigator's roster entry when they leave (modules, hours, checks)"))
    p.add_argument("navigator", metavar="NAVIGATOR_ID")
    p.set_defaults(handler=cmd_remove)

    p = nsub.add_parser("module", help=_("record a completed training module (or remove it)"))
    p.add_argument("navigator", metavar="NAVIGATOR_ID")
    p.add_argument("module", metavar="MODULE")
    p.add_argument("--on", default="", metavar="YYYY-MM-DD", help=_("the day it was completed (default: today)"))
    p.add_argument("--remove", action="store_true", help=_("remove the completion"))
    p.set_defaults(handler=cmd_module)

    p = nsub.add_parser("hours", help=_("record hours of an assignment and an allowance paid for it"))
    p.add_argument("navigator", metavar="NAVIGATOR_ID")
    change = p.add_mutually_exclusive_group()
    change.add_argument("--edit", default="", metavar="ENTRY_ID",
                        help=_("correct this entry (ids: show --json); options not given stay as they are"))
    change.add_argument("--delete", default="", metavar="ENTRY_ID", help=_("delete this entry"))
    p.add_argument("--hours", default=None, metavar="H", help=_("hours, in quarter hours (2.5)"))
    p.add_argument("--kind", default=None, metavar="K", help=_("event, tour, stand, training or other"))
    p.add_argument("--on", default=None, metavar="YYYY-MM-DD", help=_("the day (default: today)"))
    p.add_argument("--activity", default=None, metavar="TEXT", help=_("what was done (an event's title by default)"))
    p.add_argument("--event", default=None, metavar="EVENT_ID")
    p.add_argument("--allowance", default=None, metavar="A", help=_("ehrenamt or uebungsleiter"))
    p.add_argument("--amount", default=None, metavar="EUR", help=_("the amount paid, in euros (25.50)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_hours)

    p = nsub.add_parser("rules", help=_("show or change the office's rule: police-record check period, allowance limits"))
    p.add_argument("--police-check-years", type=int, default=None, metavar="N")
    p.add_argument("--ehrenamt", default=None, metavar="EUR", help=_("the Ehrenamtspauschale limit a year"))
    p.add_argument("--uebungsleiter", default=None, metavar="EUR", help=_("the Übungsleiterpauschale limit a year"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_rules)

    p = nsub.add_parser("certificate", help=_("write the bilingual training certificate as PDF"))
    p.add_argument("navigator", metavar="NAVIGATOR_ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--language", default="", metavar="L",
                   help=_("the second language beside German (default: the navigator's, else English)"))
    p.set_defaults(handler=cmd_certificate)


def _navigator_json(view, services) -> dict:
    nav = view.navigator
    return {
        "id": nav.id, "name": nav.name, "languages": nav.languages, "node": nav.node_id, "card": view.card_name,
        "police_check": nav.police_check, "police_check_due": view.police_check_due, "notes": nav.notes,
        "modules": [{"key": m.key, "standard": m.standard, "completed": nav.modules.get(m.key, "")}
                    for m in services.roster.modules.modules],
        "missing_standard": view.missing_standard,
        "hours": [{"id": e.id, "on": e.on, "hours": str(e.hours), "kind": e.kind, "activity": e.activity,
                   "event": e.event_id, "allowance": e.allowance, "amount_cents": e.amount_cents} for e in view.hours],
        "total_hours": str(view.total_hours),
        "tallies": [_tally_json(t) for t in view.tallies],
    }


def _tally_json(t) -> dict:
    return {"allowance": t.allowance, "year": t.year, "paid_cents": t.paid_cents, "limit_cents": t.limit_cents,
            "state": t.state}


def _euros(cents: int) -> str:
    from decimal import Decimal

    from babel.numbers import format_decimal

    from elternlotse.i18n import active_language

    return format_decimal(Decimal(cents).scaleb(-2), format="#,##0.00", locale=active_language().replace("-", "_"))


def _tally_line(t) -> str:
    from elternlotse.domain.roster import ALLOWANCE_LABELS

    line = _("{allowance} {year}: {paid} of {limit} EUR").format(
        allowance=_(ALLOWANCE_LABELS[t.allowance]), year=t.year, paid=_euros(t.paid_cents), limit=_euros(t.limit_cents))
    if t.state == "over":
        line += "  " + _("over the tax-free limit")
    elif t.state == "near":
        line += "  " + _("near the tax-free limit")
    return line


def cmd_list(args, cli: CliContext) -> int:
    services = cli.services()
    views = [services.roster.view(n.id) for n in services.roster.list()]
    if args.json:
        cli.print_json([_navigator_json(v, services) for v in views])
        return 0
    from elternlotse.i18n.formatting import language_name

    for v in views:
        nav = v.navigator
        parts = [nav.id, nav.name, ", ".join(language_name(lang) for lang in nav.languages),
                 _("{done} of {count} modules").format(done=len(nav.modules), count=len(services.roster.modules.modules))]
        if v.police_check_due:
            parts.append(_("police-record check due"))
        parts += [_tally_line(t) for t in v.warnings]
        cli.say("  ".join(p for p in parts if p))
    cli.say(ngettext("{count} navigator", "{count} navigators", len(views)).format(count=len(views)))
    return 0


def cmd_show(args, cli: CliContext) -> int:
    from elternlotse.domain.roster import ACTIVITY_LABELS
    from elternlotse.i18n import active_language
    from elternlotse.i18n.formatting import language_name

    services = cli.services()
    view = services.roster.view(args.navigator, args.year)
    if args.json:
        cli.print_json(_navigator_json(view, services))
        return 0
    nav = view.navigator
    cli.say(nav.name)
    cli.say(_("Languages: {names}").format(names=", ".join(language_name(lang) for lang in nav.languages) or "-"))
    card = nav.node_id + (f" ({view.card_name})" if view.card_name else "")
    cli.say(_("Sync card: {card}").format(card=card or "-"))
    check = nav.police_check or "-"
    cli.say(_("Police-record check: {day}").format(day=check)
            + ("  " + _("due: missing or older than the office's rule allows") if view.police_check_due else ""))
    for module in services.roster.modules.modules:
        done = nav.modules.get(module.key)
        kind = _("standard") if module.standard else _("optional")
        cli.say("  [{mark}] {key}  {title}  ({kind}){day}".format(
            mark="x" if done else " ", key=module.key, title=module.title(active_language()), kind=kind,
            day="  " + done if done else ""))
    for e in view.hours:
        cli.say("  " + "  ".join(p for p in (e.id, e.on, str(e.hours) + " h", _(ACTIVITY_LABELS[e.kind]), e.activity,
                                              _euros(e.amount_cents) + " EUR" if e.amount_cents else "") if p))
    cli.say(_("Hours in total: {hours}").format(hours=view.total_hours))
    for t in view.tallies:
        cli.say(_tally_line(t))
    return 0


def _navigator(args, base=None):
    from elternlotse.domain.roster import Navigator

    nav = base or Navigator(name="")
    for attr, value in (("name", args.name), ("languages", args.language), ("node_id", args.node),
                        ("police_check", args.police_check), ("notes", args.notes)):
        if value is not None:
            setattr(nav, attr, value)
    return nav


def cmd_add(args, cli: CliContext) -> int:
    services = cli.services()
    cli.say(services.roster.add(_navigator(args)).id)
    return 0


def cmd_edit(args, cli: CliContext) -> int:
    services = cli.services()
    services.roster.edit(_navigator(args, services.roster.get(args.navigator)))
    return 0


def cmd_module(args, cli: CliContext) -> int:
    services = cli.services()
    if args.remove:
        services.roster.remove_module(args.navigator, args.module)
    else:
        services.roster.complete_module(args.navigator, args.module, args.on or services.roster.today().isoformat())
    return 0


def _hours_entry(args, base):
    """``base`` with every option given on the command line put in (typed amounts parsed)."""
    from elternlotse.domain.roster import parse_amount

    for attr, value in (("hours", args.hours), ("kind", args.kind), ("on", args.on or None), ("activity", args.activity),
                        ("event_id", args.event), ("allowance", args.allowance)):
        if value is not None:
            setattr(base, attr, value)
    if args.amount is not None:
        base.amount_cents = parse_amount(args.amount) if args.amount else 0
    return base


def cmd_hours(args, cli: CliContext) -> int:
    from elternlotse.domain.errors import ValidationError
    from elternlotse.domain.roster import HoursEntry
    from elternlotse.domain.text import N_

    roster = cli.services().roster
    if args.delete:
        entry, tallies = roster.hours_entry(args.navigator, args.delete), roster.delete_hours(args.navigator, args.delete)
    elif args.edit:
        entry, tallies = roster.edit_hours(_hours_entry(args, roster.hours_entry(args.navigator, args.edit)))
    else:
        for option, value in (("--hours", args.hours), ("--kind", args.kind)):
            if value is None:
                raise ValidationError(N_("{field}: needed to record hours."), field=option)
        blank = HoursEntry(navigator_id=args.navigator, on=roster.today().isoformat(), hours=args.hours, kind=args.kind)
        entry, tallies = roster.add_hours(_hours_entry(args, blank))
    if args.json:
        cli.print_json({"id": entry.id, "tallies": [_tally_json(t) for t in tallies]})
        return 0
    cli.say(entry.id)
    for t in tallies:
        if t.state != "ok":
            cli.err.write(_tally_line(t) + "\n")
    return 0


def cmd_certificate(args, cli: CliContext) -> int:
    services = cli.services()
    services.roster.certificate(args.navigator, args.language, path=args.output)
    cli.say(args.output)
    return 0


def cmd_rules(args, cli: CliContext) -> int:
    from elternlotse.domain.roster import ALLOWANCE_LABELS, parse_amount

    roster = cli.services().roster
    limits = {kind: parse_amount(value, kind) for kind, value in (("ehrenamt", args.ehrenamt),
                                                                   ("uebungsleiter", args.uebungsleiter)) if value}
    rule = roster.set_rules(args.police_check_years, limits) if (limits or args.police_check_years is not None) \
        else roster.rules()
    if args.json:
        cli.print_json({"police_check_years": rule.police_check_years, "limits_cents": rule.limits})
        return 0
    cli.say(_("Police-record check due after {years} years").format(years=rule.police_check_years))
    for kind, cents in rule.limits.items():
        cli.say(_("{allowance}: {limit} EUR a year").format(allowance=_(ALLOWANCE_LABELS[kind]), limit=_euros(cents)))
    return 0


def cmd_remove(args, cli: CliContext) -> int:
    cli.services().roster.remove(args.navigator)
    return 0
