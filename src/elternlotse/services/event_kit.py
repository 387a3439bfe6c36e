"""The event kit: an invitation letter per event and a sign-in sheet, as PDFs.

The store's facts (the event, the invited families, the navigator's details) are read here; the
layout is ``handouts.kit``. Only families on ``EventService.invitations`` (consent to invitations
now, a consented channel) appear on a sign-in sheet, with their name and the grades of the invited
children: nothing else leaves the store. Files are written atomically, readable by the owner only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.handouts.content import LANGUAGES, SOURCE_LANGUAGE
from elternlotse.handouts.kit import EventFacts, SignInRow, Speaker, render_invitation
from elternlotse.handouts.sign_in import render_sign_in
from elternlotse.reports.tabular import write_atomically
from elternlotse.services.events import EventService, Invitation

DEFAULT_BLANK = 10
MAX_BLANK = 200


def family_letter_language(languages: Sequence[str]) -> str | None:
    """The first of a family's languages that has handouts other than German, else German if it speaks it."""
    for lang in languages:
        if lang in LANGUAGES and lang != SOURCE_LANGUAGE:
            return lang
        base = lang.split("-")[0]
        if base in LANGUAGES and base != SOURCE_LANGUAGE:
            return base
    return SOURCE_LANGUAGE if SOURCE_LANGUAGE in languages else None


class EventKitService:
    def __init__(self, events: EventService, context) -> None:
        """``context``: a callable giving the handout context (organisation, navigator, contact)."""
        self.events = events
        self.context = context

    def facts(self, event_id: str, languages: Sequence[str]) -> EventFacts:
        event = self.events.get(event_id)
        catalog = self.events.catalogs.get(on=event.day)
        topics: dict[str, list[tuple[str, str]]] = {}
        for lang in dict.fromkeys([*languages, SOURCE_LANGUAGE]):
            stages = [catalog.stage(key) for key in event.topics]
            topics[lang] = [(s.title(lang), s.parents_text(lang)) for s in stages if s is not None]
        ctx = self.context()
        return EventFacts(title=event.title, starts=event.starts, ends=event.ends, place=event.place, topics=topics,
                          speakers=[Speaker(s.name, s.role) for s in event.speakers], interpreter=event.interpreter,
                          navigator=ctx.navigator, organisation=ctx.organisation, contact=ctx.contact)

    def invitation_languages(self, event_id: str, invitations: Sequence[Invitation] | None = None) -> list[str]:
        """The invited families' handout languages (in order of how many families speak them); else the event's."""
        invitations = self.events.invitations(event_id) if invitations is None else invitations
        counts: dict[str, int] = {}
        for inv in invitations:
            lang = family_letter_language(inv.languages)
            if lang:
                counts[lang] = counts.get(lang, 0) + 1
        if counts:
            return sorted(counts, key=lambda k: (-counts[k], k))
        event = self.events.get(event_id)
        chosen = dict.fromkeys(lang for lang in (family_letter_language([tag]) for tag in event.languages) if lang)
        return [lang for lang in chosen if lang != SOURCE_LANGUAGE] or [SOURCE_LANGUAGE]

    def invitation(self, event_id: str, languages: Sequence[str] = ()) -> bytes:
        chosen = list(dict.fromkeys(languages)) or self.invitation_languages(event_id)
        for lang in chosen:
            if lang not in LANGUAGES:
                raise ValidationError(N_("{field}: '{value}' is not a handout language (one of: {allowed})."),
                                      field="--language", value=lang, allowed=", ".join(LANGUAGES))
        return render_invitation(self.facts(event_id, chosen), chosen)

    def sign_in(self, event_id: str, blank: int = DEFAULT_BLANK) -> bytes:
        if isinstance(blank, bool) or not isinstance(blank, int) or not 0 <= blank <= MAX_BLANK:
            raise ValidationError(N_("{field}: expected a whole number from {low} to {high}."), field="--blank",
                                  low=0, high=MAX_BLANK)
        facts = self.facts(event_id, [])
        rows = [SignInRow(inv.name, ", ".join(str(g) for g in sorted({grade for _c, _n, grade, _s in inv.children})))
                for inv in self.events.invitations(event_id)]
        return render_sign_in(facts, rows, blank)

    def write_invitation(self, path: str | os.PathLike, event_id: str, languages: Sequence[str] = ()) -> Path:
        target = _pdf_target(path)
        return write_atomically(target, self.invitation(event_id, languages))

    def write_sign_in(self, path: str | os.PathLike, event_id: str, blank: int = DEFAULT_BLANK) -> Path:
        target = _pdf_target(path)
        return write_atomically(target, self.sign_in(event_id, blank))


def _pdf_target(path: str | os.PathLike) -> Path:
    """The file to write: not a folder; its folder is made if missing (as the handout command does)."""
    target = Path(path)
    if target.is_dir():
        raise ValidationError(N_("{path} is a folder; name a PDF file."), path=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    return target
