"""report: the office's figures for funders (PDF with charts, XLSX, CSV, JSON), small cells protected."""

from __future__ import annotations

from pathlib import Path

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _

FORMATS = ("pdf", "xlsx", "csv", "json", "docx")


def register(sub) -> None:
    p = sub.add_parser("report", help=_("the figures for funders: reach by period and dimension, small cells protected"))
    p.add_argument("--from", dest="first", default="", metavar="YYYY-MM-DD", help=_("first day (default: 1 January)"))
    p.add_argument("--to", dest="last", default="", metavar="YYYY-MM-DD", help=_("last day (default: today)"))
    p.add_argument("--by", default="", metavar="DIM[,DIM...]",
                   help=_("navigator, school, language, format, topic, grade, referral, month, interpreter"))
    p.add_argument("--protect", default="suppress", choices=("suppress", "round5", "none"),
                   help=_("suppress values of 1-4 (default), round to multiples of 5, or none (JSON to stdout only)"))
    p.add_argument("--format", default=None, choices=FORMATS, help=_("default: from the file name"))
    p.add_argument("--language", default="de", metavar="L", help=_("language of the labels (default: de)"))
    p.add_argument("-o", "--output", metavar="FILE", help=_("the file to write, or - for JSON on stdout"))
    p.set_defaults(handler=cmd_report, report_parser=p)
    actions = p.add_subparsers(dest="report_action", metavar="ACTION")
    r = actions.add_parser("rollup", help=_("signed, protected aggregates for the Land office"))
    r.add_argument("--from", dest="first", default="", metavar="YYYY-MM-DD", help=_("first day (default: 1 January)"))
    r.add_argument("--to", dest="last", default="", metavar="YYYY-MM-DD", help=_("last day (default: today)"))
    r.add_argument("--recipient", default=None, metavar="NODE_ID", help=_("the Land office (default: the one trusted)"))
    r.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the file to write"))
    r.set_defaults(handler=cmd_rollup)
    i = actions.add_parser("import", help=_("a Land office reads roll-up files"))
    i.add_argument("files", nargs="+", metavar="FILE")
    i.set_defaults(handler=cmd_import)


def cmd_report(args, cli: CliContext) -> int:
    from elternlotse.i18n import translator
    from elternlotse.i18n.languages import supported_ui_language
    from elternlotse.reports import tabular

    if args.output is None:
        args.report_parser.error(_("the following arguments are required: %s") % "-o/--output")
    to_stdout = args.output == "-"
    fmt = args.format or ("json" if to_stdout else Path(args.output).suffix.lower().lstrip("."))
    if fmt not in FORMATS:
        raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="--format", value=fmt,
                              allowed=", ".join(FORMATS))
    if to_stdout and fmt != "json":
        raise ValidationError(N_("{field}: only JSON can be written to standard output."), field="-o")
    if args.protect == "none" and not to_stdout:
        raise ValidationError(N_("{field}: unprotected figures never go into a file; use --protect suppress or "
                                 "round5, or -o - for JSON on the screen."), field="--protect")
    language = supported_ui_language(args.language) or "de"
    translate = translator(language)
    by = tuple(d.strip() for d in args.by.split(",") if d.strip())
    report = cli.services().reports.build(args.first, args.last, by, language=language, translate=translate)
    report.protected(args.protect)
    if to_stdout:
        cli.print_json(tabular.to_json(report, translate))
        return 0
    path = Path(args.output)
    if fmt == "pdf":
        from elternlotse.reports.pdf import write_pdf

        write_pdf(report, path, translate)
    elif fmt == "docx":   # the Sachbericht skeleton: sections and figures for the office to complete
        from elternlotse.reports.narrative import write_docx

        write_docx(report, path, translate)
    else:
        {"xlsx": tabular.write_xlsx, "csv": tabular.write_csv, "json": tabular.write_json}[fmt](report, path, translate)
    cli.err.write(_("Report written: {path}").format(path=path) + "\n")
    return 0


def cmd_rollup(args, cli: CliContext) -> int:
    path = Path(args.output)
    document = cli.services().rollups.export(path, args.first, args.last, to=args.recipient)
    cli.err.write(_("Roll-up for {first} to {last} written: {path}").format(
        first=document["first"], last=document["last"], path=path) + "\n")
    return 0


def cmd_import(args, cli: CliContext) -> int:
    """Every file on its own transaction, as ``sync import``: a refused file never keeps the others out."""
    from elternlotse.i18n.rollup_text import outcome_sentence

    outcomes = cli.services().rollups.import_each(args.files)
    if len(outcomes) == 1 and outcomes[0].error is not None:
        raise outcomes[0].error
    for item in outcomes:
        cli.err.write(outcome_sentence(item) + "\n")
    refused = sum(item.outcome == "refused" for item in outcomes)
    if refused:
        cli.err.write(_("{count} of {total} files were refused; the others were imported.").format(
            count=refused, total=len(outcomes)) + "\n")
        return 1
    return 0
