"""Domain errors: one message id plus named parameters.

The message id is an English gettext msgid with ``{name}`` placeholders; the UI
and the CLI translate it in one place, so a core error reads the same everywhere.
"""

from __future__ import annotations

from typing import Any


class ElternlotseError(Exception):
    """Base class for every error that is meant to be shown to a person."""

    def __init__(self, message_id: str, **params: Any) -> None:
        self.message_id = message_id
        self.params = params
        super().__init__(self.english())

    def english(self) -> str:
        try:
            return self.message_id.format(**self.params)
        except (KeyError, IndexError):
            return self.message_id


class ValidationError(ElternlotseError):
    """Input (a document, an argument, a file) was refused; nothing was written."""


class NotFoundError(ElternlotseError):
    """A record that was asked for does not exist (or was erased)."""


class StoreError(ElternlotseError):
    """The store cannot be opened or used (missing, wrong passphrase, locked)."""


class WrongPassphraseError(StoreError):
    """The passphrase does not open the encrypted store."""


class ConsentError(ElternlotseError):
    """An action needs a consent that is not currently given."""
