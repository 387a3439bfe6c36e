"""import / export: the office's spreadsheets (XLSX, CSV) in, XLSX out."""

from __future__ import annotations

from pathlib import Path

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _, ngettext

MAX_MAPPING_BYTES = 256 * 1024


def register(sub) -> None:
    p = sub.add_parser("import", help=_("import an office's list of families (XLSX or CSV): dry run, then one transaction"))
    p.add_argument("file", metavar="FILE", help=_("the XLSX or CSV file"))
    p.add_argument("--map", dest="mapping", metavar="MAPPING.json", help=_("a saved column mapping (default: guessed from the headers)"))
    p.add_argument("--save-map", dest="save_mapping", metavar="MAPPING.json", help=_("save the column mapping used to this file"))
    p.add_argument("--sheet", metavar="NAME", help=_("the sheet of the workbook (default: the first)"))
    p.add_argument("--dry-run", action="store_true", help=_("only report what each row would do; write nothing"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help=_("export families, contacts or events as XLSX (only what consent allows)"))
    p.add_argument("kind", choices=("families", "contacts", "events"), help=_("what to export"))
    p.add_argument("--language", default="de", metavar="L", help=_("language of the labels (default: de)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help=_("the file to write"))
    p.set_defaults(handler=cmd_export)


def read_mapping(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_MAPPING_BYTES + 1)
    except OSError:
        raise ValidationError(N_("The file {path} cannot be read."), path=path) from None
    if len(data) > MAX_MAPPING_BYTES:
        raise ValidationError(N_("{path}: a column mapping is at most {limit} KB."), path=path,
                              limit=MAX_MAPPING_BYTES // 1024)
    return data


def plan_json(plan, translate_error) -> dict:
    return {
        "format": "elternlotse.import-report/1",
        "imported": plan.imported,
        "sheet": plan.sheet_name,
        "mapping": plan.mapping.to_json(),
        "counts": plan.counts(),
        "rows": [{"row": r.row, "outcome": r.outcome, "family": r.family_id or None,
                  "reason": translate_error(r.error) if r.error is not None else None} for r in plan.rows],
    }


def cmd_import(args, cli: CliContext) -> int:
    import json

    from elternlotse.i18n import translate_error
    from elternlotse.reports.tabular import write_atomically

    mapping = read_mapping(args.mapping) if args.mapping else None
    plan = cli.services().sheet_import.run(args.file, mapping, sheet=args.sheet, dry_run=args.dry_run)
    if args.save_mapping:
        write_atomically(Path(args.save_mapping),
                         json.dumps(plan.mapping.to_json(), ensure_ascii=False, indent=2).encode("utf-8"))
    if args.json:
        cli.print_json(plan_json(plan, translate_error))
        return 0
    for row in plan.rows:
        if row.outcome in ("refused", "duplicate"):
            label = _("refused") if row.outcome == "refused" else _("duplicate")
            cli.say(_("Row {row}: {outcome}: {reason}").format(row=row.row, outcome=label,
                                                                reason=translate_error(row.error)))
    counts = plan.counts()
    summary = _("{new} new, {updated} updated, {duplicate} duplicate, {refused} refused.").format(**counts)
    if args.dry_run:
        cli.say(_("Dry run, nothing written: {summary}").format(summary=summary))
    else:
        written = counts["new"] + counts["updated"]
        cli.say(ngettext("Imported {count} row: {summary}", "Imported {count} rows: {summary}", written)
                .format(count=written, summary=summary))
    return 0


def cmd_export(args, cli: CliContext) -> int:
    from elternlotse.i18n import translator
    from elternlotse.i18n.languages import supported_ui_language
    from elternlotse.services.notices import SAVED_FILES

    path = Path(args.output)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(N_("{field}: the export is an XLSX file; name it *.xlsx."), field="-o")
    language = supported_ui_language(args.language) or "de"
    services = cli.services()
    count = services.sheet_export.write(args.kind, path, translator(language))
    cli.err.write(ngettext("{count} row written to {path}.", "{count} rows written to {path}.", count)
                  .format(count=count, path=path) + "\n")
    if services.notices.first_time(SAVED_FILES):
        cli.err.write(_("This file holds personal data and is not protected by the encrypted store: only you can open "
                        "it on this computer, but keep it safe and delete it when it is no longer needed.") + "\n")
    return 0
