"""handout: print a handout as PDF; list topics x languages with their review state."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from elternlotse.cli.context import CliContext
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.i18n import _

if TYPE_CHECKING:  # ReportLab and the store load only when a handout is really made
    from elternlotse.handouts import HandoutLibrary

_MARKS = {"reviewed": "✓", "unreviewed": "~", "missing": "·"}


def register(sub) -> None:
    p = sub.add_parser("handout", help=_("print a handout as PDF (one language, or beside German); --list shows all"))
    p.add_argument("topic", nargs="?", metavar="TOPIC", help=_("the handout's topic, e.g. dual-training"))
    p.add_argument("--lang", metavar="L", help=_("the parent's language, e.g. tr, ar, uk"))
    p.add_argument("--with", dest="with_lang", metavar="L2", help=_("a second language beside it (German: de)"))
    p.add_argument("--family", metavar="ID", help=_("personalise for this family (names, children's next steps)"))
    p.add_argument("-o", "--output", metavar="FILE.pdf", help=_("the PDF file to write"))
    p.add_argument("--list", action="store_true", help=_("list topics x languages with their review state"))
    p.add_argument("--json", action="store_true", help=_("with --list: JSON on standard output"))
    p.add_argument("--set-contact", metavar="TEXT",
                   help=_("set how parents reach you, printed on handouts (phone, e-mail, office hours); '' removes it"))
    p.set_defaults(handler=cmd_handout)


def _check_language(value: str, option: str) -> str:
    from elternlotse.handouts import LANGUAGES

    if value not in LANGUAGES:
        raise ValidationError(N_("{field}: '{value}' is not a handout language (one of: {allowed})."),
                              field=option, value=value, allowed=", ".join(LANGUAGES))
    return value


def cmd_handout(args, cli: CliContext) -> int:
    from elternlotse.handouts import HandoutContext, HandoutLibrary, render_handout, write_atomic
    from elternlotse.store import Store

    library = HandoutLibrary()
    if args.set_contact is not None:
        value = _handout_service(cli, library).set_contact(args.set_contact)
        cli.say(_("Contact on handouts: {contact}").format(contact=value) if value
                else _("No contact is printed on handouts any more."))
        return 0
    if args.list:
        return _list(args, cli, library)
    if not args.topic:
        raise ValidationError(N_("Name a topic (see 'elternlotse handout --list'); nothing was written."))
    if not args.lang:
        raise ValidationError(N_("--lang: name the language to print in, e.g. --lang tr; nothing was written."))
    if not args.output:
        raise ValidationError(N_("-o: name the PDF file to write; nothing was written."))
    library.topic(args.topic)  # unknown topic: one sentence, before anything else
    language = _check_language(args.lang, "--lang")
    other = _check_language(args.with_lang, "--with") if args.with_lang else None
    output = Path(args.output)
    if output.is_dir():
        raise ValidationError(N_("{path} is a folder; name a PDF file."), path=str(output))
    if args.family or Store.exists(cli.data_dir):
        _handout_service(cli, library).write(output, args.topic, language, other, args.family)
    else:
        write_atomic(output, render_handout(args.topic, language, other, context=HandoutContext(), library=library))
    cli.say(_("Handout written: {path}").format(path=str(output)))
    return 0


def _handout_service(cli: CliContext, library: HandoutLibrary):
    from elternlotse.services.handouts import HandoutService

    services = cli.services()
    return HandoutService(services.store, services.families, getattr(services, "checklists", None), library)


def _list(args, cli: CliContext, library: HandoutLibrary) -> int:
    from elternlotse.handouts import LANGUAGES

    table = library.review_table()
    if args.json:
        cli.print_json({"languages": list(LANGUAGES), "topics": table})
        return 0
    width = max((len(row["topic"]) for row in table), default=5)
    cells = {lang: max(3, len(lang)) for lang in LANGUAGES}  # "fa-AF" is wider than "de"
    cli.say(" " * (width + 2) + " ".join(f"{lang:<{cells[lang]}}" for lang in LANGUAGES))
    for row in table:
        cli.say(f"{row['topic']:<{width}}  " + " ".join(f"{_MARKS[row['languages'][lang]]:<{cells[lang]}}" for lang in LANGUAGES))
    cli.say(_("✓ reviewed by a native speaker   ~ not yet reviewed   · not written yet"))
    return 0


def self_test_check(services, workdir: Path) -> str:
    """``self-test``: render a bilingual right-to-left handout into the self-test folder and read it back."""
    from elternlotse.handouts import HandoutLibrary
    from elternlotse.services.handouts import HandoutService

    library = HandoutLibrary()
    topic = library.topics()[0].id
    languages = library.languages(topic)
    language = next((lang for lang in ("ar", "fa", "tr", "en") if lang in languages), "de")
    path = HandoutService(services.store, services.families, None, library).write(
        Path(workdir) / "self-test-handout.pdf", topic, language, "de" if language != "de" else None)
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"/Type /Page" not in data:
        raise RuntimeError("the self-test handout is not a PDF")
    return _("handout: ok ({topic}, {language} beside German, {size} KB)").format(
        topic=topic, language=language, size=len(data) // 1024)
