"""Reading catalogue files: the bundled ones under resources/catalogs/ and any file given."""

from __future__ import annotations

from pathlib import Path

from elternlotse.catalogs.validate import parse_catalog
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import load_document
from elternlotse.domain.kaoa import Catalog
from elternlotse.domain.text import N_
from elternlotse.resources import project_path


def catalogs_dir() -> Path:
    return project_path("resources", "catalogs")


def parse_catalog_text(text: str, where: str = "catalogue") -> Catalog:
    data = load_document(text, where)   # depth and numbers bounded before parsing
    return parse_catalog(data)


def load_catalog_file(path: str | Path) -> Catalog:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(N_("The file {path} does not exist."), path=str(path)) from None
    except (OSError, UnicodeDecodeError):
        raise ValidationError(N_("The file {path} cannot be read as UTF-8 text."), path=str(path)) from None
    return parse_catalog_text(text, path.name)


def bundled_catalogs(folder: Path | None = None) -> list[Catalog]:
    """Every catalogue shipped with the app (sorted by id)."""
    folder = folder or catalogs_dir()
    found = [load_catalog_file(p) for p in sorted(folder.glob("*.json"))]
    return sorted(found, key=lambda c: c.id)
