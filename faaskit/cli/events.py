"""``faaskit events SOURCE [key=value ...]``: print a realistic event for any supported source."""

from __future__ import annotations

import argparse
from typing import Any

from faaskit.cli._common import (
    add_debug,
    add_overrides,
    merge_overrides,
    parse_overrides,
    print_json,
    write,
)

__all__ = ["add_parser", "run"]

_EPILOG = """\
overrides: key=value sets a string, key:=JSON sets any JSON value; a factory parameter
(body, key, method, path, ...) by name, or any field of the event by dotted path
(requestContext.stage=prod). Run 'faaskit events' alone to list the sources, and
'faaskit events SOURCE --params' to list a source's parameters.

examples:
  faaskit events aws:sqs body='{"order": 1}'
  faaskit events apigw-v2 method=POST path=/items body:='{"name": "x"}'
  faaskit events azure:queue body=hello dequeue_count:=3
"""


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit events``."""
    parser = subparsers.add_parser(
        "events",
        help="print a realistic event for a source of either cloud",
        description="Print a realistic event for a supported AWS or Azure source "
        "(like 'sam local generate-event'). Azure sources print the invocation the host hands "
        "the Python worker (binding, typed data, trigger metadata).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", nargs="?", help="aws:sqs, azure:queue, or a unique bare name")
    add_overrides(parser, _options)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--platform", choices=("aws", "azure"), help="resolve bare names here")
    parser.add_argument("--params", action="store_true", help="list the source's parameters")
    add_debug(parser)


def run(args: argparse.Namespace) -> int:
    """Print the event (or the list of sources)."""
    from faaskit.testing.sources import SOURCES, event, find

    merge_overrides(args)
    if not args.source:
        width = max(len(s) for s in SOURCES)
        for name, source in SOURCES.items():
            write(f"{name:<{width}}  {source.kind:<8}  {source.summary}")
        return 0
    source = find(args.source, args.platform)
    if args.params:
        write(f"{source.id}: {source.summary}")
        for name in source.parameters():
            write(f"  {name}")
        return 0
    print_json(event(source, **parse_overrides(args.overrides)))
    return 0
