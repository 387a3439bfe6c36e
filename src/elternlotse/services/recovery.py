"""Recovery key use cases: make one (with its printed sheet), set a new passphrase with it.

Order of a new key, so that no sheet is ever wrong: the sheet is written first
(atomically); only then does the key file get the new slot.  If that fails, the sheet
is deleted and the old recovery key (if any) still works.  The key itself is returned
to the caller once (the window shows it once; the CLI prints it only with ``--show``)
and is never stored in clear.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.store import database, keys, recovery

SHEET_NOT_WRITTEN = N_("The sheet {path} cannot be written ({reason}); no recovery key was made.")


def has_recovery_key(store) -> bool:
    key_file = keys.read_key_file(keys.key_file_path(store.path))
    return key_file is not None and key_file.recovery is not None


def create_recovery_key(store, sheet: Path | None, language: str, today: date | None = None) -> str:
    """A new recovery key for the open ``store`` (replacing an older one); its sheet in ``language`` + German."""
    key = recovery.new_recovery_key()
    written = None
    if sheet is not None:
        from elternlotse.reports.recovery_sheet import write_sheet

        info, sheet = store.info, Path(sheet)
        if sheet.is_dir():
            raise ValidationError(N_("{path} is a folder; give a file name."), path=str(sheet))
        try:
            written = write_sheet(sheet, key, [language, "de"], info.name, info.organisation,
                                  (today or date.today()).isoformat())
        except OSError as error:
            raise ValidationError(SHEET_NOT_WRITTEN, path=str(sheet),
                                  reason=error.strerror or type(error).__name__) from None
    try:
        database.set_recovery_key(store, key)
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    return key


def recover(data_dir: Path, recovery_key: str, new_passphrase: str, key_derivation=keys.PRODUCTION) -> None:
    """Set ``new_passphrase`` with the recovery key (the store must be closed); crash-safe."""
    from elternlotse.services.passphrase import check_strength

    recovery.parse_key(recovery_key)  # a typo is named before the passphrase is judged
    check_strength(new_passphrase)
    database.recover_passphrase(Path(data_dir), recovery_key, new_passphrase, key_derivation)
