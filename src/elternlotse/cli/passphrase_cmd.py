"""passphrase change | recovery-key | recover: the store's passphrase and its recovery key (crash-safe).

``recovery-key -o SHEET.pdf`` writes the key only into the sheet (owner-only, 0600); with
``--show`` it is also printed once on stdout (for copying it by hand).  It never goes
into a log or the store.  ``recover`` reads the key from $ELTERNLOTSE_RECOVERY_KEY or asks.
"""

from __future__ import annotations

import getpass
import os

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import StoreError, ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _
from elternlotse.locations import NEW_PASSPHRASE_ENV

RECOVERY_KEY_ENV = "ELTERNLOTSE_RECOVERY_KEY"


def register(sub) -> None:
    p = sub.add_parser("passphrase", help=_("change the store's passphrase"))
    actions = p.add_subparsers(dest="passphrase_command", metavar="ACTION", required=True)
    change = actions.add_parser("change", help=_(
        "new passphrase from $ELTERNLOTSE_NEW_PASSPHRASE or asked twice; the old one from $ELTERNLOTSE_PASSPHRASE "
        "or asked"))
    change.set_defaults(handler=cmd_change)
    sheet = actions.add_parser("recovery-key", help=_(
        "make a new recovery key (an older one stops working) and write its sheet to print"))
    sheet.add_argument("-o", "--output", required=True, metavar="SHEET.pdf")
    sheet.add_argument("--show", action="store_true", help=_("also print the key once on the terminal"))
    sheet.set_defaults(handler=cmd_recovery_key)
    recover = actions.add_parser("recover", help=_(
        "set a new passphrase with the recovery key: the key from $ELTERNLOTSE_RECOVERY_KEY or asked, the new "
        "passphrase from $ELTERNLOTSE_NEW_PASSPHRASE or asked twice"))
    recover.set_defaults(handler=cmd_recover)


def new_passphrase(cli: CliContext) -> str:
    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if value:
        return value
    if not cli.stdin.isatty():
        raise StoreError(N_("No new passphrase: set {env} or run the command in a terminal."), env=NEW_PASSPHRASE_ENV)
    first = getpass.getpass(_("New passphrase: "))
    if getpass.getpass(_("New passphrase (again): ")) != first:
        raise ValidationError(N_("The two new passphrases differ; nothing was changed."))
    return first


def cmd_change(args, cli: CliContext) -> int:
    from elternlotse.services.passphrase import check_strength
    from elternlotse.store import Store
    from elternlotse.store.database import change_passphrase

    if not Store.exists(cli.data_dir):
        raise StoreError(N_("No store in {path}: create one with 'elternlotse init' first."), path=str(cli.data_dir))
    old = cli.passphrase()
    new = new_passphrase(cli)
    if new == old:
        raise ValidationError(N_("The new passphrase is the same as the old one; nothing was changed."))
    check_strength(new)
    change_passphrase(cli.data_dir, old, new, **cli.kdf())
    cli.say(_("The passphrase was changed. From now on only the new one opens the store."))
    return 0


def cmd_recovery_key(args, cli: CliContext) -> int:
    from elternlotse.i18n import active_language
    from elternlotse.services.recovery import create_recovery_key

    key = create_recovery_key(cli.services().store, args.output, active_language())
    cli.say(_("A new recovery key is in {path}: print it and keep it apart from the laptop, then delete the file. "
              "An older recovery key no longer works.").format(path=args.output))
    if args.show:
        cli.say(key)
    return 0


def cmd_recover(args, cli: CliContext) -> int:
    from elternlotse.services.recovery import recover
    from elternlotse.store import Store

    if not Store.exists(cli.data_dir):
        raise StoreError(N_("No store in {path}: create one with 'elternlotse init' first."), path=str(cli.data_dir))
    key = os.environ.get(RECOVERY_KEY_ENV)
    if not key:
        if not cli.stdin.isatty():
            raise StoreError(N_("No recovery key: set {env} or run the command in a terminal."), env=RECOVERY_KEY_ENV)
        key = input(_("Recovery key: "))
    from elternlotse.store.recovery import parse_key

    parse_key(key)  # a typo is named before the new passphrase is asked for
    recover(cli.data_dir, key, new_passphrase(cli), **cli.kdf())
    cli.say(_("The passphrase was set with the recovery key. From now on only the new one opens the store; "
              "the recovery key goes on working."))
    return 0
