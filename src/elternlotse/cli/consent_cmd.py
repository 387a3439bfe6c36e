"""consent grant | withdraw | show."""

from __future__ import annotations

from elternlotse.cli.context import CliContext
from elternlotse.domain.consent import CHOSEN_EVIDENCE, Channel, Evidence, Purpose
from elternlotse.i18n import _


def register(sub) -> None:
    consent = sub.add_parser("consent", help=_("grant, withdraw or show consent per purpose and channel"))
    csub = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    for action in ("grant", "withdraw"):
        p = csub.add_parser(action, help=_("record that the person grants consent") if action == "grant"
                            else _("record that the person withdraws consent"))
        p.add_argument("person_id", metavar="PERSON_ID")
        p.add_argument("--purpose", required=True, choices=[x.value for x in Purpose])
        p.add_argument("--channel", choices=[x.value for x in Channel])
        p.add_argument("--evidence", default=Evidence.VERBAL.value, choices=[x.value for x in CHOSEN_EVIDENCE])
        p.add_argument("--text-version", default="")
        p.add_argument("--text-language", default="")
        p.set_defaults(handler=cmd_record, granted=(action == "grant"))
    p = csub.add_parser("install-texts", help=_("install consent text files (JSON) of a new version; "
                                                 "an office passes them on in its sync packages"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(handler=cmd_install_texts)
    p = csub.add_parser("show", help=_("current consent state and history of a person"))
    p.add_argument("person_id", metavar="PERSON_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)


def cmd_record(args, cli: CliContext) -> int:
    entry = cli.services().consent.record(
        args.person_id, args.purpose, args.channel, args.granted, evidence=args.evidence,
        text_version=args.text_version, text_language=args.text_language,
    )
    what = args.purpose + (f"/{args.channel}" if args.channel else "")
    cli.say((_("Consent granted: {what}") if entry.granted else _("Consent withdrawn: {what}")).format(what=what))
    return 0


def cmd_show(args, cli: CliContext) -> int:
    consent = cli.services().consent
    state = consent.state(args.person_id)
    history = consent.history(args.person_id)
    if args.json:
        cli.print_json({
            "person": args.person_id,
            "current": [{"purpose": p.value, "channel": c.value if c else None, "granted": e.granted, "since": e.at}
                        for (p, c), e in sorted(state.current.items(), key=lambda kv: (kv[0][0].value, kv[0][1].value if kv[0][1] else ""))],
            "history": [{"purpose": e.purpose.value, "channel": e.channel.value if e.channel else None, "granted": e.granted,
                         "at": e.at, "recorded_by": e.recorded_by, "evidence": e.evidence.value,
                         "text_version": e.text_version, "text_language": e.text_language} for e in history],
        })
        return 0
    for e in history:
        verb = _("granted") if e.granted else _("withdrawn")
        cli.say(f"{e.at}  {e.purpose.value}{'/' + e.channel.value if e.channel else ''}  {verb}  {e.recorded_by}  {e.evidence.value}")
    return 0


def cmd_install_texts(args, cli: CliContext) -> int:
    from elternlotse.cli.context import read_json_input

    library = cli.services().consent_texts
    documents = [(path, read_json_input(path, cli.stdin)) for path in args.files]
    for path, document in documents:  # check every file before installing any
        library.check(document, path)
    for path, document in documents:
        text = library.install(document, path, origin="file")
        cli.say(_("Consent text {version} ({language}) installed.").format(version=text.version, language=text.language))
    return 0
