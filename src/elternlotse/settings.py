"""Settings readable before the store is unlocked (UI language, idle lock time).

A small JSON file ``settings.json`` in the data folder, written atomically
(temporary file + ``os.replace``).  It holds nothing personal: the store itself
stays the only place for data about families.  Qt-free, used by CLI and GUI.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

FILE_NAME = "settings.json"
MAX_IDLE_MINUTES = 24 * 60


@dataclass
class Settings:
    ui_language: str = ""          # "" = the system's language
    idle_lock_minutes: int = 10    # 0 = never lock

    def with_value(self, key: str, value: Any) -> "Settings":
        """A copy with ``key`` set from text or a value; refuses unknown keys and bad values."""
        known = {f.name: f for f in fields(self)}
        if key not in known:
            raise ValidationError(N_("{field}: unknown setting (one of: {allowed})."), field=key, allowed=", ".join(known))
        data = asdict(self)
        data[key] = value
        return _validated(data)


def path_in(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _validated(data: dict[str, Any]) -> Settings:
    settings = Settings()
    language = data.get("ui_language", "")
    if not isinstance(language, str) or len(language) > 20 or any(not (c.isalnum() or c in "-_") for c in language):
        raise ValidationError(N_("{field}: '{value}' is not a language tag."), field="ui_language", value=str(language))
    settings.ui_language = language
    minutes = data.get("idle_lock_minutes", settings.idle_lock_minutes)
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError(N_("{field}: expected a whole number."), field="idle_lock_minutes") from None
    if not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ValidationError(N_("{field}: must be between {low} and {high}."), field="idle_lock_minutes",
                              low=0, high=MAX_IDLE_MINUTES)
    settings.idle_lock_minutes = minutes
    return settings


def load(data_dir: Path) -> Settings:
    """The settings of ``data_dir``; defaults when the file is missing or unreadable."""
    try:
        data = json.loads(path_in(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    try:
        return _validated(data)
    except ValidationError:
        return Settings()


def save(data_dir: Path, settings: Settings) -> Path:
    """Write atomically: a reader sees the old file or the new one, never half of it."""
    folder = Path(data_dir)
    if not folder.is_dir():
        folder.mkdir(parents=True, mode=0o700)  # the data folder is readable by its owner only
    target = path_in(folder)
    handle, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(settings), out, ensure_ascii=False, indent=2)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
