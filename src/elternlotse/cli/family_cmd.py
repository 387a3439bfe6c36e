"""family add | show | list | erase."""

from __future__ import annotations

from elternlotse.cli.context import CliContext, read_json_input
from elternlotse.i18n import _, ngettext


def register(sub) -> None:
    family = sub.add_parser("family", help=_("add, show, list and erase families"))
    fsub = family.add_subparsers(dest="family_command", metavar="ACTION", required=True)

    p = fsub.add_parser("add", help=_("add a family from a portable JSON document; print its id"))
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.set_defaults(handler=cmd_add)

    p = fsub.add_parser("show", help=_("the portable document (also the GDPR access/portability copy)"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--language", metavar="L",
                   help=_("the readable access copy, labels in L and German ('parent': the family's own language)"))
    p.set_defaults(handler=cmd_show)

    p = fsub.add_parser("list", help=_("list families, optionally matching a search"))
    p.add_argument("--search", default="", metavar="TEXT")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = fsub.add_parser("erase", help=_("erasure: personal data gone, tombstone kept"))
    p.add_argument("id")
    p.set_defaults(handler=cmd_erase)


def cmd_add(args, cli: CliContext) -> int:
    document = read_json_input(args.file, cli.stdin)
    family = cli.services().families.add(document)
    cli.say(family.id)
    return 0


def cmd_show(args, cli: CliContext) -> int:
    services = cli.services()
    document = services.families.document(args.id)
    if args.json:
        cli.print_json(document)
        return 0
    if args.language:
        cli.say(access_copy_text(document, services.store.info.organisation, args.language))
        return 0
    cli.say(_("Family {id}").format(id=document["id"]))
    for guardian in document["guardians"]:
        contacts = ", ".join([*guardian["phones"], *guardian["emails"], *(m["app"] for m in guardian["messenger"])])
        cli.say("  " + _("Guardian: {name}").format(name=guardian["name"])
                + f"  [{', '.join(guardian['languages'])}]  {contacts}")
        state = services.consent.state(guardian["id"])
        granted = [f"{e.purpose.value}{'/' + e.channel.value if e.channel else ''}" for e in state.current.values() if e.granted]
        cli.say("    " + _("Consent: {purposes}").format(purposes=", ".join(granted) or _("none")))
    for child in document["children"]:
        name = child["first_name"] or _("(no first name)")
        cli.say("  " + _("Child: {name}, grade {grade}, {school}").format(
            name=name, grade=child["grade"], school=child["school"]))
    if document["notes"]:
        cli.say("  " + _("Notes: {notes}").format(notes=document["notes"]))
    return 0


def cmd_list(args, cli: CliContext) -> int:
    rows = cli.services().families.list(args.search)
    if args.json:
        cli.print_json([
            {"id": r.id, "guardians": r.guardians, "children": r.children, "languages": r.languages, "phone": r.phone}
            for r in rows
        ])
        return 0
    for r in rows:
        cli.say(f"{r.id}  {r.guardians}  [{r.languages}]  {r.children}")
    cli.say(ngettext("{count} family", "{count} families", len(rows)).format(count=len(rows)))
    return 0


def cmd_erase(args, cli: CliContext) -> int:
    cli.services().families.erase(args.id)
    cli.say(_("Family {id} erased; a tombstone keeps it from coming back.").format(id=args.id))
    return 0


def access_copy_text(document: dict, organisation: str, language: str) -> str:
    from elternlotse.domain.errors import ValidationError
    from elternlotse.domain.text import N_
    from elternlotse.i18n.languages import UI_LANGUAGES, normalise_tag
    from elternlotse.services.access_copy import copy_languages, readable_text

    if language == "parent":
        languages = copy_languages(document)
    else:
        tag = normalise_tag(language).split("-")[0]
        if not (tag.isascii() and tag.isalpha() and 2 <= len(tag) <= 3):
            raise ValidationError(N_("{field}: '{value}' is not a language tag."), field="--language", value=language)
        # a language without a catalogue gets German and English labels
        languages = ["de"] if tag == "de" else [tag, "de"] if tag in UI_LANGUAGES else ["de", "en"]
    return readable_text(document, organisation, languages)
