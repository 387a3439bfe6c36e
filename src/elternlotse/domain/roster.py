"""The office's navigator roster: training modules, police-record check, hours and allowances.

Plain rules, no storage.  The roster is office-local bookkeeping (docs/roster.md): it never
travels to a navigator's laptop.

* **Training modules** are data (``resources/training_modules.json``, checked by
  ``parse_module_catalogue`` as every catalogue from outside is): four standard and three
  optional modules by default, each with a title per language (German and English required).
* **Police-record check** (erweitertes Führungszeugnis): only the date it was seen is kept,
  never the document or its content; it is due again after ``POLICE_CHECK_YEARS``.
* **Allowances** per calendar year against the tax-free limits (§ 3 Nr. 26a EStG
  Ehrenamtspauschale, § 3 Nr. 26 EStG Übungsleiterpauschale).  One activity is paid under one
  of the two, never both; a warning from ``WARN_RATIO`` of a limit on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from elternlotse.domain.contact import normalise_language
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import list_field, text_field
from elternlotse.domain.text import N_

MAX_NAME = 200
MAX_NOTE = 2000
MAX_ACTIVITY = 200
MAX_HOURS = Decimal("24")
MAX_AMOUNT_CENTS = 1_000_000      # 10,000 EUR for one entry: more is a typing error
POLICE_CHECK_YEARS = 5
WARN_RATIO = Decimal("0.9")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_NODE = re.compile(r"^[0-9a-f]{16}$")
_EARLIEST = date(2000, 1, 1)

#: What an hour was spent on (assignments: events, fair tours, stands).
ACTIVITY_KINDS = ("event", "tour", "stand", "training", "other")
ACTIVITY_LABELS = {
    "event": N_("Event"),
    "tour": N_("Training fair tour"),
    "stand": N_("Stand"),
    "training": N_("Training"),
    "other": N_("Other"),
}

#: The tax-free allowances, in cents per calendar year (the office's rule may differ: ``limits``).
ALLOWANCES = ("ehrenamt", "uebungsleiter")
ALLOWANCE_LABELS = {
    "ehrenamt": N_("Ehrenamtspauschale"),
    "uebungsleiter": N_("Übungsleiterpauschale"),
}
DEFAULT_LIMITS = {"ehrenamt": 84_000, "uebungsleiter": 300_000}


@dataclass(frozen=True)
class RosterRules:
    """The office's rule: police-record check period and allowance limits (cents a calendar year)."""
    police_check_years: int = POLICE_CHECK_YEARS
    limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))


def check_rules(years: int, limits: dict[str, int]) -> RosterRules:
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 10:
        raise ValidationError(N_("{field}: a whole number from 1 to {limit}."), field="police_check_years", limit=10)
    for kind in ALLOWANCES:
        if not 0 < limits[kind] <= 10_000_000:
            raise ValidationError(N_("{field}: '{value}' is not an amount in euros like 25.50."), field=kind,
                                  value=str(limits[kind] / 100))
    return RosterRules(years, dict(limits))


@dataclass(frozen=True)
class TrainingModule:
    key: str
    standard: bool
    titles: dict[str, str]

    def title(self, language: str) -> str:
        """The title in ``language`` (its base language, else English)."""
        return self.titles.get(language) or self.titles.get(language.split("-")[0]) or self.titles["en"]


@dataclass(frozen=True)
class ModuleCatalogue:
    version: str
    modules: tuple[TrainingModule, ...]

    def get(self, key: str) -> TrainingModule | None:
        return next((m for m in self.modules if m.key == key), None)


@dataclass
class Navigator:
    name: str
    languages: list[str] = field(default_factory=list)
    node_id: str = ""                 # the navigator's sync card (keys list), once known
    police_check: str = ""            # YYYY-MM-DD the certificate was seen; nothing else of it
    notes: str = ""
    id: str = ""
    modules: dict[str, str] = field(default_factory=dict)   # module key -> completed on (YYYY-MM-DD)


@dataclass
class HoursEntry:
    navigator_id: str
    on: str
    hours: Decimal
    kind: str
    activity: str = ""
    event_id: str = ""
    allowance: str = ""               # "" | "ehrenamt" | "uebungsleiter"
    amount_cents: int = 0
    id: str = ""


@dataclass(frozen=True)
class Tally:
    """One allowance of one navigator in one calendar year."""
    allowance: str
    year: int
    paid_cents: int
    limit_cents: int

    @property
    def ratio(self) -> Decimal:
        return Decimal(self.paid_cents) / Decimal(self.limit_cents) if self.limit_cents else Decimal(0)

    @property
    def state(self) -> str:
        """"ok", "near" (from ``WARN_RATIO`` of the limit) or "over"."""
        if self.paid_cents > self.limit_cents:
            return "over"
        return "near" if self.ratio >= WARN_RATIO else "ok"


# ---------------------------------------------------------------- checks of typed input

def _day(value: Any, where: str, today: date, required: bool = True) -> str:
    text = text_field(value, where, required=required, limit=10)
    if not text:
        return ""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(N_("{field}: '{value}' is not a date like 2026-12-03."), field=where, value=text) from None
    if day < _EARLIEST or day > today:
        raise ValidationError(N_("{field}: {value} is not a past date."), field=where, value=text)
    return day.isoformat()


def _languages(values: Any, where: str) -> list[str]:
    tags: list[str] = []
    for i, raw in enumerate(list_field(values, where, limit=20)):
        tag = normalise_language(text_field(raw, f"{where}[{i}]", required=True, limit=20), f"{where}[{i}]")
        if tag not in tags:
            tags.append(tag)
    return tags


def check_node(value: str, where: str = "node") -> str:
    text = text_field(value, where, limit=40).lower()
    if text and not _NODE.match(text):
        raise ValidationError(N_("{field}: '{value}' is not a node id."), field=where, value=text)
    return text


def check_navigator(nav: Navigator, today: date) -> Navigator:
    nav.name = text_field(nav.name, "name", required=True, limit=MAX_NAME)
    nav.languages = _languages(nav.languages, "languages")
    nav.node_id = check_node(nav.node_id)
    nav.police_check = _day(nav.police_check, "police_check", today, required=False)
    nav.notes = text_field(nav.notes, "notes", limit=MAX_NOTE)
    return nav


def check_completion(catalogue: ModuleCatalogue, key: str, on: str, today: date) -> tuple[str, str]:
    key = text_field(key, "module", required=True, limit=40)
    if catalogue.get(key) is None:
        raise ValidationError(N_("{field}: '{value}' is not a training module (one of: {allowed})."), field="module",
                              value=key, allowed=", ".join(m.key for m in catalogue.modules))
    return key, _day(on, "on", today)


def parse_hours(text: Any, where: str = "hours") -> Decimal:
    raw = text_field(str(text) if isinstance(text, (int, float, Decimal)) else text, where, required=True, limit=10)
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0 or value > MAX_HOURS or (value * 4) != (value * 4).to_integral_value():
        raise ValidationError(N_("{field}: '{value}' is not a number of hours from 0.25 to 24 in quarter hours."),
                              field=where, value=raw)
    return value.quantize(Decimal("0.01"))


def parse_amount(text: Any, where: str = "amount") -> int:
    """Euros as typed ("25", "25,50", "25.50") -> cents."""
    raw = text_field(str(text), where, required=True, limit=12)
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    cents = value * 100
    if not cents.is_finite() or cents < 0 or cents != cents.to_integral_value() or cents > MAX_AMOUNT_CENTS:
        raise ValidationError(N_("{field}: '{value}' is not an amount in euros like 25.50."), field=where, value=raw)
    return int(cents)


def check_hours(entry: HoursEntry, today: date) -> HoursEntry:
    entry.on = _day(entry.on, "on", today)
    entry.hours = parse_hours(entry.hours)
    if entry.kind not in ACTIVITY_KINDS:
        raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="kind", value=entry.kind,
                              allowed=", ".join(ACTIVITY_KINDS))
    entry.activity = text_field(entry.activity, "activity", limit=MAX_ACTIVITY)
    if entry.allowance and entry.allowance not in ALLOWANCES:
        raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="allowance",
                              value=entry.allowance, allowed=", ".join(ALLOWANCES))
    if entry.amount_cents and not entry.allowance:
        raise ValidationError(N_("{field}: an amount needs the allowance it is paid under."), field="allowance")
    if entry.allowance and not entry.activity:
        raise ValidationError(N_("{field}: name the activity an allowance is paid for."), field="activity")
    return entry


def activity_key(entry: HoursEntry) -> str:
    """What "one activity" means for the not-both rule: its event, else its name folded."""
    return entry.event_id or " ".join(entry.activity.casefold().split())


def check_not_both(entry: HoursEntry, others: list[HoursEntry]) -> None:
    """Refuse paying one activity under both allowances in one calendar year."""
    if not entry.allowance:
        return
    year, key = entry.on[:4], activity_key(entry)
    for other in others:
        if other.allowance and other.allowance != entry.allowance and other.on[:4] == year and activity_key(other) == key:
            raise ValidationError(
                N_("{field}: '{value}' is already paid under the {other} in {year}; one activity cannot get both"
                   " allowances."), field="allowance", value=entry.activity or entry.event_id,
                other=ALLOWANCE_LABELS[other.allowance], year=year)


def tallies(entries: list[HoursEntry], year: int, limits: dict[str, int] | None = None) -> list[Tally]:
    limits = limits or DEFAULT_LIMITS
    paid = {kind: 0 for kind in ALLOWANCES}
    for entry in entries:
        if entry.allowance and entry.on[:4] == str(year):
            paid[entry.allowance] += entry.amount_cents
    return [Tally(kind, year, paid[kind], limits[kind]) for kind in ALLOWANCES]


def police_check_due(checked: str, today: date, years: int = POLICE_CHECK_YEARS) -> bool:
    """True when no check is recorded or it is older than ``years``."""
    if not checked:
        return True
    day = date.fromisoformat(checked)
    try:
        due = day.replace(year=day.year + years)
    except ValueError:           # 29 February
        due = date(day.year + years, 3, 1)
    return today >= due


# ---------------------------------------------------------------- the module catalogue (data from outside)

def parse_module_catalogue(data: Any, where: str) -> ModuleCatalogue:
    if not isinstance(data, dict):
        raise ValidationError(N_("{field}: expected an object."), field=where)
    version = text_field(data.get("version"), f"{where}.version", required=True, limit=40)
    modules: list[TrainingModule] = []
    for i, item in enumerate(list_field(data.get("modules"), f"{where}.modules", limit=50)):
        at = f"{where}.modules[{i}]"
        if not isinstance(item, dict):
            raise ValidationError(N_("{field}: expected an object."), field=at)
        key = text_field(item.get("key"), f"{at}.key", required=True, limit=40)
        if not _KEY.match(key) or any(m.key == key for m in modules):
            raise ValidationError(N_("{field}: '{value}' is not a new key of lower-case letters, digits, _ and -."),
                                  field=f"{at}.key", value=key)
        if not isinstance(item.get("standard"), bool):
            raise ValidationError(N_("{field}: expected true or false."), field=f"{at}.standard")
        raw_titles = item.get("title")
        if not isinstance(raw_titles, dict):
            raise ValidationError(N_("{field}: expected an object."), field=f"{at}.title")
        titles = {}
        for lang, text in list(raw_titles.items())[:30]:
            tag = normalise_language(str(lang), f"{at}.title")
            titles[tag] = text_field(text, f"{at}.title.{tag}", required=True, limit=200)
        for needed in ("de", "en"):
            if needed not in titles:
                raise ValidationError(N_("{field}: must not be empty."), field=f"{at}.title.{needed}")
        modules.append(TrainingModule(key, item["standard"], titles))
    if not modules:
        raise ValidationError(N_("{field}: must not be empty."), field=f"{where}.modules")
    return ModuleCatalogue(version, tuple(modules))
