"""Numbered schema migrations: ``mNNNN_name.py`` with ``apply(conn)``.

They run in order inside one transaction each; a copy of the database file is
taken before each (see ``Store._migrate``).  Never edit a released migration:
add the next number.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

_NAME = re.compile(r"^m(\d{4})_\w+$")


def all_migrations() -> list[tuple[int, ModuleType]]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = _NAME.match(info.name)
        if match:
            found.append((int(match.group(1)), importlib.import_module(f"{__name__}.{info.name}")))
    found.sort(key=lambda pair: pair[0])
    numbers = [n for n, _ in found]
    # Numbers are handed out to parallel branches in advance, so one branch may hold 6 without 5:
    # unique and ascending is the rule; every module runs once, in order.
    if len(set(numbers)) != len(numbers) or not numbers or numbers[0] != 1:
        raise RuntimeError(f"migration numbers must be unique and start at 1, found {numbers}")
    return found
