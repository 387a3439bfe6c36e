"""Handouts as a use case: the store's details and a family put into a PDF.

The renderer (``elternlotse.handouts``) knows nothing of the store; this service
gives it what the store knows: the organisation, the navigator's name and
contact (store meta ``contact``, if set), a family, and each child's next steps
from the KAoA checklist when a checklist service is there.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.family import Child, Family
from elternlotse.domain.text import N_
from elternlotse.handouts import (
    BatchEntry,
    HandoutContext,
    HandoutLibrary,
    NextSteps,
    render_batch,
    render_handout,
    write_atomic,
)
from elternlotse.handouts.content import LANGUAGES, SOURCE_LANGUAGE
from elternlotse.handouts.render import handout_string, localise_digits
from elternlotse.store import Store

#: At most this many next steps per child on a personalised handout.
MAX_STEPS = 4
#: Store meta key of the navigator's contact printed on handouts ({contact}); local to this store.
CONTACT_META = "handout_contact"
MAX_CONTACT = 200


def parents_steps(checklist: Any, language: str, limit: int = MAX_STEPS, today: date | None = None) -> list[str]:
    """The parents' actions of the stages with open items: under way first, then the next ones, then overdue.

    A stage under way or ahead carries its months; an overdue one (its window has
    passed, an item is still open) carries none: the sheet never names a past month.
    """
    today = today or date.today()
    catalog = checklist.status.catalog
    groups: tuple[list, list, list] = ([], [], [])  # under way, ahead, overdue
    seen: set[str] = set()
    for entry in checklist.entries:
        if entry.status != "open" or not entry.known or entry.stage_key in seen:
            continue
        stage = catalog.stage(entry.stage_key)
        if stage is None:
            continue
        seen.add(entry.stage_key)
        window = entry.window
        if window is None or window.end < today:
            groups[2].append((stage, None))
        else:
            groups[0 if window.start <= today else 1].append((stage, window))
    groups[1].sort(key=lambda pair: pair[1].start)
    steps = []
    for stage, window in (groups[0] + groups[1] + groups[2])[:limit]:
        text = stage.parents_text(language)
        when = _months(window, language, today) if window else ""
        steps.append(f"{when}: {text}" if when else text)
    return steps


def _months(window: Any, language: str, today: date | None = None) -> str:
    """When the step is due, in the language (CLDR month names through Babel).

    A window already open says until when ("until Jul 2029"); one still ahead
    gives its months ("Feb – Jul 2027", or one month).
    """
    from babel import UnknownLocaleError
    from babel.dates import format_date

    today = today or date.today()
    locale = language.replace("-", "_")
    try:
        end = format_date(window.end, "MMM y", locale=locale)
        if window.start <= today:
            return handout_string("until", language, date=end)
        if (window.start.year, window.start.month) == (window.end.year, window.end.month):
            return localise_digits(end, language)
        start = format_date(window.start, "MMM" if window.start.year == window.end.year else "MMM y", locale=locale)
    except (UnknownLocaleError, ValueError, LookupError):
        return ""
    return localise_digits(f"{start} – {end}", language)


class HandoutService:
    def __init__(self, store: Store, families: Any = None, checklists: Any = None,
                 library: HandoutLibrary | None = None) -> None:
        self.store = store
        self.families = families
        self.checklists = checklists
        self.library = library or HandoutLibrary()

    # ---------------------------------------------------------------- what the store knows
    def context(self) -> HandoutContext:
        info = self.store.info
        return HandoutContext(organisation=info.organisation, navigator=info.name, contact=self.contact())

    def contact(self) -> str:
        """How parents reach the navigator, as printed on handouts ("" when not set)."""
        return self.store.meta(CONTACT_META) or ""

    def set_contact(self, text: str) -> str:
        """Set the contact printed on handouts (phone, e-mail, office hours); "" removes it."""
        value = " ".join((text or "").split())
        if len(value) > MAX_CONTACT:
            raise ValidationError(N_("{field}: longer than {limit} characters."), field="contact", limit=MAX_CONTACT)
        if any(ord(ch) < 32 for ch in value):
            raise ValidationError(N_("{field}: contains control characters."), field="contact")
        with self.store.write(self.store.info.name, "handouts.contact"):
            self.store.set_meta(CONTACT_META, value)
        return value

    def family(self, family_id: str) -> Family:
        if self.families is None:
            from elternlotse.services.families import FamilyService

            self.families = FamilyService(self.store, erasers=())  # reads only; erasure is app.Services.families
        return self.families.get(family_id)

    def next_steps(self) -> NextSteps | None:
        """A provider of each child's next steps for the parents, or None without checklists.

        A step is the parents' action of a KAoA stage that still has an open item
        (the stages under way first, then the next ones, at most ``MAX_STEPS``), in
        the sheet's language (German where the catalogue has none), after the
        months of the child's window: "Sept. – Oct. 2026: Go to the information
        evening ...".  Never the navigator's checklist entries.
        """
        checklists = self.checklists
        if checklists is None or not hasattr(checklists, "checklist"):
            return None

        def provide(child: Child, language: str) -> list[str]:
            if not child.id:
                return []
            try:
                checklist = checklists.checklist(child.id, language=language)
            except Exception:  # noqa: BLE001 - a handout must print even when the checklist cannot be built
                return []
            return parents_steps(checklist, language)
        return provide

    @staticmethod
    def family_language(family: Family, available: Sequence[str]) -> str:
        """The first guardian language a handout exists in; German otherwise."""
        for guardian in family.guardians:
            for lang in guardian.languages:
                if lang in available and lang in LANGUAGES:
                    return lang
                base = lang.split("-")[0]
                if base in available:
                    return base
        return SOURCE_LANGUAGE

    # ---------------------------------------------------------------- rendering
    def render(self, topic: str, language: str, with_language: str | None = None,
               family_id: str | None = None) -> bytes:
        family = self.family(family_id) if family_id else None
        return render_handout(topic, language, with_language, family=family, next_steps=self.next_steps(),
                              context=self.context(), library=self.library)

    def write(self, path: str | os.PathLike, topic: str, language: str, with_language: str | None = None,
              family_id: str | None = None) -> Path:
        """Render first, then write atomically: a refused handout leaves no file."""
        return write_atomic(path, self.render(topic, language, with_language, family_id))

    def render_for_family(self, topic: str, family_id: str, beside_german: bool = True) -> bytes:
        """The handout in the family's language (German beside it), personalised."""
        family = self.family(family_id)
        language = self.family_language(family, self.library.languages(topic))
        other = SOURCE_LANGUAGE if beside_german and language != SOURCE_LANGUAGE else None
        return render_handout(topic, language, other, family=family, next_steps=self.next_steps(),
                              context=self.context(), library=self.library)

    def render_batch(self, topic: str, family_ids: Sequence[str], beside_german: bool = True) -> bytes:
        """An event's batch: one personalised handout per family in its language, one PDF."""
        available = self.library.languages(topic)
        entries = []
        for family_id in family_ids:
            family = self.family(family_id)
            entries.append(BatchEntry(family, self.family_language(family, available)))
        return render_batch(topic, entries, beside_german=beside_german, next_steps=self.next_steps(),
                            context=self.context(), library=self.library)
