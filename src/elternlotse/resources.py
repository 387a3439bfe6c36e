"""Where bundled files live: the source tree or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def project_path(*parts: str) -> Path:
    """Path below the project root (``resources/``, ``translations/``).

    In a frozen build the folders sit next to the executable's internal data
    directory (``sys._MEIPASS``); from a source checkout they sit three levels
    above this file.  Installed as a wheel, ``resources`` and ``translations``
    are shipped inside the package as ``elternlotse/_data``.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root).joinpath(*parts)
    here = Path(__file__).resolve().parent
    source_root = here.parent.parent
    if (source_root / "resources").is_dir():
        return source_root.joinpath(*parts)
    return here.joinpath("_data", *parts)
