"""Passphrases worth the name: a strength estimate, a refusal of weak ones, a suggestion of words.

The estimate is zxcvbn's (``score`` 0-4 from the guesses it needs).  A passphrase
is accepted from score 3 on ("safely unguessable" against an offline attack on a
slow hash, which Argon2id is) and with at least ``MIN_PASSPHRASE`` characters.
The check runs where a person chooses a passphrase: ``init``, the first-start
dialog, the passphrase change (CLI and Settings).  Opening a store never judges
the passphrase it is given.

The suggestion draws five words from ``resources/passphrase/words-de.txt`` with
the operating system's random source.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.resources import project_path
from elternlotse.store.database import MIN_PASSPHRASE

MIN_SCORE = 3
#: Words anyone who sees the laptop's screen knows: as easy to guess as the person's own name.
APP_WORDS = ("elternlotse", "elternlotsin", "eltern", "lotse", "lotsin", "koko", "kaoa", "passwort", "passphrase")
SUGGESTED_WORDS = 5
WORD_LIST = ("resources", "passphrase", "words-de.txt")

#: One label per zxcvbn score, shown next to the passphrase field.
WEAK_MESSAGE = N_("This passphrase is too easy to guess; choose four or five unrelated words, for example \"{suggestion}\".")

STRENGTH_LABELS = (
    N_("Strength: very weak"),
    N_("Strength: weak"),
    N_("Strength: fair"),
    N_("Strength: strong"),
    N_("Strength: very strong"),
)


@dataclass(frozen=True)
class Strength:
    score: int          # 0 (guessed at once) .. 4 (very strong)
    acceptable: bool

    @property
    def label(self) -> str:
        """An English msgid: translate where it is shown."""
        return STRENGTH_LABELS[self.score]


def strength(passphrase: str, context: Iterable[str] = ()) -> Strength:
    """zxcvbn's score; ``context`` (the person's name, the organisation) counts as easy to guess."""
    if not passphrase:
        return Strength(0, False)
    from zxcvbn import zxcvbn  # loads its frequency lists: only when a passphrase is chosen

    hints = [*APP_WORDS, *(word for text in context for word in str(text).split() if word)]
    score = int(zxcvbn(passphrase, user_inputs=hints)["score"])
    return Strength(score, score >= MIN_SCORE and len(passphrase) >= MIN_PASSPHRASE)


def check_strength(passphrase: str, context: Iterable[str] = ()) -> None:
    """Refuse a passphrase that is short or easy to guess: one sentence with a suggestion."""
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ValidationError(N_("The passphrase must have at least {count} characters."), count=MIN_PASSPHRASE)
    if not strength(passphrase, context).acceptable:
        raise ValidationError(WEAK_MESSAGE, suggestion=suggest())


@lru_cache(maxsize=1)
def word_list() -> tuple[str, ...]:
    text = project_path(*WORD_LIST).read_text(encoding="utf-8")
    words = [line.strip() for line in text.splitlines()]
    return tuple(sorted({word for word in words if word and not word.startswith("#")}))


def suggest(count: int = SUGGESTED_WORDS) -> str:
    """``count`` words drawn with ``secrets`` from the bundled list, separated by spaces."""
    words = word_list()
    return " ".join(secrets.choice(words) for _ in range(count))
