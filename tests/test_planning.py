"""The half-year plan of a school's family café and the calendar file of events."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest

from elternlotse.domain.errors import ValidationError
from tests.conftest import family_document


@pytest.fixture
def school(services):
    for i, grade in enumerate((8, 8, 8, 9, 10)):
        doc = family_document(name=f"Familie {i}", phone=f"0176 2000 00{i:02d}")
        doc["children"][0].update(grade=grade, school="Gesamtschule Haspe")
        services.families.add(doc)
    return "Gesamtschule Haspe"


def test_autumn_plan_puts_the_potential_analysis_first_and_no_stage_twice(services, school):
    plan = services.planning.half_year(school, date(2026, 8, 20))
    months = [(m.first_day.month, m.stage_key) for m in plan.months]
    assert [m for m, _ in months] == [9, 10, 11, 12, 1]          # no café in the summer holidays
    assert months[0][1] == "pa" and plan.months[0].grades == [8]
    keys = [k for _, k in months if k]
    assert len(keys) == len(set(keys))


def test_the_navigator_changes_a_month_and_the_plan_becomes_events(services, school):
    plan = services.planning.half_year(school, date(2027, 2, 1), {"2027-06": "internship"})
    assert plan.months[-1].stage_key == "internship" and plan.months[-1].reason == "chosen"
    created = services.planning.create_events(plan, weekday=2, at="16:30")
    assert len(created) == 5
    events = [services.events.get(i) for i in created]
    assert all(e.type == "family_cafe" and e.place == school and date.fromisoformat(e.starts[:10]).weekday() == 2
               for e in events)
    assert events[-1].topics == ["internship"] and events[0].starts.endswith("T16:30")
    assert services.planning.create_events(plan) == []          # planned twice: nothing doubled
    with pytest.raises(ValidationError):
        services.planning.half_year(school, date(2027, 2, 1), {"2027-09": "pa"})


def test_events_as_a_calendar_file_in_local_time(services):
    event = services.events.add({"type": "family_cafe", "title": "Praktikum finden", "starts": "2026-12-03T16:30",
                                 "ends": "2026-12-03T18:30", "place": "Gesamtschule Haspe", "topics": ["internship"],
                                 "languages": ["tr", "ar"], "interpreter": True,
                                 "speakers": [{"name": "Frau Berg", "role": "career_counselling"}]})
    summer = services.events.add({"type": "elternday", "starts": "2027-06-10T17:00", "place": "Rathaus"})
    calendar = icalendar.Calendar.from_ical(services.events.calendar(first="2026-08-01", last="2027-07-31"))
    entries = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    winter = entries[f"{event.id}@elternlotse"]
    assert winter["dtstart"].dt.utcoffset().total_seconds() == 3600        # CET
    assert entries[f"{summer.id}@elternlotse"]["dtstart"].dt.utcoffset().total_seconds() == 7200  # CEST
    assert str(winter["location"]) == "Gesamtschule Haspe" and "Frau Berg" not in str(winter["description"])
    one = icalendar.Calendar.from_ical(services.events.calendar(event.id))
    assert len(list(one.walk("VEVENT"))) == 1


def test_cli_ics_and_plan(cli, tmp_path):
    import json

    assert cli("init", "--name", "Ayla").code == 0
    doc = tmp_path / "f.json"
    document = family_document()
    document["children"][0]["school"] = "Realschule Emst"
    doc.write_text(json.dumps(document), encoding="utf-8")
    assert cli("family", "add", str(doc)).code == 0
    result = cli("plan", "half-year", "--school", "Realschule Emst", "--from", "2026-09-01", "--json")
    assert result.code == 0 and len(result.json()["months"]) == 5
    pdf, ics = tmp_path / "plan.pdf", tmp_path / "plan.ics"
    assert cli("plan", "half-year", "--school", "Realschule Emst", "--from", "2026-09-01", "-o", str(pdf)).code == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    made = cli("plan", "half-year", "--school", "Realschule Emst", "--from", "2026-09-01", "--create-events",
               "-o", str(ics), "--json").json()
    assert len(made["created_events"]) == 5 and ics.read_bytes().count(b"BEGIN:VEVENT") == 5
    out = tmp_path / "events.ics"
    assert cli("event", "ics", "--from", "2026-08-01", "--to", "2027-01-31", "-o", str(out)).code == 0
    assert out.read_bytes().count(b"BEGIN:VEVENT") == 5
    assert cli("event", "ics", "-o", str(tmp_path / "none.ics")).code == 1
    assert cli("plan", "half-year", "--school", "Realschule Emst", "--from", "2026-09-01", "--set", "oops").code == 2
