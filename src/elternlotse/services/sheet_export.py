"""Export of families, contacts and events as XLSX for the office's own lists, labels in a chosen language.

Only what consent allows leaves the store: a family only while a guardian consents to storing
its data; a guardian's phone numbers only with consent to phone, SMS or messenger contact, the
e-mail address only with consent to e-mail, the address only with consent to post.  Notes
(families and contacts) never leave.  Text is written as plain string cells (never a formula,
``reports.tabular._put``), the file atomically and owner-only (``write_atomically``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from elternlotse.domain.consent import PURPOSE_LABELS, Channel, Purpose, derive
from elternlotse.domain.contact import display_phone
from elternlotse.domain.contact_log import CONTACT_FORMAT_LABELS, OUTCOME_LABELS
from elternlotse.domain.errors import ElternlotseError, ValidationError
from elternlotse.domain.events import EVENT_TYPE_LABELS
from elternlotse.domain.text import N_
from elternlotse.services.families import has_store_consent
from elternlotse.store import Store
from elternlotse.store import families as repo
from elternlotse.store import sheets as sheet_repo

KINDS = ("families", "contacts", "events")
MAX_EXPORT_ROWS = 1_000_000
_PHONE_CHANNELS = (Channel.PHONE, Channel.SMS, Channel.MESSENGER)

FAMILY_COLUMNS = (N_("Family id"), N_("Guardian's name"), N_("Phone"), N_("E-mail"), N_("Address"), N_("Languages"),
                  N_("Children"), N_("Consents"))
CONTACT_COLUMNS = (N_("Contact id"), N_("Family id"), N_("Day"), N_("Format"), N_("Language"), N_("Interpreter"),
                   N_("Topics"), N_("Referral"), N_("Follow-up"), N_("Outcome"), N_("Recorded by"))
EVENT_COLUMNS = (N_("Event id"), N_("Type"), N_("Title"), N_("Starts"), N_("Ends"), N_("Place"), N_("Topics"),
                 N_("Languages"), N_("Interpreter"), N_("Headcount"), N_("Present (attendance)"))
SHEET_TITLES = {"families": N_("Families"), "contacts": N_("Contacts"), "events": N_("Events")}


class SheetExportService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def rows(self, kind: str, translate: Callable[[str], str]) -> list[list]:
        if kind not in KINDS:
            raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="export", value=kind[:40],
                                  allowed=", ".join(KINDS))
        header = [translate(c) for c in {"families": FAMILY_COLUMNS, "contacts": CONTACT_COLUMNS,
                                         "events": EVENT_COLUMNS}[kind]]
        return [header, *getattr(self, f"_{kind}")(translate)]

    def _families(self, translate) -> list[list]:
        out = []
        conn = self.store.conn
        for family_id in sheet_repo.family_ids(conn, MAX_EXPORT_ROWS):
            family = repo.load_family(conn, family_id)
            if not has_store_consent(family):
                continue  # no lawful basis to hold it, so none to hand it on
            for guardian in family.guardians:
                state = derive(guardian.id, family.consents)
                if not state.allows(Purpose.STORE):
                    continue
                phones = [display_phone(p) for p in guardian.phones] if any(
                    state.allows(Purpose.CONTACT, c) for c in _PHONE_CHANNELS) else []
                emails = guardian.emails if state.allows(Purpose.CONTACT, Channel.EMAIL) else []
                address = guardian.address if state.allows(Purpose.CONTACT, Channel.POST) else ""
                children = ", ".join(f"{c.first_name} ({c.grade})" if c.first_name else str(c.grade)
                                     for c in family.children)
                consents = ", ".join(translate(PURPOSE_LABELS[p]) for p in Purpose if state.allows(p) or (
                    p is Purpose.CONTACT and state.contact_channels()))
                out.append([family.id, guardian.name, ", ".join(phones), ", ".join(emails), address,
                            ", ".join(guardian.languages), children, consents])
        return out

    def _contacts(self, translate) -> list[list]:
        conn = self.store.conn
        allowed: dict[str, bool] = {}
        out = []
        for row in sheet_repo.contact_rows(conn, MAX_EXPORT_ROWS):
            family_id = row["family_id"]
            if family_id and family_id not in allowed:
                try:
                    allowed[family_id] = has_store_consent(repo.load_family(conn, family_id))
                except ElternlotseError:
                    allowed[family_id] = False
            shown_family = family_id if family_id and allowed[family_id] else ""
            out.append([row["id"], shown_family, row["day"], translate(CONTACT_FORMAT_LABELS.get(row["format"], row["format"]))
                        if row["format"] in CONTACT_FORMAT_LABELS else row["format"], row["language"],
                        translate(N_("yes")) if row["interpreter"] else translate(N_("no")), ", ".join(row["topics"]),
                        row["referral"] if shown_family else "",
                        row["follow_up"], translate(OUTCOME_LABELS[row["outcome"]]) if row["outcome"] in OUTCOME_LABELS
                        else row["outcome"], row["recorded_by"]])
        return out

    def _events(self, translate) -> list[list]:
        out = []
        for row in sheet_repo.event_rows(self.store.conn, MAX_EXPORT_ROWS):
            out.append([row["id"], translate(EVENT_TYPE_LABELS[row["type"]]) if row["type"] in EVENT_TYPE_LABELS
                        else row["type"], row["title"], row["starts"], row["ends"], row["place"],
                        ", ".join(map(str, row["topics"])), ", ".join(map(str, row["languages"])),
                        translate(N_("yes")) if row["interpreter"] else translate(N_("no")), row["headcount"],
                        row["present"]])
        return out

    def xlsx(self, kind: str, translate: Callable[[str], str], rows: list[list] | None = None) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from elternlotse.reports.tabular import _put, _sheet_name

        rows = self.rows(kind, translate) if rows is None else rows
        book = Workbook(write_only=False)
        sheet = book.active
        sheet.title = _sheet_name(translate(SHEET_TITLES[kind]), set())
        bold = Font(bold=True)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                _put(sheet, r, c, value, bold if r == 1 else None)
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def write(self, kind: str, path: str | Path, translate: Callable[[str], str]) -> int:
        """Write the XLSX owner-only and atomically; return the number of data rows."""
        from elternlotse.reports.tabular import write_atomically

        rows = self.rows(kind, translate)
        write_atomically(Path(path), self.xlsx(kind, translate, rows))
        return len(rows) - 1
