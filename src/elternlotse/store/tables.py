"""Which tables and fields are synced record by record.

Every table named here has ``id``, ``created``, ``updated`` and ``deleted``
columns; the write path logs each of its fields per change (sync) and keeps a
tombstone when a row is deleted.  A later migration that adds a synced table
adds it here too.
"""

SYNCED_FIELDS: dict[str, tuple[str, ...]] = {
    # owner: migration 0006, written only by an office's handover; merged_into: migration 0010 (office merges)
    "families": ("notes", "owner", "merged_into"),
    "persons": ("family_id", "role", "name", "grade", "school", "school_year", "languages", "address", "position"),
    "channels": ("person_id", "kind", "value", "app", "position"),
    # KAoA (migration 0002)
    "checklist_items": ("child_id", "family_id", "stage_key", "item_key", "status", "date", "done_by", "note"),
    "child_corrections": ("child_id", "family_id", "kind", "school_year", "grade", "target_group", "school", "note"),
    "events": ("type", "title", "starts", "ends", "place", "topics", "speakers", "languages", "interpreter",
               "headcount", "handouts", "notes"),
    "attendance": ("event_id", "family_id", "person_id", "present"),
    # Contacts and anonymous tallies (migration 0007)
    "contacts": ("family_id", "person_id", "day", "format", "language", "interpreter", "topics", "referral",
                 "follow_up", "outcome", "note", "recorded_by"),
    "tallies": ("day", "format", "count", "language", "topics", "recorded_by"),
    # The partners directory (migration 0012): written only by an office (domain/records.py OFFICE_OWNED)
    "partners": ("kind", "name", "contact_person", "phone", "email", "languages", "notes"),
}

#: Fields that hold personal data: cleared on erasure, also from the change log.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "families": ("notes",),
    "persons": ("name", "school", "address", "languages"),
    "channels": ("value", "app"),
    # KAoA (migration 0002): links to a family are cleared too, so an erased family leaves no trace.
    "checklist_items": ("child_id", "family_id", "note"),
    "child_corrections": ("child_id", "family_id", "school", "note"),
    "events": ("speakers", "notes"),
    "attendance": ("family_id", "person_id"),
    "contacts": ("family_id", "person_id", "note", "referral"),
    "partners": ("contact_person", "phone", "email", "notes"),
}

#: Synced fields a new record may arrive without (the column has a default).
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "families": ("owner", "merged_into"),
}


def required_fields(table: str) -> set[str]:
    return set(SYNCED_FIELDS[table]) - set(OPTIONAL_FIELDS.get(table, ()))


#: Columns of the append-only ``consents`` table, in the order sync payloads list them.
CONSENT_COLUMNS = ("id", "person_id", "purpose", "channel", "granted", "at", "recorded_by", "evidence",
                   "text_version", "text_language", "stamp")
