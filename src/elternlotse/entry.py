"""Console entry point: no command opens the desktop app, a command runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    install_cli_language(argv)  # before the parser: its help texts are translated when built
    from elternlotse.cli.main import build_parser, run

    parser = build_parser()
    args = parser.parse_args(argv)
    from elternlotse.locations import resolve_data_dir
    from elternlotse.logs import install_logging

    with install_logging(resolve_data_dir(args.data_dir)) as log_file:  # <data>/logs/elternlotse.log
        return _dispatch(args, run, log_file.path)


def _dispatch(args, run, log_path) -> int:
    from elternlotse.logs import log_start, report_cli_crash

    if getattr(args, "handler", None) is None:
        from elternlotse.ui.start import run_desktop  # Qt is imported only when the window is wanted

        log_start("desktop")
        return run_desktop(args)
    log_start("cli " + str(args.command))
    try:
        return run(args)
    except BrokenPipeError:
        # The reader went away (``elternlotse family list | head``): not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # noqa: BLE001 - one sentence instead of a traceback; the log has it
        return report_cli_crash(error, sys.stderr, log_path)


def install_cli_language(argv: list[str]) -> str:
    """The UI language from settings.json of the data folder, else the system's, else German."""
    import argparse

    from elternlotse import settings as settings_file
    from elternlotse.locations import resolve_data_dir
    from elternlotse.i18n import install
    from elternlotse.i18n.argparse_texts import localise_argparse
    from elternlotse.i18n.languages import resolve_ui_language

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir")
    known, _rest = pre.parse_known_args(argv)
    configured = settings_file.load(resolve_data_dir(known.data_dir)).ui_language
    localise_argparse()  # "usage:", "options", argparse's errors in the same language
    return install(resolve_ui_language(configured))


if __name__ == "__main__":
    raise SystemExit(main())
