"""Strict validation of a catalogue document: one sentence naming the field, or a ``Catalog``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from elternlotse.domain.contact import normalise_language
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import text_field
from elternlotse.domain.kaoa import (
    CATALOG_FORMAT,
    PARENT_ROLES,
    REQUIRED_LANGUAGES,
    TARGET_GROUPS,
    Catalog,
    ChecklistItemDef,
    Stage,
    Timing,
)
from elternlotse.domain.text import N_

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
VERSION = re.compile(r"^\d{1,6}(\.\d{1,6}){0,3}$")
MAX_STAGES = 100
MAX_ITEMS = 40
MAX_TEXT = 4000
GRADES = range(1, 14)

_CATALOG_KEYS = {"format", "id", "programme", "region", "version", "valid_from", "source", "title", "stages"}
_STAGE_KEYS = {"key", "number", "grades", "timing", "title", "description", "parents", "consent_needed",
               "optional", "target_group", "excluded_groups", "items"}
_ITEM_KEYS = {"key", "text", "timing", "grades"}
_TIMING_KEYS = {"half", "months", "hint"}


def _refuse(message: str, **params: Any) -> ValidationError:
    return ValidationError(message, **params)


def _object(value: Any, where: str, allowed: set[str]) -> dict:
    if not isinstance(value, dict):
        raise _refuse(N_("{field}: expected an object."), field=where)
    unknown = sorted(set(value) - allowed)
    if unknown:
        spot = f"{where}.{unknown[0]}" if where != "catalog" else unknown[0]
        raise _refuse(N_("{field}: unknown field '{name}'."), field=spot, name=unknown[0])
    return value


def _text(value: Any, where: str, required: bool = True, limit: int = 400) -> str:
    return text_field(value, where, required, limit)


def _key(value: Any, where: str) -> str:
    text = _text(value, where, limit=40)
    if not KEY.match(text):
        raise _refuse(N_("{field}: '{value}' is not a key (lower-case letters, digits, '-' or '_', up to 40)."),
                      field=where, value=text)
    return text


def _bool(value: Any, where: str, default: bool = False) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _refuse(N_("{field}: expected true or false."), field=where)
    return value


def _int(value: Any, where: str, allowed: range) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise _refuse(N_("{field}: expected a whole number from {low} to {high}."), field=where,
                      low=allowed[0], high=allowed[-1])
    return value


def _texts(value: Any, where: str, required: bool = True) -> dict[str, str]:
    """``{"de": ..., "en": ..., ...}``: German and English required, other languages optional."""
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise _refuse(N_("{field}: expected an object of texts per language, like {{\"de\": ..., \"en\": ...}}."), field=where)
    texts = {}
    for tag, text in value.items():
        spot = f"{where}.{tag}"
        texts[normalise_language(str(tag), spot)] = _text(text, spot, limit=MAX_TEXT)
    for tag in REQUIRED_LANGUAGES:
        if tag not in texts:
            raise _refuse(N_("{field}: the text in '{language}' is missing."), field=where, language=tag)
    return texts


def _grades(value: Any, where: str) -> tuple[int, int]:
    obj = _object(value, where, {"from", "to"})
    low = _int(obj.get("from"), f"{where}.from", GRADES)
    high = _int(obj.get("to", low), f"{where}.to", GRADES)
    if high < low:
        raise _refuse(N_("{field}: the last grade comes before the first."), field=f"{where}.to")
    return low, high


def _timing(value: Any, where: str) -> Timing:
    if value is None:
        return Timing()
    obj = _object(value, where, _TIMING_KEYS)
    if "half" in obj and "months" in obj:
        raise _refuse(N_("{field}: give either 'half' or 'months', not both."), field=where)
    half = _int(obj["half"], f"{where}.half", range(1, 3)) if "half" in obj else None
    months = None
    if "months" in obj:
        span = _object(obj["months"], f"{where}.months", {"from", "to"})
        months = (_int(span.get("from"), f"{where}.months.from", range(1, 13)),
                  _int(span.get("to"), f"{where}.months.to", range(1, 13)))
    return Timing(half=half, months=months, hint=_texts(obj.get("hint"), f"{where}.hint", required=False))


def _list(value: Any, where: str, limit: int, required: bool = False) -> list:
    if value is None:
        value = []
    if not isinstance(value, list):
        raise _refuse(N_("{field}: expected a list."), field=where)
    if len(value) > limit:
        raise _refuse(N_("{field}: at most {limit} entries are allowed."), field=where, limit=limit)
    if required and not value:
        raise _refuse(N_("{field}: must not be empty."), field=where)
    return value


def _group(value: Any, where: str) -> str:
    text = _text(value, where, limit=40)
    if text not in TARGET_GROUPS:
        raise _refuse(N_("{field}: '{value}' is not a target group (one of: {allowed})."), field=where, value=text,
                      allowed=", ".join(TARGET_GROUPS))
    return text


def _item(value: Any, where: str, stage_grades: tuple[int, int]) -> ChecklistItemDef:
    obj = _object(value, where, _ITEM_KEYS)
    grades = _grades(obj["grades"], f"{where}.grades") if "grades" in obj else None
    return ChecklistItemDef(
        key=_key(obj.get("key"), f"{where}.key"),
        texts=_texts(obj.get("text"), f"{where}.text"),
        timing=_timing(obj["timing"], f"{where}.timing") if "timing" in obj else None,
        grades=grades,
    )


def _stage(value: Any, where: str) -> Stage:
    obj = _object(value, where, _STAGE_KEYS)
    key = _key(obj.get("key"), f"{where}.key")
    number = obj.get("number")
    if number is not None and not isinstance(number, (str, int)) or isinstance(number, bool):
        raise _refuse(N_("{field}: expected text."), field=f"{where}.number")
    if "grades" not in obj:
        raise _refuse(N_("{field}: is missing."), field=f"{where}.grades")
    grades = _grades(obj["grades"], f"{where}.grades")
    parents = _object(obj.get("parents"), f"{where}.parents", {"role", "text"})
    role = _text(parents.get("role"), f"{where}.parents.role", limit=40)
    if role not in PARENT_ROLES:
        raise _refuse(N_("{field}: '{value}' is not a parents' role (one of: {allowed})."),
                      field=f"{where}.parents.role", value=role, allowed=", ".join(PARENT_ROLES))
    target = obj.get("target_group")
    items = [_item(item, f"{where}.items[{i}]", grades)
             for i, item in enumerate(_list(obj.get("items"), f"{where}.items", MAX_ITEMS))]
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.key in seen:
            raise _refuse(N_("{field}: the key '{value}' is used twice."), field=f"{where}.items[{i}].key", value=item.key)
        seen.add(item.key)
    return Stage(
        key=key,
        number=_text(str(number), f"{where}.number", limit=20) if number not in (None, "") else "",
        titles=_texts(obj.get("title"), f"{where}.title"),
        descriptions=_texts(obj.get("description"), f"{where}.description", required=False),
        grades=grades,
        timing=_timing(obj.get("timing"), f"{where}.timing"),
        parents_role=role,
        parents_texts=_texts(parents.get("text"), f"{where}.parents.text"),
        consent_needed=_bool(obj.get("consent_needed"), f"{where}.consent_needed"),
        optional=_bool(obj.get("optional"), f"{where}.optional"),
        target_group=_group(target, f"{where}.target_group") if target is not None else None,
        excluded_groups=tuple(_group(g, f"{where}.excluded_groups[{i}]")
                              for i, g in enumerate(_list(obj.get("excluded_groups"), f"{where}.excluded_groups", 10))),
        items=tuple(items),
    )


def _date(value: Any, where: str) -> date:
    text = _text(value, where, limit=10)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refuse(N_("{field}: '{value}' is not a date like 2026-08-01."), field=where, value=text) from None


def parse_catalog(data: Any) -> Catalog:
    """Validate a catalogue document; raise ``ValidationError`` naming the first bad field."""
    obj = _object(data, "catalog", _CATALOG_KEYS)
    fmt = obj.get("format")
    if fmt != CATALOG_FORMAT:
        raise _refuse(N_("format: '{value}' is not a catalogue format this version understands ({expected})."),
                      value=fmt, expected=CATALOG_FORMAT)
    version = _text(obj.get("version"), "version", limit=40)
    if not VERSION.match(version):
        raise _refuse(N_("{field}: '{value}' is not a version like 2026.1."), field="version", value=version)
    stages = [_stage(s, f"stages[{i}]") for i, s in enumerate(_list(obj.get("stages"), "stages", MAX_STAGES, required=True))]
    seen: set[str] = set()
    for i, stage in enumerate(stages):
        if stage.key in seen:
            raise _refuse(N_("{field}: the key '{value}' is used twice."), field=f"stages[{i}].key", value=stage.key)
        seen.add(stage.key)
    return Catalog(
        id=_key(obj.get("id"), "id"),
        programme=_text(obj.get("programme"), "programme", limit=200),
        region=_text(obj.get("region"), "region", limit=40),
        version=version,
        valid_from=_date(obj.get("valid_from"), "valid_from"),
        source=_text(obj.get("source"), "source", limit=2000),
        titles=_texts(obj.get("title"), "title"),
        stages=tuple(stages),
    )


def _timing_doc(timing: Timing | None) -> dict | None:
    if timing is None:
        return None
    doc: dict[str, Any] = {}
    if timing.half:
        doc["half"] = timing.half
    if timing.months:
        doc["months"] = {"from": timing.months[0], "to": timing.months[1]}
    if timing.hint:
        doc["hint"] = dict(timing.hint)
    return doc


def catalog_to_document(catalog: Catalog) -> dict[str, Any]:
    """The catalogue as a document that ``parse_catalog`` accepts again."""
    stages = []
    for s in catalog.stages:
        stage: dict[str, Any] = {"key": s.key}
        if s.number:
            stage["number"] = s.number
        stage.update({
            "grades": {"from": s.grades[0], "to": s.grades[1]},
            "timing": _timing_doc(s.timing),
            "title": dict(s.titles),
            "parents": {"role": s.parents_role, "text": dict(s.parents_texts)},
            "consent_needed": s.consent_needed,
            "optional": s.optional,
            "target_group": s.target_group,
            "excluded_groups": list(s.excluded_groups),
        })
        if s.descriptions:
            stage["description"] = dict(s.descriptions)
        items = []
        for item in s.items:
            entry: dict[str, Any] = {"key": item.key, "text": dict(item.texts)}
            if item.timing is not None:
                entry["timing"] = _timing_doc(item.timing)
            if item.grades is not None:
                entry["grades"] = {"from": item.grades[0], "to": item.grades[1]}
            items.append(entry)
        stage["items"] = items
        stages.append(stage)
    return {
        "format": CATALOG_FORMAT, "id": catalog.id, "programme": catalog.programme, "region": catalog.region,
        "version": catalog.version, "valid_from": catalog.valid_from.isoformat(), "source": catalog.source,
        "title": dict(catalog.titles), "stages": stages,
    }
