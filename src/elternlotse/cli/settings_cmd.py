"""settings show | set: the settings readable before unlock (UI language, idle lock)."""

from __future__ import annotations

from dataclasses import asdict

from elternlotse import settings as settings_file
from elternlotse.cli.context import CliContext
from elternlotse.i18n import _


def register(sub) -> None:
    parser = sub.add_parser("settings", help=_("show or change the app settings (UI language, idle lock minutes)"))
    ssub = parser.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    p = ssub.add_parser("show", help=_("print the settings"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)
    p = ssub.add_parser("set", help=_("change one setting"))
    p.add_argument("key", choices=[k for k in asdict(settings_file.Settings())])
    p.add_argument("value")
    p.set_defaults(handler=cmd_set)


def cmd_show(args, cli: CliContext) -> int:
    values = asdict(settings_file.load(cli.data_dir))
    if args.json:
        cli.print_json(values)
    else:
        for key, value in values.items():
            cli.say(f"{key} = {value}")
    return 0


def cmd_set(args, cli: CliContext) -> int:
    current = settings_file.load(cli.data_dir)
    settings_file.save(cli.data_dir, current.with_value(args.key, args.value))
    cli.say(_("Saved."))
    return 0
