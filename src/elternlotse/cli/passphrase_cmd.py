"""passphrase change: put the store under a key derived from a new passphrase (crash-safe)."""

from __future__ import annotations

import getpass
import os

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import StoreError, ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _
from elternlotse.locations import NEW_PASSPHRASE_ENV


def register(sub) -> None:
    p = sub.add_parser("passphrase", help=_("change the store's passphrase"))
    actions = p.add_subparsers(dest="passphrase_command", metavar="ACTION", required=True)
    change = actions.add_parser("change", help=_(
        "new passphrase from $ELTERNLOTSE_NEW_PASSPHRASE or asked twice; the old one from $ELTERNLOTSE_PASSPHRASE "
        "or asked"))
    change.set_defaults(handler=cmd_change)


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
