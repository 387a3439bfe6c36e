"""Spreadsheet import: which column holds what, and one row turned into a family document.

Pure rules, no files: ``guess_mapping`` reads German and English headers, ``parse_mapping``
validates a saved mapping (hostile input: bounded, known fields only, no field twice),
``row_document`` turns the cells of one row into the portable family document that
``parse_family_document`` then holds to the same rules as ``family add`` and quick capture.
Consent columns become consent entries with the evidence "imported from the office's list"
and the text version "unknown" (the office's list does not say which text the parent saw).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from elternlotse.domain.consent import Channel, Evidence, Purpose
from elternlotse.domain.contact import normalise_email
from elternlotse.domain.sheet_cells import (
    cell_text,
    grade_value,
    languages_value,
    moment_value,
    phone_value,
    yes_no,
)
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import clean_text, load_document
from elternlotse.domain.search_text import fold
from elternlotse.domain.text import N_

MAPPING_FORMAT = "elternlotse.import-map/1"
MAX_COLUMNS = 200
MAX_HEADER = 200
UNKNOWN_TEXT_VERSION = "unknown"

#: Field keys a column can be mapped to, with the label shown for them (msgids).
FIELDS: dict[str, str] = {
    "family_id": N_("Family id"),
    "guardian_name": N_("Guardian's name"),
    "guardian_first_name": N_("Guardian's first name"),
    "guardian_last_name": N_("Guardian's family name"),
    "phone": N_("Phone"),
    "phone2": N_("Second phone"),
    "email": N_("E-mail"),
    "languages": N_("Languages"),
    "address": N_("Address"),
    "child_first_name": N_("Child's first name"),
    "child_grade": N_("Child's grade"),
    "child_school": N_("Child's school"),
    "notes": N_("Notes"),
    "consent_date": N_("Date of consent"),
    "consent_store": N_("Consent: store the contact details"),
    "consent_phone": N_("Consent: phone calls"),
    "consent_sms": N_("Consent: SMS"),
    "consent_email": N_("Consent: e-mail"),
    "consent_messenger": N_("Consent: messenger"),
    "consent_post": N_("Consent: post"),
    "consent_invitations": N_("Consent: invitations to events"),
    "consent_office": N_("Consent: pass data to the office"),
    "consent_photos": N_("Consent: photos at events"),
}

#: Consent columns: the purpose and channel each records.
CONSENT_FIELDS: dict[str, tuple[Purpose, Channel | None]] = {
    "consent_store": (Purpose.STORE, None),
    "consent_phone": (Purpose.CONTACT, Channel.PHONE),
    "consent_sms": (Purpose.CONTACT, Channel.SMS),
    "consent_email": (Purpose.CONTACT, Channel.EMAIL),
    "consent_messenger": (Purpose.CONTACT, Channel.MESSENGER),
    "consent_post": (Purpose.CONTACT, Channel.POST),
    "consent_invitations": (Purpose.EVENT_INVITATIONS, None),
    "consent_office": (Purpose.PASS_TO_OFFICE, None),
    "consent_photos": (Purpose.PHOTOS, None),
}

# Headers as offices write them (folded: lower case, no accents, letters and digits only).
_HEADERS: dict[str, tuple[str, ...]] = {
    "family_id": ("id", "familyid", "familienid", "familieid"),
    "guardian_name": ("name", "eltern", "elternteil", "elternname", "nameeltern", "nameelternteil", "erziehungsberechtigte",
                      "erziehungsberechtigter", "erziehungsberechtigtename", "parent", "parentname", "guardian",
                      "guardianname", "guardiansname", "mutter", "vater", "muttervater"),
    "guardian_first_name": ("vorname", "vornameeltern", "vornameelternteil", "firstname", "givenname", "parentfirstname"),
    "guardian_last_name": ("nachname", "familienname", "zuname", "lastname", "surname", "familyname", "parentlastname"),
    "phone": ("telefon", "tel", "telefonnummer", "telnr", "handy", "handynummer", "mobil", "mobilnummer", "mobiltelefon",
              "phone", "phonenumber", "mobile", "telephone", "telefon1", "phone1"),
    "phone2": ("telefon2", "tel2", "handy2", "phone2", "weiterestelefon", "festnetz", "secondphone"),
    "email": ("email", "mail", "emailadresse", "mailadresse", "emailaddress"),
    "languages": ("sprache", "sprachen", "familiensprache", "herkunftssprache", "muttersprache", "language", "languages"),
    "address": ("adresse", "anschrift", "address", "wohnort", "strasse"),
    "child_first_name": ("kind", "vornamekind", "namekind", "kindvorname", "schuelerin", "schueler", "child",
                         "childfirstname", "childname", "student"),
    "child_grade": ("klasse", "jahrgang", "jahrgangsstufe", "stufe", "grade", "childgrade", "klassestufe"),
    "child_school": ("schule", "school", "childschool", "schulname"),
    "notes": ("notizen", "notiz", "bemerkung", "bemerkungen", "anmerkung", "anmerkungen", "kommentar", "notes", "note",
              "comment", "comments"),
    "consent_date": ("datumeinwilligung", "einwilligungsdatum", "einwilligungvom", "datumeinverstaendnis",
                     "consentdate", "dateofconsent", "datum", "date"),
    "consent_store": ("einwilligung", "einwilligungspeichern", "einwilligungdaten", "einwilligungdatenspeicherung",
                      "datenspeicherung", "speichern", "einverstaendnis", "einverstaendniserklaerung", "dsgvo",
                      "consent", "consentstore", "consenttostore"),
    "consent_phone": ("einwilligungtelefon", "einwilligunganruf", "anruf", "anrufe", "anrufok", "consentphone", "calls"),
    "consent_sms": ("einwilligungsms", "sms", "smsok", "consentsms"),
    "consent_email": ("einwilligungemail", "einwilligungmail", "emailok", "consentemail"),
    "consent_messenger": ("einwilligungmessenger", "einwilligungwhatsapp", "messenger", "whatsapp", "consentmessenger"),
    "consent_post": ("einwilligungpost", "post", "brief", "consentpost"),
    "consent_invitations": ("einladungen", "einwilligungeinladungen", "einladung", "invitations", "consentinvitations"),
    "consent_office": ("weitergabe", "weitergabekoordinierungsstelle", "weitergabebuero", "einwilligungweitergabe",
                       "consentoffice", "passtooffice"),
    "consent_photos": ("fotos", "foto", "einwilligungfotos", "photos", "consentphotos"),
}
_BY_HEADER = {header: key for key, headers in _HEADERS.items() for header in headers}



@dataclass(frozen=True)
class Mapping:
    """Column index -> field key, with the headers it was made for (to save and reuse)."""

    columns: dict[int, str]
    headers: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"format": MAPPING_FORMAT,
                "columns": {self.headers[i]: key for i, key in sorted(self.columns.items())}}


def header_key(header: str) -> str:
    """A header folded for matching: 'E-Mail-Adresse' -> 'emailadresse', 'Schüler' -> 'schueler'."""
    text = header.strip().lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return re.sub(r"[^a-z0-9]", "", fold(text))


def guess_mapping(headers: list[str]) -> Mapping:
    """Known German/English headers mapped; unknown ones left out; a field is taken once (first column)."""
    columns: dict[int, str] = {}
    for index, header in enumerate(headers[:MAX_COLUMNS]):
        key = _BY_HEADER.get(header_key(header))
        if key and key not in columns.values():
            columns[index] = key
    return Mapping(columns, tuple(headers))


def parse_mapping(data: bytes | str, headers: list[str]) -> Mapping:
    """A saved mapping (JSON), checked like any file from outside, applied to this sheet's headers."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(N_("{source} is not valid JSON ({detail})."), source="mapping", detail="UTF-8") from None
    obj = load_document(data, "mapping")
    if not isinstance(obj, dict):
        raise ValidationError(N_("{field}: expected an object."), field="mapping")
    unknown = sorted(set(obj) - {"format", "columns"})
    if unknown:
        raise ValidationError(N_("{field}: unknown field '{name}'."), field="mapping", name=str(unknown[0])[:60])
    if obj.get("format", MAPPING_FORMAT) != MAPPING_FORMAT:
        raise ValidationError(N_("{field}: '{value}' is not a column mapping this version understands ({expected})."),
                              field="mapping.format", value=str(obj.get("format"))[:60], expected=MAPPING_FORMAT)
    columns = obj.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise ValidationError(N_("{field}: expected an object."), field="mapping.columns")
    if len(columns) > MAX_COLUMNS:
        raise ValidationError(N_("{field}: at most {limit} entries."), field="mapping.columns", limit=MAX_COLUMNS)
    position = {}
    for index, header in enumerate(headers):
        position.setdefault(header.strip(), index)
    mapped: dict[int, str] = {}
    for header, key in columns.items():
        if len(header) > MAX_HEADER or not clean_text(header):
            raise ValidationError(N_("{field}: '{value}' is not a column header."), field="mapping.columns",
                                  value=header[:60])
        if not isinstance(key, str) or key not in FIELDS:
            raise ValidationError(N_("{field}: '{value}' is not a field of the import (one of: {allowed})."),
                                  field=f"mapping.columns.{header[:60]}", value=str(key)[:60], allowed=", ".join(FIELDS))
        if key in mapped.values():
            raise ValidationError(N_("{field}: the field '{value}' is given to two columns."),
                                  field="mapping.columns", value=key)
        if header.strip() not in position:
            raise ValidationError(N_("{field}: the sheet has no column '{value}'."), field="mapping.columns",
                                  value=header[:60])
        mapped[position[header.strip()]] = key
    return Mapping(mapped, tuple(headers))


def check_mapping(mapping: Mapping) -> None:
    """A usable mapping names the guardian and says whether the family consents to be stored."""
    keys = set(mapping.columns.values())
    if not keys & {"guardian_name", "guardian_first_name", "guardian_last_name"}:
        raise ValidationError(N_("The column mapping names no column for the guardian's name."))
    if "consent_store" not in keys and "family_id" not in keys:
        raise ValidationError(N_("The column mapping names no column for the consent to store the contact details; "
                                 "without it no row can be imported."))


# ---------------------------------------------------------------- one row

def row_document(cells: list[Any], mapping: Mapping, now: str, names: dict[str, str]) -> dict[str, Any]:
    """The family document of one row (validated cell by cell; the reason names the column)."""
    values: dict[str, Any] = {}
    where: dict[str, str] = {}
    for index, key in mapping.columns.items():
        values[key] = cells[index] if index < len(cells) else None
        header = mapping.headers[index] if index < len(mapping.headers) else ""
        where[key] = header.strip() or FIELDS[key]

    def text(key: str) -> str:
        return cell_text(values.get(key), where.get(key, key))

    name = text("guardian_name") or " ".join(x for x in (text("guardian_first_name"), text("guardian_last_name")) if x)
    if not name:
        raise ValidationError(N_("{field}: must not be empty."), field=where.get("guardian_name")
                              or where.get("guardian_last_name") or where.get("guardian_first_name") or "name")
    guardian: dict[str, Any] = {"id": "g1", "name": name}
    phones = [phone_value(values[k], where[k]) for k in ("phone", "phone2") if _text_or_number(values.get(k))]
    if phones:
        guardian["phones"] = phones
    email = text("email")
    if email:
        guardian["emails"] = [normalise_email(email, where["email"])]
    if values.get("languages") is not None:
        guardian["languages"] = languages_value(values["languages"], where["languages"], names)
    if text("address"):
        guardian["address"] = text("address")
    document: dict[str, Any] = {"guardians": [guardian]}
    if any(_text_or_number(values.get(k)) for k in ("child_first_name", "child_grade", "child_school")):
        if not _text_or_number(values.get("child_grade")):
            raise ValidationError(N_("{field}: the grade must be a whole number from 1 to 13."),
                                  field=where.get("child_grade", FIELDS["child_grade"]))
        document["children"] = [{"first_name": text("child_first_name"), "school": text("child_school"),
                                 "grade": grade_value(values["child_grade"], where["child_grade"])}]
    if text("notes"):
        document["notes"] = text("notes")
    at = moment_value(values["consent_date"], where["consent_date"]) if _text_or_number(values.get("consent_date")) else now
    consents = []
    for key, (purpose, channel) in CONSENT_FIELDS.items():
        if key not in values:
            continue
        answer = yes_no(values[key], where[key])
        if answer is None:
            continue
        consents.append({"person": "g1", "purpose": purpose.value, "channel": channel.value if channel else None,
                         "granted": answer, "at": at, "evidence": Evidence.IMPORTED_LIST.value,
                         "text_version": UNKNOWN_TEXT_VERSION})
    document["consents"] = consents
    return document


def _text_or_number(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def family_id_value(cells: list[Any], mapping: Mapping) -> str:
    for index, key in mapping.columns.items():
        if key == "family_id":
            header = mapping.headers[index] if index < len(mapping.headers) else key
            return cell_text(cells[index] if index < len(cells) else None, header)
    return ""
