"""``faaskit openapi APP [--out FILE]``: the OpenAPI 3.1 document of an app's HTTP routes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from faaskit.cli._common import add_debug, write

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit openapi``."""
    parser = subparsers.add_parser(
        "openapi",
        help="write the OpenAPI 3.1 document of an app's HTTP routes",
        description="Print (or write with --out) the OpenAPI 3.1 document of every HTTP route: "
        "methods, path parameters, body schemas and auth. 'faaskit serve' serves the same "
        "document at /openapi.json.",
    )
    parser.add_argument("app", metavar="APP", help="module name or file holding the handlers")
    parser.add_argument("--out", "-o", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--title", help="info.title (default: the app name in faaskit.toml)")
    add_debug(parser)


def run(args: argparse.Namespace) -> int:
    """Load the app and print or write its document."""
    from faaskit.devserver.openapi import document, title_of
    from faaskit.tooling.apps import load_app

    app = load_app(args.app)
    text = json.dumps(document(app.handlers, title=args.title or title_of(app)), indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        write(text)
    return 0
