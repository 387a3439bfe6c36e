"""backup -o FILE, restore FILE: an encrypted, verified copy of the whole store, and the way back."""

from __future__ import annotations

from pathlib import Path

from elternlotse.cli.context import CliContext
from elternlotse.i18n import _


def register(sub) -> None:
    p = sub.add_parser("backup", help=_("write an encrypted, verified copy of the whole store to a file"))
    p.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the backup file to write"))
    p.set_defaults(handler=cmd_backup)
    r = sub.add_parser("restore", help=_("restore a backup into --data-dir, which must be empty or absent"))
    r.add_argument("file", metavar="FILE", help=_("the backup file"))
    r.set_defaults(handler=cmd_restore)


def cmd_backup(args, cli: CliContext) -> int:
    result = cli.services().backup.backup(Path(args.output))
    size = f"{result.bytes / 1024 / 1024:.1f}"
    cli.say(_("Backup written to {path} ({size} MB, checked). It opens only with this store's passphrase.")
            .format(path=result.path, size=size))
    return 0


def cmd_restore(args, cli: CliContext) -> int:
    from elternlotse.app import restore_store
    from elternlotse.store.backup import ensure_free, read_header

    ensure_free(cli.data_dir)     # both refusals come before the passphrase is asked
    read_header(Path(args.file))
    header = restore_store(Path(args.file), cli.data_dir, cli.passphrase())
    cli.say(_("The backup of {created} was restored into {path}. Import the office's next sync file there: "
              "it brings what changed since, erasures included.").format(created=header.created, path=str(cli.data_dir)))
    return 0
