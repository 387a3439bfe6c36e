"""The Land office's report: the same report one level up, from the roll-ups of its offices.

Every roll-up whose period lies inside the report's period counts (``store.rollups.within``);
an office with two roll-ups in the period (two half-years) counts with both.  The figures are
sums of the offices' rounded counts; ``Report.protected`` then protects the sums again, so no
cell leaves the Land office unprotected either.  "Office" is a dimension: a table by office and
a cross table of office and the first other dimension.  Navigator and school are not in roll-ups.
"""

from __future__ import annotations

from elternlotse.domain.text import N_
from elternlotse.services.report import DIMENSION_LABELS, UNSHARED_LABEL, Report, Table, _order
from elternlotse.sync.rollup import DIMENSIONS, KEY_FIGURES

FIGURE_LABELS = dict(zip(KEY_FIGURES, (
    N_("Contacts with families"), N_("Families reached"), N_("First contacts"), N_("Repeat contacts"), UNSHARED_LABEL,
    N_("People counted anonymously"), N_("Events held"), N_("Families at events (named)"),
    N_("People at events (headcount)"), N_("Families erased")), strict=True))


def land_report(docs: list[dict], start, end, organisation: str, dims: tuple[str, ...], language: str, label,
                translate, purpose) -> Report:
    report = Report(start, end, organisation, language,
                    [(FIGURE_LABELS[k], sum(d["key_figures"][k] for d in docs)) for k in KEY_FIGURES])
    names = {d["office"]: d["name"] for d in docs}
    contacts = translate(N_("Contacts with families"))
    anonymous = translate(N_("People counted anonymously"))
    by_office: dict[str, list[int]] = {}
    for d in docs:
        row = by_office.setdefault(d["office"], [0, 0])
        row[0] += d["key_figures"]["contacts"]
        row[1] += d["key_figures"]["anonymous"]
    offices = sorted(by_office, key=lambda o: names[o])
    office_label = translate(N_("Office"))
    report.tables.append(Table("by-office", office_label, office_label, [names[o] for o in offices],
                               [contacts, anonymous], [by_office[o] for o in offices]))
    dims = [d for d in dims if d in DIMENSIONS]
    for dim in dims:
        counts: dict[str, list[int]] = {}
        for d in docs:
            for value, c, t in d["tables"][dim]:
                row = counts.setdefault(value, [0, 0])
                row[0] += c
                row[1] += t
        values = sorted(counts, key=_order)
        report.tables.append(Table(f"by-{dim}", translate(DIMENSION_LABELS[dim]), translate(DIMENSION_LABELS[dim]),
                                   [label(dim, v) for v in values], [contacts, anonymous], [counts[v] for v in values]))
    if dims:
        dim = dims[0]
        cross: dict[tuple[str, str], int] = {}
        for d in docs:
            for value, c, t in d["tables"][dim]:
                cross[(d["office"], value)] = cross.get((d["office"], value), 0) + c + t
        columns = sorted({v for _, v in cross}, key=_order)
        title = translate(N_("Reach by {first} and {second}")).format(first=office_label,
                                                                      second=translate(DIMENSION_LABELS[dim]))
        report.tables.append(Table(f"cross-office-{dim}", title, office_label, [names[o] for o in offices],
                                   [label(dim, c) for c in columns],
                                   [[cross.get((o, c), 0) for c in columns] for o in offices]))
    events: dict[str, list[int]] = {}
    for d in docs:
        for kind, held, families, headcount in d["events"]:
            row = events.setdefault(kind, [0, 0, 0])
            row[0] += held
            row[1] += families
            row[2] += headcount
    kinds = sorted(events)
    report.tables += [
        Table("events", translate(N_("Events and their participants")), translate(N_("Format")),
              [label("format", k) for k in kinds],
              [translate(N_("Families at events (named)")), translate(N_("People at events (headcount)"))],
              [events[k][1:] for k in kinds]),
        Table("events-held", translate(N_("Events held")), translate(N_("Format")), [label("format", k) for k in kinds],
              [translate(N_("Events held"))], [[events[k][0]] for k in kinds], protected=False),
    ]
    consents: dict[str, list[int]] = {}
    for d in docs:
        for p, given, withdrawn in d["consents"]:
            row = consents.setdefault(p, [0, 0])
            row[0] += given
            row[1] += withdrawn
    report.tables.append(Table("consents", translate(N_("Consents given and withdrawn")), translate(N_("Purpose")),
                               [purpose(p, translate) for p in sorted(consents)],
                               [translate(N_("given")), translate(N_("withdrawn"))],
                               [consents[p] for p in sorted(consents)]))
    return report
