"""The ``faaskit`` command line (also ``python -m faaskit``).

Each command lives in its own module of this package with two functions:
``add_parser(subparsers)`` declares its arguments and ``run(args) -> int`` does the work.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["main"]

COMMANDS = ("new", "token", "openapi", "doctor", "build", "deploy", "serve", "invoke", "events")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="faaskit",
        description="Build, run and test portable serverless handlers for AWS and Azure.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"faaskit.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"faaskit.cli.{name}":
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    module = importlib.import_module(f"faaskit.cli.{args.command}")
    try:
        code: int = module.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"faaskit {args.command}: error: {exc}", file=sys.stderr)
        return 1
    return code
