"""Console entry point: no command opens the desktop app, a command runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from elternlotse.cli.main import build_parser, run

    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        from elternlotse.ui.start import run_desktop  # Qt is imported only when the window is wanted

        return run_desktop(args)
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
