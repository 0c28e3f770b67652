"""``faaskit invoke APP:HANDLER``: run one handler once, print the native response."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from faaskit.cli._common import (
    add_debug,
    add_overrides,
    merge_overrides,
    parse_overrides,
    print_json,
)
from faaskit.cli._logs import add_log_format, local_metrics, setup_logging
from faaskit.exceptions import ConfigurationError

__all__ = ["add_parser", "run"]

_EPILOG = """\
The event is --event FILE (JSON; '-' reads stdin), or --source NAME with key=value overrides
(see 'faaskit events'), or by default the source that delivers the handler's trigger on the
platform, filled from its declaration (method and route, bucket, queue, topic, stream, event
pattern). On azure, --event takes the invocation JSON 'faaskit events azure:...' prints.
Cloud storage URLs (s3://, sqs://, azure://, ...) use the local data folder, as in serve.

examples:
  faaskit invoke app.py:hello --source apigw-v2 path=/hello/ada
  faaskit invoke app.py:on_upload --platform azure key=photos/cat.png
  faaskit events sqs body=hi > ev.json && faaskit invoke app.py:worker --event ev.json
"""


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit invoke``."""
    parser = subparsers.add_parser(
        "invoke",
        help="run one handler once and print the native response",
        description="Run one handler once through the chosen cloud's adapter and print the "
        "native response (the Lambda response, or the Azure function's return value).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("target", metavar="APP:HANDLER", help="module or file, ':' handler name")
    add_overrides(parser, _options)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event", "-e", metavar="FILE", help="the event as a JSON file")
    parser.add_argument("--source", "-s", metavar="NAME", help="an event source (faaskit events)")
    parser.add_argument(
        "--platform", "-p", choices=("aws", "azure"), default="aws", help="default: aws"
    )
    parser.add_argument(
        "--data",
        default=".faaskit/local",
        metavar="DIR",
        help="local storage, queues and topics, as for faaskit serve (default: .faaskit/local)",
    )
    add_debug(parser)
    add_log_format(parser)


def _read_event(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read event file {path!r}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"event file {path!r} is not UTF-8 text: {exc.reason}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(
            f"event file {path!r} is not JSON: {exc.msg} at line {exc.lineno}, column "
            f"{exc.colno}; generate one with 'faaskit events SOURCE'"
        ) from exc


def _event(args: argparse.Namespace, handler: Any) -> Any:
    from faaskit.testing.sources import event, find

    overrides = parse_overrides(args.overrides)
    if args.event and args.source:
        raise ConfigurationError("give --event FILE or --source NAME, not both")
    if args.event:
        if overrides:
            raise ConfigurationError("key=value overrides go with --source, not --event")
        found = _read_event(args.event)
        if args.platform == "azure" and not (isinstance(found, dict) and "binding" in found):
            raise ConfigurationError(
                f"event file {args.event!r} is not an Azure invocation (an object with "
                f"'binding', 'data' and 'trigger_metadata'; got {type(found).__name__}); "
                "generate one with 'faaskit events azure:SOURCE'"
            )
        return found
    if args.source:
        return event(find(args.source, args.platform), **overrides)
    trigger = handler.trigger
    if trigger is None:
        raise ConfigurationError(
            f"handler {handler.name!r} declares no trigger; pass --event FILE or --source NAME"
        )
    from faaskit.cli._defaults import declared_event

    source, arguments = declared_event(trigger, args.platform, handler.name, overrides)
    return event(find(source), **arguments)


def run(args: argparse.Namespace) -> int:
    """Import the app, build the event, invoke, print."""
    from faaskit.devserver.native import describe
    from faaskit.testing.runner import invoke
    from faaskit.tooling.apps import load_app, split_target

    merge_overrides(args)
    setup_logging(getattr(args, "log_format", "text"), debug=getattr(args, "debug", False))
    local_metrics()
    spec, name = split_target(args.target)
    app = load_app(spec)
    if name is None:
        if len(app.handlers) != 1:
            known = ", ".join(h.name for h in app.handlers) or "none"
            raise ConfigurationError(
                f"{app.where} holds {len(app.handlers)} handlers ({known}); name one as "
                f"{spec}:HANDLER"
            )
        handler = app.handlers[0]
    else:
        handler = app.handler(name)
    event = _event(args, handler)
    from faaskit.devserver.local import LocalCloud

    try:
        with LocalCloud(args.data).installed():
            result = invoke(handler, event, platform=args.platform)
    except Exception as exc:
        if getattr(args, "debug", False):
            raise
        print(
            f"faaskit invoke: handler {handler.name!r} raised {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return 1
    print_json(describe(result))
    return 0
