"""keys card | trust | list | revoke: trust between installations without a network."""

from __future__ import annotations

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _, ngettext


def register(sub) -> None:
    keys = sub.add_parser("keys", help=_("this installation's card; trust an office or admit a navigator"))
    ksub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)

    p = ksub.add_parser("card", help=_("write this installation's public card (give it to the other side)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(handler=cmd_card)

    p = ksub.add_parser("trust", help=_("trust the card of an office (navigator) or admit a navigator (office)"))
    p.add_argument("card", metavar="CARD")
    p.add_argument("--expect", metavar="FINGERPRINT",
                   help=_("the fingerprint the other side read out; refuse the card if it differs"))
    p.set_defaults(handler=cmd_trust)

    p = ksub.add_parser("list", help=_("this installation and the trusted ones"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = ksub.add_parser("revoke", help=_("office: shut out a navigator's key (lost laptop); cannot be undone"))
    p.add_argument("node", metavar="NODE_ID")
    p.add_argument("--reason", default="", help=_("why, for the audit log (e.g. \"laptop stolen\")"))
    p.set_defaults(handler=cmd_revoke)


def cmd_card(args, cli: CliContext) -> int:
    card = cli.services().sync.write_card(args.output)
    cli.say(_("Card written to {path}.").format(path=args.output))
    cli.say(_("Fingerprint: {fingerprint}").format(fingerprint=card.fingerprint))
    return 0


def _normalise(fingerprint: str) -> str:
    return "".join(ch for ch in fingerprint.upper() if ch.isalnum())


def cmd_trust(args, cli: CliContext) -> int:
    sync = cli.services().sync
    card = sync.read_card(args.card)
    if args.expect is not None and _normalise(args.expect) != _normalise(card.fingerprint):
        raise ValidationError(N_("The card's fingerprint {fingerprint} differs from the one you expected; nothing was trusted."),
                              fingerprint=card.fingerprint)
    peer = sync.trust(card)
    cli.say(_("Trusted {role} {name} ({organisation}), node {node}.").format(
        role=peer.role, name=peer.name, organisation=peer.organisation or "-", node=peer.node_id))
    cli.say(_("Fingerprint: {fingerprint}  (compare it with the other side, e.g. by phone)").format(
        fingerprint=peer.fingerprint))
    return 0


def cmd_list(args, cli: CliContext) -> int:
    sync = cli.services().sync
    own = sync.own_card()
    peers = sync.peers()
    if args.json:
        cli.print_json({
            "self": {"node_id": own.node_id, "name": own.name, "organisation": own.organisation, "role": own.role,
                     "fingerprint": own.fingerprint, "signing_key": own.signing_key, "encryption_key": own.encryption_key},
            "trusted": [{"node_id": p.node_id, "name": p.name, "organisation": p.organisation, "role": p.role,
                         "fingerprint": p.fingerprint, "trusted_at": p.trusted_at, "seq_out": p.seq_out,
                         "last_seq_in": p.last_seq_in, "last_import_at": p.last_import_at,
                         "last_export_at": p.last_export_at, "revoked_at": p.revoked_at or None,
                         "revoked_reason": p.revoked_reason} for p in peers],
        })
        return 0
    cli.say(_("This installation: {name} ({role}), node {node}, fingerprint {fingerprint}").format(
        name=own.name, role=own.role, node=own.node_id, fingerprint=own.fingerprint))
    for p in peers:
        line = f"{p.node_id}  {p.role:<9}  {p.fingerprint}  {p.name}"
        if p.revoked:
            line += "  " + _("(revoked on {date})").format(date=p.revoked_on)
        cli.say(line)
    if not peers:
        cli.say(_("No trusted installations yet."))
    return 0


def cmd_revoke(args, cli: CliContext) -> int:
    sync = cli.services().sync
    peer = sync.revoke(args.node, args.reason)
    cli.say(_("The key of {name} ({node}) is revoked as of {date}: files signed with it are refused and no packages "
              "are made for it.").format(name=peer.name, node=peer.node_id, date=peer.revoked_on))
    count = len(sync.families_of(peer.node_id))
    if count:
        cli.say(ngettext("{count} family is owned by {node}: hand it to another navigator with "
                         "'elternlotse handover --from {node} --to NODE_ID'.",
                         "{count} families are owned by {node}: hand them to another navigator with "
                         "'elternlotse handover --from {node} --to NODE_ID'.", count).format(count=count, node=peer.node_id))
    return 0
