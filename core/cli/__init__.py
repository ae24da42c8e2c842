"""The ``podpath`` command: no arguments opens the app on the demo; subcommands run headless.

Each subcommand lives in its own module ``core.cli.<name>`` exposing ``register(subparsers)``; the
module's handler returns the process exit code (0 ok, 1 invalid input or failed check, 2 usage).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from core.cli.options import OneLineParser

SUBCOMMANDS = ("validate", "info", "export", "run", "route", "rules", "snapshot")
APP_OPTIONS = ("--quit-after",)  # the desktop app's own options (desktop/app.py), given before or without a FILE


def _is_app_option(arg: str) -> bool:
    return arg.split("=", 1)[0] in APP_OPTIONS


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="podpath",
        description="PodPath: watch Kubernetes Service traffic take its real path. "
        "Without a subcommand the desktop app opens on the built-in demo.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"core.cli.{name}")
        except ModuleNotFoundError as exc:  # a subcommand not built yet
            if exc.name == f"core.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    try:
        if not argv or _is_app_option(argv[0]) or (argv[0] not in SUBCOMMANDS and not argv[0].startswith("-")):
            from core.cli.app import launch_default  # the desktop app: `podpath` or `podpath FILE`

            return launch_default(argv)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
            return int(exc.code or 0)
        if not getattr(args, "handler", None):
            parser.print_help()
            return 2
        return int(args.handler(args))
    except BrokenPipeError:  # e.g. `podpath ... | head`: stop quietly, as a Unix tool does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
