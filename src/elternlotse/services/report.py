"""The office's report for funders: reach by period and dimension, small cells protected.

``ReportService.build`` counts in the database (``store.report_facts``) and returns a
``Report`` of labelled tables; ``Report.protected(rule)`` applies the small-cell rule
(``domain.protection``) to every table that would leave the office.  Labels are in the
language asked for (German for the funder, or the office's UI language); the writers
(``elternlotse.reports``) only lay the tables out.

What a table counts:

* a breakdown by one dimension: rows = the dimension's values, columns = "contacts with
  families" and "people counted anonymously" (tallies); the row total is the reach;
* a cross table of the first two ``--by`` dimensions: the reach in each combination;
* events by type (named families present, anonymous headcount), handouts (topic x language),
  consents given and withdrawn by purpose.
Topic tables count each topic talked about (a contact about two topics counts twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from elternlotse.domain.consent import PURPOSE_LABELS, Purpose
from elternlotse.domain.contact_log import CONTACT_FORMAT_LABELS, REFERRAL_LABELS
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.protection import PROTECTIONS, Published, protect
from elternlotse.domain.text import N_
from elternlotse.services.catalogs import CatalogService
from elternlotse.store import Store
from elternlotse.store import report_facts as facts
from elternlotse.store import rollups

DEFAULT_DIMENSIONS = ("language", "format", "topic", "grade", "month", "navigator")
# One value per contact and no join: a single GROUP BY over all of them, summed per table in Python,
# costs one scan of the contacts instead of one per table (the scan, decrypting every page, is the cost).
PLAIN_DIMENSIONS = ("navigator", "language", "format", "month", "interpreter", "referral")
DIMENSION_LABELS = {
    "navigator": N_("Navigator"), "school": N_("School"), "language": N_("Language of the conversation"),
    "format": N_("Format"), "topic": N_("KAoA topic"), "grade": N_("Grade"), "referral": N_("Referred to"),
    "month": N_("Month"), "interpreter": N_("Interpreter"),
}
MAX_DAYS = 3 * 366
#: Contacts with families whose guardians did not consent to passing data to the office: only their
#: navigators' anonymous counts reach the office (sync/aggregates.py), by month.
UNSHARED_LABEL = N_("of these, with families counted anonymously (no consent to share)")


@dataclass
class Table:
    key: str                    # "by-language", "cross-language-format", "events", ...
    title: str                  # msgid
    row_header: str             # msgid
    rows: list[str]             # labels (translated)
    columns: list[str]          # labels (translated)
    cells: list[list[int]]
    protected: bool = True      # counts of people: the small-cell rule applies
    published: Published | None = None


@dataclass
class Report:
    first: date
    last: date
    organisation: str
    language: str
    key_figures: list[tuple[str, int]]           # (msgid, count)
    tables: list[Table] = field(default_factory=list)
    rule: str = "none"
    key_published: list[tuple[str, int | str]] = field(default_factory=list)

    def german_titles(self) -> dict[str, str]:
        """Each table's title in German (the PDF puts it above the title in the report's language)."""
        from elternlotse.i18n import translator

        de = translator("de")
        fixed = {"events": N_("Events and their participants"), "events-held": N_("Events held"),
                 "handouts": N_("Handouts given"), "consents": N_("Consents given and withdrawn")}
        names = {**DIMENSION_LABELS, "office": N_("Office")}
        titles = {}
        for table in self.tables:
            kind, _, rest = table.key.partition("-")
            if table.key in fixed:
                titles[table.key] = de(fixed[table.key])
            elif kind == "by" and rest in names:
                titles[table.key] = de(names[rest])
            elif kind == "cross" and len(rest.split("-")) == 2 and all(d in names for d in rest.split("-")):
                first, second = rest.split("-")
                titles[table.key] = de(N_("Reach by {first} and {second}")).format(first=de(names[first]),
                                                                                  second=de(names[second]))
        return titles

    def protected(self, rule: str) -> "Report":
        """Every people count published under ``rule``; the key figures as one-cell tables."""
        if rule not in PROTECTIONS:
            raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="protect", value=rule,
                                  allowed=", ".join(PROTECTIONS))
        for table in self.tables:
            if not table.cells:  # nothing happened in the period: an empty table with zero totals
                table.published = Published([], [], [0] * len(table.columns), 0)
                continue
            table.published = protect(table.cells, rule if table.protected else "none")
        self.key_published = [(label, protect([[value]], rule).cells[0][0]) for label, value in self.key_figures]
        self.rule = rule
        return self


#: Where a report's figures come from (``ReportService.build``).
SOURCES = ("auto", "own", "rollups")


def _order(value: str) -> tuple:
    """Rows in a stable order: grades as numbers, "not recorded" last."""
    return (value == "", value == "other", int(value) if value.isdigit() else 0, value)


def _parse_period(first: str, last: str, today: date) -> tuple[date, date]:
    try:
        start = date.fromisoformat(first) if first else date(today.year, 1, 1)
        end = date.fromisoformat(last) if last else today
    except ValueError:
        raise ValidationError(N_("{field}: expected a date like 2026-12-02."), field="from/to") from None
    if end < start:
        raise ValidationError(N_("{field}: the end lies before the start."), field="to")
    if (end - start).days > MAX_DAYS:
        raise ValidationError(N_("{field}: a report covers at most three years."), field="to")
    return start, end


class ReportService:
    def __init__(self, store: Store, catalogs: CatalogService, today=date.today) -> None:
        self.store = store
        self.catalogs = catalogs
        self.today = today

    def build(self, first: str = "", last: str = "", by: tuple[str, ...] = (), language: str = "de",
              translate=lambda text: text, source: str = "auto") -> Report:
        """Count everything of the period; ``translate`` turns msgids into the report's language.

        ``source``: ``auto`` (the roll-ups once a store holds any, else its own records, as the CLI),
        ``own`` (this store's own records) or ``rollups`` (the imported roll-ups, one level up).
        """
        if source not in SOURCES:
            raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="source", value=source,
                                  allowed=", ".join(SOURCES))
        start, end = _parse_period(first, last, self.today())
        dims = tuple(by) or DEFAULT_DIMENSIONS
        unknown = [d for d in dims if d not in facts.DIMENSIONS]
        if unknown:
            raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="by", value=unknown[0],
                                  allowed=", ".join(facts.DIMENSIONS))
        conn, a, b = self.store.conn, start.isoformat(), end.isoformat()
        label = self._labeller(language, translate)
        if source == "auto":
            source = "rollups" if self.store.info.is_office and rollups.any_stored(conn) else "own"
        if source == "rollups":   # a Land office: the report one level up
            from elternlotse.services.report_land import land_report

            return land_report(rollups.within(conn, a, b), start, end,
                               self.store.info.organisation or self.store.info.name, dims, language, label,
                               translate, self._purpose)
        with self.store.read():
            facts.prepare(conn)
            [(contacts, families)] = facts.contact_counts(conn, a, b, (), families=True)
            [(anonymous,)] = facts.tally_counts(conn, a, b, ())
            [(unshared,)] = facts.anonymous_contact_counts(conn, a, b, ())
            first_contacts = facts.first_contacts(conn, a, b)
            events = facts.event_counts(conn, a, b)
            ms = (int(datetime.combine(start, time.min, timezone.utc).timestamp() * 1000),
                  int(datetime.combine(end, time.max, timezone.utc).timestamp() * 1000))
            report = Report(start, end, self.store.info.organisation or self.store.info.name, language, [
                (N_("Contacts with families"), contacts + unshared), (N_("Families reached"), families),
                (N_("First contacts"), first_contacts), (N_("Repeat contacts"), contacts - first_contacts),
                (UNSHARED_LABEL, unshared),
                (N_("People counted anonymously"), anonymous),
                (N_("Events held"), sum(e[1] for e in events)),
                (N_("Families at events (named)"), sum(e[2] for e in events)),
                (N_("People at events (headcount)"), sum(e[3] for e in events)),
                (N_("Families erased"), facts.erasures(conn, *ms)),
            ])
            plain = self._plain_contact_counts(dims, a, b)
            for dim in dims:
                report.tables.append(self._breakdown(dim, a, b, label, translate, plain.get((dim,))))
            if len(dims) >= 2:
                report.tables.append(self._cross(dims[0], dims[1], a, b, label, translate, plain.get(dims[:2])))
            report.tables += self._events_and_consents(events, a, b, label, translate)
        return report

    # ---------------------------------------------------------------- tables
    def _plain_contact_counts(self, dims: tuple[str, ...], a: str, b: str) -> dict[tuple[str, ...], list[tuple]]:
        """{(dim,) or (first, second): [(values..., contacts)]} for the plain dimensions, from one scan."""
        plain = tuple(d for d in PLAIN_DIMENSIONS if d in dims)
        if len(plain) < 2:
            return {}
        wanted = [(d,) for d in plain]
        if len(dims) >= 2 and dims[0] in plain and dims[1] in plain:
            wanted.append(dims[:2])
        sums: dict[tuple[str, ...], dict[tuple, int]] = {key: {} for key in wanted}
        positions = {key: [plain.index(d) for d in key] for key in wanted}
        for row in facts.contact_counts(self.store.conn, a, b, plain):
            contacts = row[-1]
            for key, at in positions.items():
                values = tuple(row[i] for i in at)
                sums[key][values] = sums[key].get(values, 0) + contacts
        return {key: [(*values, n) for values, n in counted.items()] for key, counted in sums.items()}

    def _breakdown(self, dim: str, a: str, b: str, label, translate, contact_rows=None) -> Table:
        counts: dict[str, list[int]] = {}
        if contact_rows is None:
            contact_rows = facts.contact_counts(self.store.conn, a, b, (dim,))
        for value, contacts in contact_rows:
            counts.setdefault(value, [0, 0])[0] += contacts
        for value, people in facts.tally_counts(self.store.conn, a, b, (dim,)):
            counts.setdefault(value, [0, 0])[1] += people
        for value, contacts in facts.anonymous_contact_counts(self.store.conn, a, b, (dim,)):
            counts.setdefault(value, [0, 0])[0] += contacts
        values = sorted(counts, key=_order)
        return Table(f"by-{dim}", translate(DIMENSION_LABELS[dim]), translate(DIMENSION_LABELS[dim]),
                     [label(dim, v) for v in values],
                     [translate(N_("Contacts with families")), translate(N_("People counted anonymously"))],
                     [counts[v] for v in values])

    def _cross(self, first_dim: str, second_dim: str, a: str, b: str, label, translate, contact_rows=None) -> Table:
        counts: dict[tuple[str, str], int] = {}
        if contact_rows is None:
            contact_rows = facts.contact_counts(self.store.conn, a, b, (first_dim, second_dim))
        for x, y, contacts in contact_rows:
            counts[(x, y)] = counts.get((x, y), 0) + contacts
        for x, y, people in facts.tally_counts(self.store.conn, a, b, (first_dim, second_dim)):
            counts[(x, y)] = counts.get((x, y), 0) + people
        for x, y, contacts in facts.anonymous_contact_counts(self.store.conn, a, b, (first_dim, second_dim)):
            counts[(x, y)] = counts.get((x, y), 0) + contacts
        rows = sorted({x for x, _ in counts}, key=_order)
        columns = sorted({y for _, y in counts}, key=_order)
        title = translate(N_("Reach by {first} and {second}")).format(
            first=translate(DIMENSION_LABELS[first_dim]), second=translate(DIMENSION_LABELS[second_dim]))
        return Table(f"cross-{first_dim}-{second_dim}", title, translate(DIMENSION_LABELS[first_dim]),
                     [label(first_dim, r) for r in rows], [label(second_dim, c) for c in columns],
                     [[counts.get((r, c), 0) for c in columns] for r in rows])

    def _events_and_consents(self, events, a: str, b: str, label, translate) -> list[Table]:
        events = sorted(events)
        tables = [
            Table("events", translate(N_("Events and their participants")), translate(N_("Format")),
                  [label("format", e[0]) for e in events],
                  [translate(N_("Families at events (named)")), translate(N_("People at events (headcount)"))],
                  [[e[2], e[3]] for e in events]),
            Table("events-held", translate(N_("Events held")), translate(N_("Format")),
                  [label("format", e[0]) for e in events], [translate(N_("Events held"))], [[e[1]] for e in events],
                  protected=False),
        ]
        handouts = facts.handouts_given(self.store.conn, a, b)
        topics = sorted({t for t, _, _ in handouts})
        languages = sorted({lang for _, lang, _ in handouts})
        given = {(t, lang): n for t, lang, n in handouts}
        tables.append(Table("handouts", translate(N_("Handouts given")), translate(N_("Topic")), topics,
                            [label("language", lang) for lang in languages],
                            [[given.get((t, lang), 0) for lang in languages] for t in topics], protected=False))
        consents = sorted(facts.consent_counts(self.store.conn, a, b))
        tables.append(Table("consents", translate(N_("Consents given and withdrawn")), translate(N_("Purpose")),
                            [self._purpose(p, translate) for p, _, _ in consents],
                            [translate(N_("given")), translate(N_("withdrawn"))],
                            [[g, w] for _, g, w in consents]))
        return tables

    @staticmethod
    def _purpose(value: str, translate) -> str:
        try:
            return translate(PURPOSE_LABELS[Purpose(value)])
        except (ValueError, KeyError):
            return value

    def _labeller(self, language: str, translate):
        from elternlotse.i18n.languages import display_name

        names = facts.peer_names(self.store.conn)
        names[self.store.info.node_id] = self.store.info.name
        catalog = self.catalogs.get()

        def label(dim: str, value: str) -> str:
            if value == "":
                return translate(N_("not recorded"))
            if dim == "navigator":
                return names.get(value, value)
            if dim == "format":
                return translate(CONTACT_FORMAT_LABELS.get(value, value))
            if dim == "language":
                try:
                    return display_name(value, language)
                except (ValueError, LookupError):  # an unknown tag is shown as it is
                    return value
            if dim == "topic":
                stage = catalog.stage(value)
                return stage.title(language) if stage else value
            if dim == "referral":
                return translate(REFERRAL_LABELS.get(value, N_("Other")))
            if dim == "interpreter":
                return translate(N_("with interpreter")) if value == "yes" else translate(N_("without interpreter"))
            if dim == "grade":
                return translate(N_("other grades")) if value == "other" else value
            return value

        return label
