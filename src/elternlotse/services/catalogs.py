"""Catalogues: the bundled ones plus those installed into the store (from a file or the office's sync files).

A newer version of a catalogue id replaces the older one; progress is kept
because checklist items are recorded under stage key + item key, not under a
version.  The catalogue in use on a day is the highest version whose
``valid_from`` has come (or the lowest version, before any has).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from elternlotse.catalogs import bundled_catalogs, catalog_to_document, parse_catalog
from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.kaoa import Catalog
from elternlotse.domain.text import N_
from elternlotse.store import Store
from elternlotse.store import kaoa as repo

DEFAULT_CATALOG = "nrw-kaoa"
ACTIVE_KEY = "catalog.active"


@dataclass(frozen=True)
class InstallResult:
    catalog: Catalog
    status: str  # "installed" (new id), "replaced" (newer version), "unchanged", "older"


class CatalogService:
    def __init__(self, store: Store, bundled: list[Catalog] | None = None) -> None:
        self.store = store
        self._bundled = bundled
        self._parsed: dict[tuple[str, str], Catalog] = {}

    # ---------------------------------------------------------------- reading
    def bundled(self) -> list[Catalog]:
        if self._bundled is None:
            self._bundled = bundled_catalogs()
        return self._bundled

    def _all_versions(self) -> dict[str, list[Catalog]]:
        found: dict[str, dict[str, Catalog]] = {}
        for catalog in self.bundled():
            found.setdefault(catalog.id, {})[catalog.version] = catalog
        for row in repo.installed_catalogs(self.store.conn):
            key = (row.catalog_id, row.version)
            if key not in self._parsed:
                self._parsed[key] = parse_catalog(json.loads(row.document))
            found.setdefault(row.catalog_id, {})[row.version] = self._parsed[key]
        return {cid: sorted(versions.values(), key=lambda c: c.version_key) for cid, versions in found.items()}

    def versions(self, catalog_id: str) -> list[Catalog]:
        return self._all_versions().get(catalog_id, [])

    def catalogs(self, on: date | None = None) -> list[Catalog]:
        """The catalogue in use for every id (sorted by id)."""
        return [_pick(versions, on or date.today()) for _, versions in sorted(self._all_versions().items())]

    def get(self, catalog_id: str | None = None, on: date | None = None) -> Catalog:
        catalog_id = catalog_id or self.active_id()
        versions = self.versions(catalog_id)
        if not versions:
            raise NotFoundError(N_("No catalogue with the id {id}."), id=catalog_id)
        return _pick(versions, on or date.today())

    def active_id(self) -> str:
        return self.store.meta(ACTIVE_KEY) or DEFAULT_CATALOG

    def set_active(self, catalog_id: str) -> None:
        self.get(catalog_id)
        with self.store.write(self.store.info.name, "catalog.activate", catalog_id):
            self.store.set_meta(ACTIVE_KEY, catalog_id)

    # ---------------------------------------------------------------- installing
    def install(self, catalog_json: Any, origin: str = "sync") -> InstallResult:
        """Validate and store a catalogue (dict, JSON text or bytes) in one transaction."""
        if isinstance(catalog_json, bytes):
            catalog_json = catalog_json.decode("utf-8")
        if isinstance(catalog_json, str):
            try:
                catalog_json = json.loads(catalog_json)
            except json.JSONDecodeError as error:
                raise ValidationError(N_("{source} is not valid JSON (line {line}, column {column})."),
                                      source="catalogue", line=error.lineno, column=error.colno) from None
        catalog = parse_catalog(catalog_json)
        document = json.dumps(catalog_to_document(catalog), ensure_ascii=False, sort_keys=True)
        versions = self.versions(catalog.id)
        same = next((c for c in versions if c.version == catalog.version), None)
        if same is not None:
            if json.dumps(catalog_to_document(same), ensure_ascii=False, sort_keys=True) == document:
                return InstallResult(same, "unchanged")
            raise ValidationError(
                N_("version: version {version} of the catalogue {id} is already installed with different content; give the new one a higher version."),
                version=catalog.version, id=catalog.id)
        newest = versions[-1] if versions else None
        if newest is not None and catalog.version_key < newest.version_key:
            return InstallResult(catalog, "older")
        with self.store.write(self.store.info.name, "catalog.install", f"{catalog.id}@{catalog.version}") as writer:
            repo.save_catalog(writer, catalog.id, catalog.version, catalog.valid_from.isoformat(), document, origin)
        self._parsed[(catalog.id, catalog.version)] = catalog
        return InstallResult(catalog, "replaced" if newest is not None else "installed")


def _pick(versions: list[Catalog], day: date) -> Catalog:
    valid = [c for c in versions if c.valid_from <= day]
    return valid[-1] if valid else versions[0]
