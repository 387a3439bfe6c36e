"""What became of one roll-up file, as one sentence: the same words in the window and the CLI."""

from __future__ import annotations

from datetime import date

from elternlotse.i18n import _, translate_error
from elternlotse.i18n.formatting import format_date


def outcome_sentence(item, isolate=str) -> str:
    """``item`` is a ``services.rollup.RollupOutcome``; ``isolate`` wraps names for right-to-left text."""
    if item.outcome == "refused":
        return translate_error(item.error, isolate=isolate is not str)
    params = {"office": isolate(item.name), "first": format_date(date.fromisoformat(item.first), "short"),
              "last": format_date(date.fromisoformat(item.last), "short")}
    if item.outcome == "replaced":
        return _("{office}: roll-up for {first} to {last} stored; it replaces an older one.").format(**params)
    if item.outcome == "known":
        return _("{office}: this roll-up for {first} to {last} (or a newer one) is already stored.").format(**params)
    return _("{office}: roll-up for {first} to {last} stored.").format(**params)
