"""Events as an iCalendar file (RFC 5545, the ``icalendar`` library): one event or a half-year.

Times are the event's local time in Europe/Berlin (TZID with its VTIMEZONE), so calendars on
phones and laptops show them right in winter and summer. Nothing about families goes in:
title, type, place, topics, languages, interpreter; speakers by role only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

ZONE = "Europe/Berlin"
DEFAULT_LENGTH = timedelta(hours=2)


def events_ics(events: list[dict], product: str = "-//Elternlotse//Events//DE") -> bytes:
    """``events``: dicts with id, summary, starts, ends ("YYYY-MM-DDTHH:MM", local), place, description."""
    from icalendar import Calendar, Event, Timezone

    zone = ZoneInfo(ZONE)
    calendar = Calendar()
    calendar.add("prodid", product)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if events:
        first = min(datetime.fromisoformat(e["starts"]) for e in events)
        last = max(datetime.fromisoformat(e["ends"] or e["starts"]) for e in events)
        # Whole years around the events, so the zone carries its summer-time rules, not one offset.
        calendar.add_component(Timezone.from_tzinfo(zone, tzid=ZONE, first_date=date(first.year - 1, 1, 1),
                                                    last_date=date(last.year + 2, 1, 1)))
    stamp = datetime.now(timezone.utc)
    for item in events:
        start = datetime.fromisoformat(item["starts"]).replace(tzinfo=zone)
        end = datetime.fromisoformat(item["ends"]).replace(tzinfo=zone) if item.get("ends") else start + DEFAULT_LENGTH
        event = Event()
        event.add("uid", f"{item['id']}@elternlotse")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", max(end, start))
        event.add("summary", item["summary"])
        if item.get("place"):
            event.add("location", item["place"])
        if item.get("description"):
            event.add("description", item["description"])
        calendar.add_component(event)
    return calendar.to_ical()
