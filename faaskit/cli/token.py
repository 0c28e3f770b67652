"""``faaskit token --sub NAME [--claim k=v ...]``: a bearer token ``faaskit serve`` accepts.

The token is signed by the project's local key (``<data>/auth/``, made on first use) for the
JWT issuer and audiences the app's routes declare, so ``curl -H "Authorization: Bearer $(faaskit
token --sub ada)"`` reaches a protected route of the local dev server. No cloud accepts it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from faaskit.cli._common import add_debug, parse_overrides
from faaskit.exceptions import ConfigurationError

__all__ = ["add_parser", "run"]

_EPILOG = """\
examples:
  faaskit token --sub ada
  faaskit token app.py --sub ada --claim scope="items:read items:write" --claim admin:=true
  curl -H "Authorization: Bearer $(faaskit token --sub ada)" localhost:3000/items
"""


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit token``."""
    parser = subparsers.add_parser(
        "token",
        help="mint a local JWT the dev server accepts",
        description="Print a JWT signed by this project's local key, for the issuer and "
        "audiences the app's jwt routes declare (or --issuer/--audience).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "app", nargs="?", default="app.py", metavar="APP", help="the app (default: app.py)"
    )
    parser.add_argument("--sub", required=True, help="the subject: who the caller is")
    parser.add_argument(
        "--claim",
        action="append",
        default=[],
        metavar="K=V",
        help="an extra claim (k=text, or k:=JSON); repeatable",
    )
    parser.add_argument("--issuer", help="default: the issuer the app's jwt routes declare")
    parser.add_argument(
        "--audience", action="append", default=[], help="default: every declared audience"
    )
    parser.add_argument(
        "--expires", type=int, default=3600, metavar="SECONDS", help="lifetime (default: 3600)"
    )
    parser.add_argument(
        "--data",
        default=".faaskit/local",
        metavar="DIR",
        help="the dev server's data folder holding the key (default: .faaskit/local)",
    )
    add_debug(parser)


def _issuer(args: argparse.Namespace) -> tuple[str, list[str]]:
    if args.issuer and args.audience:
        return args.issuer, list(args.audience)
    from faaskit.devserver.keys import declared_issuer
    from faaskit.tooling.apps import load_app

    if not Path(args.app).exists() and args.app == "app.py":
        raise ConfigurationError(
            "no app.py here: name the app (faaskit token APP --sub NAME) or give --issuer and "
            "--audience"
        )
    app = load_app(args.app)
    issuer, audience = declared_issuer([getattr(h, "trigger", None) for h in app.handlers])
    return args.issuer or issuer, list(args.audience) or audience


def run(args: argparse.Namespace) -> int:
    """Mint and print the token."""
    from faaskit.devserver.keys import LocalKeys

    if args.expires < 1:
        raise ConfigurationError(f"--expires must be >= 1 second, got {args.expires}")
    issuer, audience = _issuer(args)
    claims = parse_overrides(args.claim)
    token = LocalKeys(args.data).mint(
        args.sub, issuer=issuer, audience=audience, claims=claims, expires_in=args.expires
    )
    print(token)
    return 0
