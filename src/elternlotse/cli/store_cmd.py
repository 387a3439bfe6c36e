"""init, demo, self-test."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from typing import TYPE_CHECKING

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _

if TYPE_CHECKING:
    from elternlotse.app import Services

#: Extra checks run by ``self-test`` (catalogue, handout, ...): ``check(services, workdir) -> str``.
SELF_TEST_CHECKS: list = []


def _handout_check(services, workdir):
    from elternlotse.cli.handout_cmd import self_test_check

    return self_test_check(services, workdir)


SELF_TEST_CHECKS.append(_handout_check)


def _catalog_check(services, workdir):
    from elternlotse.cli.catalog_cmd import self_test_check

    return self_test_check(services, workdir)


SELF_TEST_CHECKS.append(_catalog_check)


def _consent_texts_check(services, workdir):
    from elternlotse.services.consent_texts import self_test_check

    return self_test_check(services, workdir)


SELF_TEST_CHECKS.append(_consent_texts_check)


def _sync_check(services, workdir):
    from elternlotse.cli.sync_cmd import self_test_check

    return self_test_check(services, workdir)


SELF_TEST_CHECKS.append(_sync_check)


def _schema_check(services, workdir):
    problems = services.store.schema_problems()
    if problems:
        raise RuntimeError("schema: " + "; ".join(problems))
    return _("schema: ok (synced tables, append-only triggers and search index as the code expects)")


SELF_TEST_CHECKS.append(_schema_check)


def register(sub) -> None:
    p = sub.add_parser("init", help=_("create the encrypted store; print the node id"))
    p.add_argument("--name", required=True, help=_("your name as navigator, or the office's name"))
    p.add_argument("--organisation", default="", help=_("the organisation you work for"))
    p.add_argument("--office", action="store_true", help=_("this installation is a coordinating office"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help=_("create the store if needed and fill it with demo data"))
    p.add_argument("--families", type=_positive_int, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("self-test", help=_("temporary store: write, read, exit 0"))
    p.set_defaults(handler=cmd_self_test)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a whole number").format(value=text)) from None
    if value < 1 or value > 1_000_000:
        raise argparse.ArgumentTypeError(_("must be between 1 and 1000000"))
    return value


def cmd_init(args, cli: CliContext) -> int:
    from elternlotse.app import create_store
    from elternlotse.store import Store

    from elternlotse.services.passphrase import check_strength

    if Store.exists(cli.data_dir):
        raise ValidationError(N_("A store already exists in {path}; nothing was changed."), path=str(cli.data_dir))
    passphrase = cli.passphrase(confirm=True)
    check_strength(passphrase, (args.name, args.organisation))
    services = create_store(cli.data_dir, passphrase, args.name, args.organisation, args.office, **cli.kdf())
    try:
        cli.say(services.store.info.node_id)
    finally:
        services.store.close()
    return 0


def demo_services(cli: CliContext) -> "Services":
    from elternlotse.app import create_store, open_store
    from elternlotse.store import Store

    passphrase = cli.passphrase(confirm=not Store.exists(cli.data_dir))
    if Store.exists(cli.data_dir):
        return open_store(cli.data_dir, passphrase, **cli.kdf())
    return create_store(cli.data_dir, passphrase, "Demo-Lotsin", "Demo-Koordinierungsstelle", **cli.kdf())


def cmd_demo(args, cli: CliContext) -> int:
    from elternlotse.services.demo import fill_demo, fill_demo_contacts, fill_demo_events

    services = demo_services(cli)
    try:
        created = fill_demo(services, families=args.families, seed=args.seed)
        fill_demo_events(services, seed=args.seed)
        fill_demo_contacts(services, seed=args.seed)
        cli.say(_("{count} demo families added; the store now holds {total}.").format(
            count=created, total=services.families.count()))
    finally:
        services.store.close()
    return 0


def cmd_self_test(args, cli: CliContext) -> int:
    from elternlotse.app import create_store, open_store
    from elternlotse.services.demo import fill_demo

    with tempfile.TemporaryDirectory(prefix="elternlotse-selftest-") as tmp:
        folder = Path(tmp)
        passphrase = os.urandom(12).hex()
        services = create_store(folder, passphrase, "Self-test", **cli.kdf())
        try:
            fill_demo(services, families=3, seed=7)
            rows = services.families.list()
            doc = services.families.document(rows[0].id)
            if not doc["guardians"]:
                raise RuntimeError("a demo family has no guardians")
            found = services.families.list(doc["guardians"][0]["name"])
            if not any(r.id == rows[0].id for r in found):
                raise RuntimeError("search did not find a stored family")
            lines = [_("store: ok ({count} families written and read back)").format(count=len(rows))]
            for check in SELF_TEST_CHECKS:
                lines.append(check(services, folder))
        finally:
            services.store.close()
        reopened = open_store(folder, passphrase, **cli.kdf())
        try:
            if reopened.families.count() != len(rows) or not reopened.store.integrity_ok():
                raise RuntimeError("the reopened store differs")
        finally:
            reopened.store.close()
    for line in lines:
        cli.say(line)
    cli.say(_("self-test passed"))
    return 0
