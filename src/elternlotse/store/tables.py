"""Which tables and fields are synced record by record.

Every table named here has ``id``, ``created``, ``updated`` and ``deleted``
columns; the write path logs each of its fields per change (sync) and keeps a
tombstone when a row is deleted.  A later migration that adds a synced table
adds it here too.
"""

SYNCED_FIELDS: dict[str, tuple[str, ...]] = {
    "families": ("notes",),
    "persons": ("family_id", "role", "name", "grade", "school", "school_year", "languages", "address", "position"),
    "channels": ("person_id", "kind", "value", "app", "position"),
}

#: Fields that hold personal data: cleared on erasure, also from the change log.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "families": ("notes",),
    "persons": ("name", "school", "address", "languages"),
    "channels": ("value", "app"),
}
