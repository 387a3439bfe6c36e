"""catalog check | install | list; stages."""

from __future__ import annotations

from pathlib import Path

from elternlotse.catalogs import bundled_catalogs, load_catalog_file
from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.kaoa import PARENT_ROLE_LABELS, TARGET_GROUP_LABELS, Catalog, Stage
from elternlotse.domain.text import N_
from elternlotse.i18n import _, active_language, translate_error


def register(sub) -> None:
    catalog = sub.add_parser("catalog", help=_("check, install and list vocational-orientation catalogues"))
    csub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    p = csub.add_parser("check", help=_("validate a catalogue file (exit 1 with one sentence if it is broken)"))
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_check)

    p = csub.add_parser("install", help=_("validate a catalogue file and store it (a newer version replaces the older)"))
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_install)

    p = csub.add_parser("use", help=_("make a catalogue the one used for stages, checklists and next steps"))
    p.add_argument("id", metavar="ID")
    p.set_defaults(handler=cmd_use)

    p = csub.add_parser("list", help=_("catalogues in use"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("stages", help=_("the stages of a catalogue (default: the active one)"))
    p.add_argument("--catalog", metavar="ID", default=None)
    p.add_argument("--language", default=None, metavar="LANG", help=_("language of the stage texts (de, en)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stages)


def _load(path: str) -> Catalog:
    try:
        return load_catalog_file(path)
    except ValidationError as error:
        raise ValidationError(N_("{path}: {problem}"), path=Path(path).name, problem=translate_error(error)) from None


def cmd_check(args, cli: CliContext) -> int:
    catalog = _load(args.file)
    items = sum(len(s.items) for s in catalog.stages)
    cli.say(_("{path}: ok ({id} version {version}, {stages} stages, {items} checklist items)").format(
        path=Path(args.file).name, id=catalog.id, version=catalog.version, stages=len(catalog.stages), items=items))
    return 0


def cmd_install(args, cli: CliContext) -> int:
    catalog = _load(args.file)
    result = cli.services().catalogs.install(load_text(args.file), origin="file")
    messages = {
        "installed": _("Catalogue {id} version {version} installed."),
        "replaced": _("Catalogue {id} version {version} installed; it replaces the older version."),
        "unchanged": _("Catalogue {id} version {version} was already installed; nothing changed."),
        "older": _("Catalogue {id} version {version} is older than the one in use; nothing changed."),
    }
    cli.say(messages[result.status].format(id=catalog.id, version=catalog.version))
    return 0


def cmd_use(args, cli: CliContext) -> int:
    catalogs = cli.services().catalogs
    catalogs.set_active(args.id)
    catalog = catalogs.get()
    cli.say(_("Now using {id} version {version}.").format(id=catalog.id, version=catalog.version))
    return 0


def load_text(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def _catalogs(cli: CliContext) -> tuple[list[Catalog], str]:
    from elternlotse.store import Store  # the store stack loads only when needed

    if Store.exists(cli.data_dir):
        service = cli.services().catalogs
        return service.catalogs(), service.active_id()
    return bundled_catalogs(), "nrw-kaoa"


def cmd_list(args, cli: CliContext) -> int:
    catalogs, active = _catalogs(cli)
    if args.json:
        cli.print_json([{"id": c.id, "programme": c.programme, "region": c.region, "version": c.version,
                         "valid_from": c.valid_from.isoformat(), "stages": len(c.stages), "active": c.id == active}
                        for c in catalogs])
        return 0
    for c in catalogs:
        mark = "*" if c.id == active else " "
        cli.say(f"{mark} {c.id}  {c.version}  {c.valid_from.isoformat()}  {c.region}  {c.title(active_language())}")
    return 0


def stage_json(stage: Stage, language: str) -> dict:
    return {
        "key": stage.key, "number": stage.number or None, "title": stage.title(language),
        "grades": {"from": stage.grades[0], "to": stage.grades[1]},
        "timing": {"half": stage.timing.half,
                   "months": {"from": stage.timing.months[0], "to": stage.timing.months[1]} if stage.timing.months else None,
                   "hint": stage.timing.hint.get(language) or stage.timing.hint.get("en") or None},
        "parents": {"role": stage.parents_role, "text": stage.parents_text(language)},
        "consent_needed": stage.consent_needed, "optional": stage.optional, "target_group": stage.target_group,
        "excluded_groups": list(stage.excluded_groups),
        "items": [{"key": i.key, "text": i.text(language)} for i in stage.items],
    }


def cmd_stages(args, cli: CliContext) -> int:
    catalogs, active = _catalogs(cli)
    wanted = args.catalog or active
    catalog = next((c for c in catalogs if c.id == wanted), None)
    if catalog is None:
        raise ValidationError(N_("No catalogue with the id {id}."), id=wanted)
    language = args.language or active_language()
    if args.json:
        cli.print_json({"catalog": catalog.id, "version": catalog.version, "programme": catalog.programme,
                        "region": catalog.region, "valid_from": catalog.valid_from.isoformat(), "source": catalog.source,
                        "stages": [stage_json(s, language) for s in catalog.stages]})
        return 0
    cli.say(f"{catalog.title(language)}  ({catalog.id} {catalog.version}, {catalog.region})")
    for s in catalog.stages:
        grades = str(s.grades[0]) if s.grades[0] == s.grades[1] else f"{s.grades[0]}-{s.grades[1]}"
        flags = []
        if s.consent_needed:
            flags.append(_("parental consent"))
        if s.optional:
            flags.append(_("optional"))
        if s.target_group:
            flags.append(_(TARGET_GROUP_LABELS[s.target_group]))
        number = f"{s.number} " if s.number else ""
        grade = _("grade {grades}").format(grades=grades)
        cli.say(f"  {s.key:<24} {grade:<12} {number}{s.title(language)}"
                + (f"  [{', '.join(flags)}]" if flags else ""))
        parents = _("{role}: {text}").format(role=_(PARENT_ROLE_LABELS[s.parents_role]), text=s.parents_text(language))
        cli.say(f"  {'':<24} {parents}")
    return 0


def self_test_check(services, workdir) -> str:
    """For ``self-test``: the bundled catalogues load, a child's stages and the agenda can be worked out."""
    from datetime import date

    catalog = services.catalogs.get()
    day = date(2026, 11, 23)
    infos = services.checklists.all_infos()
    if not infos:
        raise RuntimeError("no child to derive stages for")
    child, _info = infos[0]
    services.checklists.checklist(child.id, day)
    agenda = services.agenda.next_steps(day, 8)
    return _("catalogues: ok ({id} {version}, {stages} stages; {items} next steps in the demo data)").format(
        id=catalog.id, version=catalog.version, stages=len(catalog.stages), items=agenda.item_count)
