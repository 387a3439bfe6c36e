"""What every CLI command gets: the data folder, output streams, the store on demand."""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from elternlotse.domain.errors import StoreError
from elternlotse.domain.text import N_
from elternlotse.i18n import _
from elternlotse.locations import PASSPHRASE_ENV

if TYPE_CHECKING:
    from elternlotse.app import Services
    from elternlotse.store.keys import KeyDerivation


@dataclass
class CliContext:
    data_dir: Path
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    #: None: the production key derivation.  Only the tests' fixture passes another one.
    key_derivation: "KeyDerivation | None" = None
    _services: "Services | None" = None

    def kdf(self) -> dict:
        """Keyword arguments for ``app.create_store``/``open_store`` and the passphrase change."""
        return {} if self.key_derivation is None else {"key_derivation": self.key_derivation}

    def passphrase(self, confirm: bool = False) -> str:
        value = os.environ.get(PASSPHRASE_ENV)
        if value:
            return value
        if not self.stdin.isatty():
            raise StoreError(N_("No passphrase: set {env} or run the command in a terminal."), env=PASSPHRASE_ENV)
        first = getpass.getpass(_("Passphrase: "))
        if confirm and getpass.getpass(_("Passphrase (again): ")) != first:
            raise StoreError(N_("The two passphrases differ; nothing was created."))
        return first

    def services(self) -> "Services":
        from elternlotse.app import open_store  # the store stack loads only for commands that need it

        if self._services is None:
            self._services = open_store(self.data_dir, self.passphrase(), **self.kdf())
            from elternlotse.i18n import translate_error

            for notice in self._services.store.notices:  # e.g. permissions repaired: said once
                self.err.write(translate_error(notice) + "\n")
            self._services.store.notices.clear()
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.store.close()
            self._services = None

    def print_json(self, value: Any) -> None:
        json.dump(value, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def say(self, text: str) -> None:
        self.out.write(text + "\n")


def read_json_input(source: str | None, stdin: TextIO) -> Any:
    """Read a JSON document from FILE or '-' (standard input)."""
    from elternlotse.domain.errors import ValidationError

    try:
        if source in (None, "-"):
            text = stdin.read()
            where = "standard input"
        else:
            where = source
            text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(N_("The file {path} does not exist."), path=source) from None
    except (OSError, UnicodeDecodeError):
        raise ValidationError(N_("The file {path} cannot be read as UTF-8 text."), path=source) from None
    from elternlotse.domain.fields import load_document

    return load_document(text, where)   # depth and numbers bounded before parsing (docs/family-document.md)
