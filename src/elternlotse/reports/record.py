"""The record of processing activities (Art. 30 GDPR) as a PDF, its retention part from the rules file.

What is stored, why, for whom and how long is the app's own design, so the app can print it;
the retention periods are read from ``resources/retention.json``, the same rules the review uses.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from elternlotse.domain.consent import PURPOSE_LABELS
from elternlotse.domain.text import N_
from elternlotse.reports.pdf import PdfText
from elternlotse.reports.tabular import write_atomically

SECTIONS = (
    (N_("Purposes of the processing"), (
        N_("Advising parents on their children's vocational orientation (KAoA) and on dual training."),
        N_("Contacting parents and inviting them to events, only through the channels they consented to."),
        N_("Passing data to the coordinating office, only with the parents' consent."),
        N_("Reporting figures without names to funders; small numbers are protected."))),
    (N_("Categories of data subjects"), (
        N_("Parents and other guardians who talk with a parent navigator."),
        N_("Their children, mostly in grades 8 to 10."))),
    (N_("Categories of personal data"), (
        N_("Names; phone numbers, e-mail addresses, messenger names and postal addresses as given."),
        N_("Languages of communication (to choose handouts and interpreters)."),
        N_("Of the children: first name (optional), grade, school, the KAoA steps discussed."),
        N_("Contacts: date, format, language, topics, referral, follow-up date, a short note."),
        N_("Consent per purpose and channel with time, evidence, text version and language (proof)."),
        N_("Not stored: nationality, ethnic origin, religion, migration background, marks, results of the "
           "potential analysis, health data."))),
    (N_("Recipients"), (
        N_("The coordinating office, only for families whose guardians consented to it."),
        N_("Funders receive only figures without names, with small numbers protected."),
        N_("No transfer to third countries."))),
    (N_("Technical and organisational measures"), (
        N_("The store is encrypted (SQLCipher with a key derived by Argon2id from the passphrase); files are "
           "readable by their owner only."),
        N_("Sync files are signed and encrypted for one recipient; every file from another installation is checked."),
        N_("Erasure removes the personal data from every table, the search index and the backups, and travels to "
           "every copy."),
        N_("The app locks itself after a time without use; logs contain no personal data."))),
)


def write_record(info, rules, path: Path, language: str, translate) -> Path:
    text = PdfText(language)
    align = 2 if text.rtl else 0
    styles = {
        "title": ParagraphStyle("t", fontName=text.bold, fontSize=17, leading=22, alignment=align),
        "h2": ParagraphStyle("h", fontName=text.bold, fontSize=12, leading=16, spaceBefore=8, alignment=align),
        "body": ParagraphStyle("b", fontName=text.font, fontSize=9.5, leading=13, alignment=align, leftIndent=4 * mm),
    }

    def para(value: str, style: str = "body") -> Paragraph:
        escaped = text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, styles[style])

    story = [para(translate(N_("Record of processing activities (Art. 30 GDPR)")), "title"),
             para(translate(N_("Controller: {organisation}")).format(organisation=info.organisation or info.name)),
             para(translate(N_("Printed on {day} by Elternlotse.")).format(day=date.today().isoformat())),
             Spacer(1, 4 * mm)]
    for heading, lines in SECTIONS:
        story.append(para(translate(heading), "h2"))
        story += [para("• " + translate(line)) for line in lines]
    story.append(para(translate(N_("Consents asked for")), "h2"))
    story += [para("• " + translate(label)) for label in PURPOSE_LABELS.values()]
    story.append(para(translate(N_("Retention periods (rules {version})")).format(version=rules.version), "h2"))
    story += [para("• " + rule.text(language)) for rule in rules.rules]
    kept = rules.kept_after_erasure.get(language) or rules.kept_after_erasure.get("de", "")
    story.append(para(kept))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                      bottomMargin=16 * mm, title=translate(N_("Record of processing activities (Art. 30 GDPR)")),
                      author=info.organisation, lang=language).build(story)
    return write_atomically(path, buffer.getvalue())
