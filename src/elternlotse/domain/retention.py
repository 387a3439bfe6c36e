"""Storage limitation: which families are due for erasure, and why (one rules file drives it all).

``resources/retention.json`` holds the rules; the same file gives the retention part of the
record of processing (Art. 30), the retention paragraph of the information sheet given to parents
(Art. 13, the ``{retention}`` placeholder of the ``privacy-information`` handout) and the review
(``services.retention``), so the three cannot disagree. Rules:

* ``no_contact``: no contact, consent entry or change for ``after`` (default 24 months);
* ``children_left_school``: ``after`` (12 months) since the youngest child finished grade 10,
  KAoA's lower secondary path and so the purpose of the navigator's work;
* ``store_consent_withdrawn``: every guardian withdrew (or never gave) the consent to store,
  ``after`` (30 days) since the last withdrawal.

A family kept on purpose ("keep, because ...") is not due again until its keep date passes.
"""

from __future__ import annotations

import json
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

RULE_KEYS = ("no_contact", "children_left_school", "store_consent_withdrawn")
#: Why a family is due, as a list shows it (msgids; the CLI and the window translate them).
RULE_LABELS = {
    "no_contact": N_("no contact for a long time"),
    "children_left_school": N_("the children have left school"),
    "store_consent_withdrawn": N_("consent to store withdrawn"),
}
FORMAT = "elternlotse.retention/1"
LAST_GRADE = 10


@dataclass(frozen=True)
class Period:
    months: int = 0
    days: int = 0

    def after(self, day: date) -> date:
        month = day.month - 1 + self.months
        year, month = day.year + month // 12, month % 12 + 1
        return date(year, month, min(day.day, monthrange(year, month)[1])) + timedelta(days=self.days)


@dataclass(frozen=True)
class Rule:
    key: str
    after: Period
    texts: dict[str, str]

    def text(self, language: str) -> str:
        return _in_language(self.texts, language)


@dataclass(frozen=True)
class Rules:
    version: str
    rules: tuple[Rule, ...]
    keep_for: Period
    kept_after_erasure: dict[str, str] = field(default_factory=dict)

    def rule(self, key: str) -> Rule | None:
        return next((r for r in self.rules if r.key == key), None)

    def paragraph(self, language: str) -> str:
        """What the information sheet (Art. 13) says about storage: every rule, then what stays."""
        return " ".join([rule.text(language) for rule in self.rules] + [_in_language(self.kept_after_erasure, language)])


def _in_language(texts: dict[str, str], language: str) -> str:
    """The text in ``language``, its base language (fa for fa-AF), else German: the office's language."""
    return texts.get(language) or texts.get(language.split("-")[0]) or texts.get("de") or texts.get("en", "")


def _period(value: Any, where: str) -> Period:
    if not isinstance(value, dict) or set(value) - {"months", "days"} or not value:
        raise ValidationError(N_("{field}: expected months and/or days."), field=where)
    for key, number in value.items():
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= 1200:
            raise ValidationError(N_("{field}: a whole number from {low} to {high}."), field=f"{where}.{key}",
                                  low=0, high=1200)
    return Period(value.get("months", 0), value.get("days", 0))


def _texts(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                              for k, v in value.items()) or "de" not in value:
        raise ValidationError(N_("{field}: expected texts per language, German among them."), field=where)
    return dict(value)


def parse_rules(text: str) -> Rules:
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError(N_("{field}: not a JSON document."), field="retention") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(N_("{field}: expected the format {format}."), field="retention.format", format=FORMAT)
    rules = []
    for i, item in enumerate(data.get("rules") or []):
        where = f"rules[{i}]"
        if not isinstance(item, dict) or item.get("key") not in RULE_KEYS:
            raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field=f"{where}.key",
                                  value=item.get("key") if isinstance(item, dict) else item, allowed=", ".join(RULE_KEYS))
        rules.append(Rule(item["key"], _period(item.get("after"), f"{where}.after"), _texts(item.get("texts"), f"{where}.texts")))
    return Rules(str(data.get("version", "")), tuple(rules), _period(data.get("keep_for", {"months": 12}), "keep_for"),
                 _texts(data.get("kept_after_erasure", {"de": "-"}), "kept_after_erasure"))


@dataclass(frozen=True)
class FamilyFacts:
    family_id: str
    name: str
    last_activity: date                      # newest contact, consent entry or change of the family
    youngest_finished_grade_10: date | None  # None: a child still below grade 10 or no grade known
    store_withdrawn_since: date | None       # None: some guardian still consents to storing
    kept_until: date | None = None


@dataclass(frozen=True)
class Due:
    family_id: str
    name: str
    rule: str
    since: date        # the day the period started
    due: date          # the day erasure became due


def due(facts: FamilyFacts, rules: Rules, today: date) -> list[Due]:
    """The rules that make ``facts``' family due for erasure ``today`` (empty: keep it)."""
    if facts.kept_until is not None and today <= facts.kept_until:
        return []
    starts = {"no_contact": facts.last_activity, "children_left_school": facts.youngest_finished_grade_10,
              "store_consent_withdrawn": facts.store_withdrawn_since}
    found = []
    for rule in rules.rules:
        since = starts[rule.key]
        if since is not None and rule.after.after(since) <= today:
            found.append(Due(facts.family_id, facts.name, rule.key, since, rule.after.after(since)))
    return found
