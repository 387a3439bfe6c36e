"""argparse's own texts ("usage:", "options", "the following arguments are required")
in the UI language.

argparse translates through ``gettext.gettext`` with the process-wide default domain,
which knows nothing of our chosen language.  ``localise_argparse()`` points argparse's
module-level ``_``/``ngettext`` at ours (they read the active catalogue at call time);
the msgids below are argparse's own (Python 3.11-3.13), marked here so that Babel
extracts them into our catalogue.  Only texts a person can meet are listed; argparse's
errors about a wrongly built parser are programmer errors and stay English.
"""

from __future__ import annotations

import argparse

from elternlotse.i18n import N_, _, ngettext

TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _plural_marker(n: int) -> str:  # never called: marks argparse's plural msgid for extraction
    return ngettext("expected %s argument", "expected %s arguments", n)


def localise_argparse() -> None:
    """Make argparse read our active catalogue (idempotent)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
