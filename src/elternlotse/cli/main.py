"""Argument parsing and dispatch.  Each command module registers its sub-commands.

Exit codes: 0 success; 1 input or file refused (one sentence on stderr, nothing
written); 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import logging

from elternlotse import __version__
from elternlotse.cli import backup_cmd, catalog_cmd, consent_cmd, contact_cmd, event_cmd, family_cmd, handout_cmd, kaoa_cmd, keys_cmd, partners_cmd, passphrase_cmd, plan_cmd, report_cmd, retention_cmd, roster_cmd, settings_cmd, sheet_cmd, store_cmd, sync_cmd
from elternlotse.cli import duplicates_cmd
from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, translate_error

log = logging.getLogger(__name__)  # msgids and types only: a refusal's sentence may repeat what was typed

#: Command modules, each with ``register(subparsers)``.  A feature adds its module here.
COMMAND_MODULES = [store_cmd, family_cmd, consent_cmd, settings_cmd, catalog_cmd, kaoa_cmd, event_cmd, contact_cmd, handout_cmd, keys_cmd, sync_cmd, passphrase_cmd, report_cmd, plan_cmd, retention_cmd, backup_cmd, roster_cmd, partners_cmd, sheet_cmd]
COMMAND_MODULES.append(duplicates_cmd)  # issue 16 (its own line: several features add modules at once)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="elternlotse",
        description=_("Elternlotse: families, consent, KAoA steps, handouts and sync for parent navigators."),
    )
    parser.add_argument("--version", action="version", version=f"elternlotse {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=_("data folder (default: $ELTERNLOTSE_DATA_DIR or the user data folder)"))
    parser.set_defaults(handler=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def run(args: argparse.Namespace, context: CliContext | None = None) -> int:
    if context is None:
        from elternlotse.locations import resolve_data_dir

        context = CliContext(resolve_data_dir(args.data_dir))
    try:
        return int(args.handler(args, context) or 0)
    except ElternlotseError as error:
        log.info("command %s refused: %s %s", args.command, type(error).__name__, error.message_id)
        context.err.write(translate_error(error) + "\n")
        return 1
    except OSError as error:
        from elternlotse.store.safekeeping import fault_error

        fault = fault_error(error, context.data_dir)
        if fault is None:
            raise
        context.err.write(translate_error(fault) + "\n")
        return 1
    except KeyboardInterrupt:
        context.err.write(_("Cancelled; nothing was written.") + "\n")
        return 1
    finally:
        context.close()

