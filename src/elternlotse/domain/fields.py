"""Checks shared by every parser of outside input (family and event documents, catalogues).

Each refuses with one sentence that names the field (``guardians[0].name: must
not be empty.``); callers choose their own defaults for limits.
"""

from __future__ import annotations

from typing import Any

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_


def text_field(value: Any, where: str, required: bool = False, limit: int = 2000) -> str:
    """Stripped text; refuses non-text, empty (if required), too long, control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(N_("{field}: expected text."), field=where)
    value = value.strip()
    if required and not value:
        raise ValidationError(N_("{field}: must not be empty."), field=where)
    if len(value) > limit:
        raise ValidationError(N_("{field}: longer than {limit} characters."), field=where, limit=limit)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise ValidationError(N_("{field}: contains control characters."), field=where)
    return value


def list_field(value: Any, where: str, limit: int = 50) -> list:
    """A list (``None`` is an empty list) of at most ``limit`` entries."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(N_("{field}: expected a list."), field=where)
    if len(value) > limit:
        raise ValidationError(N_("{field}: at most {limit} entries are allowed."), field=where, limit=limit)
    return value
