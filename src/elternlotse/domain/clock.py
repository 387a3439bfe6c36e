"""Hybrid logical clock (HLC) stamps, sortable as text.

A stamp is ``<wall ms, 13 digits>-<counter, 4 hex>-<node id>``: comparing two
stamps as strings orders them by wall time, then counter, then node, which is
the total order last-writer-wins needs.  The clock never goes backwards, even
if the laptop's wall clock does, and it moves past any stamp it receives.

Whatever arrives, the clock stays in a state that parses and keeps writing:
a received stamp is followed at most ``MAX_SKEW_MS`` ahead of the own wall
clock (an import refuses such files before; this is the second line), and the
wall part never grows past ``MAX_WALL_MS`` (13 digits).  A counter run out
within one millisecond borrows the next millisecond.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

_STAMP = re.compile(r"^(\d{13})-([0-9a-f]{4})-([0-9a-f]{8,32})$")
MAX_COUNTER = 0xFFFF
MAX_WALL_MS = 10 ** 13 - 1
#: How far ahead of this laptop's wall clock a received stamp may be (24 hours).
MAX_SKEW_MS = 24 * 60 * 60 * 1000


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:04x}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> "Stamp":
        match = _STAMP.match(text or "") if isinstance(text, str) else None
        if not match:
            raise ValidationError(N_("'{value}' is not a valid clock stamp."), value=str(text)[:80])
        return cls(int(match.group(1)), int(match.group(2), 16), match.group(3))


def wall_of(stamp: str) -> int:
    """The wall time (ms) of a well-formed stamp."""
    return int(stamp[:13])


def too_far_ahead(stamp: str, now_ms: int) -> bool:
    """True if a well-formed stamp lies more than ``MAX_SKEW_MS`` ahead of ``now_ms``."""
    return bool(stamp) and wall_of(stamp) > now_ms + MAX_SKEW_MS


class HybridClock:
    """Issues strictly increasing stamps for one node."""

    def __init__(self, node: str, last: str | None = None, wall: Callable[[], float] = time.time) -> None:
        self.node = node
        self._wall = wall
        self._last = Stamp.parse(last) if last else Stamp(0, 0, node)

    @property
    def last(self) -> str:
        return str(self._last)

    def _wall_ms(self) -> int:
        return min(max(int(self._wall() * 1000), 0), MAX_WALL_MS)

    def now(self) -> str:
        wall_ms = self._wall_ms()
        if wall_ms > self._last.wall_ms:
            stamp = Stamp(wall_ms, 0, self.node)
        else:
            stamp = self._bump(self._last.wall_ms, self._last.counter)
        self._last = stamp
        return str(stamp)

    def observe(self, remote: str) -> None:
        """Move past a stamp received from another node (sync import).

        A stamp further ahead than ``MAX_SKEW_MS`` is followed only up to that
        bound, so a poisoned stamp cannot push this clock out of its range.
        """
        other = Stamp.parse(remote)
        wall_ms = self._wall_ms()
        limit = min(wall_ms + MAX_SKEW_MS, MAX_WALL_MS - 1)
        if other.wall_ms > limit:
            other = Stamp(limit, 0, other.node)
        top = max(self._last.wall_ms, other.wall_ms, wall_ms)
        if top == self._last.wall_ms == other.wall_ms:
            counter = max(self._last.counter, other.counter)
        elif top == self._last.wall_ms:
            counter = self._last.counter
        elif top == other.wall_ms:
            counter = other.counter
        else:
            self._last = Stamp(top, 0, self.node)
            return
        self._last = Stamp(top, counter, self.node)

    def _bump(self, wall_ms: int, counter: int) -> Stamp:
        if counter >= MAX_COUNTER:
            # Counter exhausted within one millisecond: borrow the next millisecond.
            if wall_ms >= MAX_WALL_MS:
                raise ValidationError(N_("The clock of this installation has run out of stamps; check the computer's date."))
            return Stamp(wall_ms + 1, 0, self.node)
        return Stamp(wall_ms, counter + 1, self.node)
