"""Where the data lives and where the passphrase may come from (light: no store imports)."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "ELTERNLOTSE_DATA_DIR"
PASSPHRASE_ENV = "ELTERNLOTSE_PASSPHRASE"
STORE_FILE = "elternlotse.db"  # the encrypted store inside the data folder (elternlotse.store)


def store_exists(data_dir: str | os.PathLike) -> bool:
    """Whether ``data_dir`` holds a store; answers without importing SQLCipher (start-up)."""
    return (Path(data_dir) / STORE_FILE).is_file()
NEW_PASSPHRASE_ENV = "ELTERNLOTSE_NEW_PASSPHRASE"


def resolve_data_dir(cli_value: str | os.PathLike | None = None) -> Path:
    """``--data-dir``, else ``ELTERNLOTSE_DATA_DIR``, else the platform's user data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]).expanduser()
    import platformdirs

    from elternlotse import APP_NAME

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
