"""School years as NRW counts them: a year starts on 1 August."""

from __future__ import annotations

import re
from datetime import date

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

SCHOOL_YEAR_START_MONTH = 8
_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


def school_year_start(day: date) -> int:
    """The calendar year in which the school year containing ``day`` began."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def school_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def current_school_year(day: date) -> str:
    return school_year_label(school_year_start(day))


def parse_school_year(label: str, where: str = "school_year") -> int:
    """'2026/27' -> 2026; refuses labels whose two years do not follow each other."""
    match = _LABEL.match(label or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(
            N_("{field}: '{value}' is not a school year like 2026/27."), field=where, value=label
        )
    return int(match.group(1))
