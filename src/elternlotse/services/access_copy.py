"""The readable access copy (GDPR Art. 15/20) in the parent's language beside German.

The content is the portable family document (``FamilyService.document``); this module
only lays it out for people, as HTML (desktop app: shown, printed, saved as PDF) or as
plain text (``elternlotse family show ID --language L``).  Nothing is shown that is not
in the document and nothing is left out.

Languages: every label is given in each language of ``languages`` ("Ad / Name").
``copy_languages`` picks them: the first guardian's first language when the app has
a catalogue for it, then German; for a language without a catalogue (Tigrinya,
Kurmanji, Somali, ...) German and English, which the parent's helpers can read.  The
labels are looked up per language (``i18n.translation_for``), not in the UI language.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Any

from elternlotse.domain.consent import CHANNEL_LABELS, EVIDENCE_LABELS, PURPOSE_LABELS, Channel, Evidence, Purpose
from elternlotse.domain.text import N_
from elternlotse.i18n import translation_for
from elternlotse.i18n.languages import UI_LANGUAGES, language, normalise_tag

TITLE = N_("Copy of the stored data (GDPR Art. 15)")
MADE = N_("Made on {date} by {organisation}. Family id: {id}")
GUARDIANS = N_("Parents and guardians")
NAME, LANGUAGES, PHONE, EMAIL = N_("Name"), N_("Languages"), N_("Phone"), N_("E-mail")
MESSENGER, ADDRESS, CHILDREN = N_("Messenger"), N_("Address"), N_("Children")
FIRST_NAME, GRADE, SCHOOL, SCHOOL_YEAR = N_("First name"), N_("Grade"), N_("School"), N_("School year")
CONSENTS, WHEN, PERSON, PURPOSE = N_("Consents (full history)"), N_("When"), N_("Person"), N_("Purpose")
STATE, EVIDENCE, TEXT_VERSION = N_("Given / withdrawn"), N_("Evidence"), N_("Text version")
RECORDED_BY, NOTES, NONE = N_("Recorded by"), N_("Notes"), N_("none")
GIVEN, WITHDRAWN = N_("given"), N_("withdrawn")


def copy_languages(document: dict[str, Any]) -> list[str]:
    """The parent's language (when there is a catalogue) and German; else German and English."""
    for guardian in document.get("guardians", []):
        for tag in guardian.get("languages", []):
            tag = normalise_tag(str(tag)).split("-")[0]
            if tag == "de":
                return ["de"]
            if tag in UI_LANGUAGES and tag != "en":
                return [tag, "de"]
            return ["de", "en"]
    return ["de", "en"]


class _Labels:
    def __init__(self, languages: list[str]) -> None:
        self.languages = languages or ["de"]
        self.catalogues = [translation_for(tag) for tag in self.languages]

    def each(self, msgid: str) -> list[tuple[str, str]]:
        """(language, label) per language, duplicates dropped (English msgid = English label)."""
        seen, result = set(), []
        for tag, catalogue in zip(self.languages, self.catalogues, strict=True):
            text = catalogue.gettext(msgid)
            if text not in seen:
                seen.add(text)
                result.append((tag, text))
        return result

    def text(self, msgid: str, **params: Any) -> str:
        return " / ".join(t.format(**params) if params else t for _tag, t in self.each(msgid))

    def html(self, msgid: str, **params: Any) -> str:
        parts = []
        for tag, text in self.each(msgid):
            value = text.format(**{k: html.escape(str(v)) for k, v in params.items()}) if params else html.escape(text)
            direction = "rtl" if language(tag).rtl else "ltr"
            parts.append(f"<span lang='{tag}' dir='{direction}'>{value}</span>")
        return " / ".join(parts)


def _when(at: str) -> str:
    # unambiguous in every language, with the zone named
    return at.replace("T", " ")[:16] + " UTC" if "T" in at else at


def _sections(document: dict[str, Any]):
    """(heading msgid, kind, header msgids, rows) for each part of the copy; rows are lists of str or msgids."""
    names = {g["id"]: g["name"] for g in document.get("guardians", [])}
    names.update({c["id"]: c.get("first_name") or "?" for c in document.get("children", [])})
    guardians = []
    for guardian in document.get("guardians", []):
        guardians.append([
            (NAME, guardian.get("name", "")),
            (LANGUAGES, ", ".join(guardian.get("languages", []))),
            (PHONE, ", ".join(guardian.get("phones", []))),
            (EMAIL, ", ".join(guardian.get("emails", []))),
            (MESSENGER, ", ".join(f"{m.get('app', '')} {m.get('handle', '')}".strip() for m in guardian.get("messenger", []))),
            (ADDRESS, guardian.get("address", "")),
        ])
    children = [[c.get("first_name") or "-", str(c.get("grade", "")), c.get("school", ""), c.get("school_year", "")]
                for c in document.get("children", [])]
    consents = []
    for entry in document.get("consents", []):
        purpose = [PURPOSE_LABELS[Purpose(entry["purpose"])]]
        if entry.get("channel"):
            purpose.append(CHANNEL_LABELS[Channel(entry["channel"])])
        consents.append([_when(entry.get("at", "")), names.get(entry.get("person"), "?"), tuple(purpose),
                         (GIVEN if entry.get("granted") else WITHDRAWN,), (EVIDENCE_LABELS[Evidence(entry["evidence"])],),
                         " ".join(x for x in (entry.get("text_version", ""), entry.get("text_language", "")) if x),
                         entry.get("recorded_by", "")])
    return names, guardians, children, consents


def _cell_text(labels: _Labels, value) -> str:
    if isinstance(value, tuple):  # msgids: a purpose and its channel, a state, an evidence
        first = labels.text(value[0])
        return first + (f" ({labels.text(value[1])})" if len(value) > 1 else "")
    return str(value)


def readable_html(document: dict[str, Any], organisation: str = "", languages: list[str] | None = None) -> str:
    labels = _Labels(languages or copy_languages(document))
    e = html.escape
    _names, guardians, children, consents = _sections(document)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<h2>{labels.html(TITLE)}</h2>",
             f"<p>{labels.html(MADE, date=now, organisation=organisation or '-', id=document.get('id', ''))}</p>",
             f"<h3>{labels.html(GUARDIANS)}</h3>"]
    for rows in guardians:
        body = "".join(f"<tr><th align='left'>{labels.html(k)}</th><td dir='auto'>{e(v or '-')}</td></tr>" for k, v in rows)
        parts.append(f"<table cellspacing='0' cellpadding='3'>{body}</table><br/>")

    def grid(heads, rows) -> str:
        head = "".join(f"<th>{labels.html(h)}</th>" for h in heads)
        body = "".join("<tr>" + "".join(f"<td dir='auto'>{e(_cell_text(labels, c))}</td>" for c in row) + "</tr>"
                       for row in rows)
        return f"<table border='1' cellspacing='0' cellpadding='4'><tr>{head}</tr>{body}</table>"

    parts.append(f"<h3>{labels.html(CHILDREN)}</h3>")
    parts.append(grid((FIRST_NAME, GRADE, SCHOOL, SCHOOL_YEAR), children) if children else f"<p>{labels.html(NONE)}</p>")
    parts.append(f"<h3>{labels.html(CONSENTS)}</h3>")
    parts.append(grid((WHEN, PERSON, PURPOSE, STATE, EVIDENCE, TEXT_VERSION, RECORDED_BY), consents)
                 if consents else f"<p>{labels.html(NONE)}</p>")
    parts.append(f"<h3>{labels.html(NOTES)}</h3><p dir='auto'>{e(document.get('notes') or '-')}</p>")
    return "\n".join(parts)


def readable_text(document: dict[str, Any], organisation: str = "", languages: list[str] | None = None) -> str:
    labels = _Labels(languages or copy_languages(document))
    _names, guardians, children, consents = _sections(document)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [labels.text(TITLE), labels.text(MADE, date=now, organisation=organisation or "-", id=document.get("id", "")),
             "", labels.text(GUARDIANS)]
    for rows in guardians:
        lines.extend(f"  {labels.text(k)}: {v or '-'}" for k, v in rows)
        lines.append("")
    lines.append(labels.text(CHILDREN))
    heads = [labels.text(h) for h in (FIRST_NAME, GRADE, SCHOOL, SCHOOL_YEAR)]
    lines.extend("  " + "; ".join(f"{h}: {_cell_text(labels, c) or '-'}" for h, c in zip(heads, row, strict=True))
                 for row in children)
    if not children:
        lines.append("  " + labels.text(NONE))
    lines.extend(["", labels.text(CONSENTS)])
    heads = [labels.text(h) for h in (WHEN, PERSON, PURPOSE, STATE, EVIDENCE, TEXT_VERSION, RECORDED_BY)]
    lines.extend("  " + "; ".join(f"{h}: {_cell_text(labels, c) or '-'}" for h, c in zip(heads, row, strict=True))
                 for row in consents)
    if not consents:
        lines.append("  " + labels.text(NONE))
    lines.extend(["", f"{labels.text(NOTES)}: {document.get('notes') or '-'}"])
    return "\n".join(lines)
