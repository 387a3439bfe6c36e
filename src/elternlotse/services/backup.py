"""Back up the open store to one file, restore a backup into a new data folder (issue 12, item 6).

The file format and the checks are in ``store/backup.py`` and docs/backup-format.md.
A restored backup may be older than what the office holds; the office notices that
from the restored laptop's first file (its receipt went backwards) and sends the
erasures made since again (``services/sync.py``, docs/sync-format.md, "Restored laptops").
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from elternlotse.domain.errors import StoreError
from elternlotse.store import Store
from elternlotse.store import backup as backup_file
from elternlotse.store.backup import BackupHeader, BackupResult

log = logging.getLogger(__name__)  # sizes and counts only

Progress = Callable[[int, int], None]


class BackupService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def backup(self, target: str | Path, progress: Progress | None = None) -> BackupResult:
        """An encrypted, verified copy of the whole store at ``target`` (complete or absent)."""
        result = backup_file.make_backup(self.store, Path(target), progress)
        try:
            with self.store.write(self.store.info.name, "store.backup", str(result.rows)):
                pass  # the audit entry: a backup was made (its place is not recorded: it may name a person's stick)
        except StoreError as error:  # a read-only data folder: the backup itself is complete and checked
            log.warning("backup not audited: %s", error.message_id)
        log.info("backup written bytes=%d rows=%d", result.bytes, result.rows)
        return result


def restore(source: str | Path, data_dir: str | Path, passphrase: str, progress: Progress | None = None) -> BackupHeader:
    """Restore ``source`` into ``data_dir`` (absent or empty), checked before it is put in place.

    The key comes from the backup's own key file and the passphrase; no new salt is made,
    so no key derivation parameters are needed here.
    """
    header = backup_file.restore_backup(Path(source), Path(data_dir), passphrase, progress)
    log.info("backup restored schema=%d bytes=%d", header.schema_version, header.size)
    return header
