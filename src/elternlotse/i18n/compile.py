"""Compile every translations/<lang>/LC_MESSAGES/elternlotse.po to .mo (build output)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from elternlotse.i18n import DOMAIN, translations_dir


def compile_all(directory: Path | None = None) -> list[Path]:
    directory = directory or translations_dir()
    written = []
    for po_path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        tmp.replace(mo_path)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(path)
    sys.exit(0)
