"""Vocational-orientation catalogues: strict validation and the bundled files.

Layer: imports ``elternlotse.domain`` only (plus ``elternlotse.resources`` to
find the bundled files).  The shape of a catalogue is ``domain.kaoa``; the file
format is described in docs/catalogs.md.
"""

from elternlotse.catalogs.loader import bundled_catalogs, load_catalog_file, parse_catalog_text
from elternlotse.catalogs.validate import catalog_to_document, parse_catalog

__all__ = ["bundled_catalogs", "catalog_to_document", "load_catalog_file", "parse_catalog", "parse_catalog_text"]
