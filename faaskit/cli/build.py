"""``faaskit build APP --target aws|azure|all [--out DIR]``: write the deploy artifacts."""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["add_parser", "add_settings_arguments", "run", "settings_from"]


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments shared by ``build`` and ``deploy``."""
    parser.add_argument("app", help="a module (mypkg.app) or file (app.py) holding handlers")
    parser.add_argument("--target", choices=("aws", "azure", "all"), default="all")
    parser.add_argument("--out", default="build", help="output folder (default: build)")
    parser.add_argument("--stage", help="a stage declared in faaskit.toml ([stages.NAME])")
    parser.add_argument("--runtime", help="Lambda runtime, e.g. python3.12")
    parser.add_argument("--memory", type=int, help="memory in MB (default 512)")
    parser.add_argument("--timeout", type=int, help="timeout in seconds (default 30)")
    parser.add_argument("--architecture", choices=("x86_64", "arm64"))
    parser.add_argument("--tracing", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--max-receive-count", type=int, help="deliveries before dead-letter")
    parser.add_argument("--include-boto3", action="store_true", help="ship boto3 to Lambda")
    parser.add_argument("--route-prefix", help="Azure HTTP route prefix (default: none)")
    parser.add_argument(
        "--pip-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra pip argument; options as --pip-arg=--no-index",
    )
    parser.add_argument(
        "--azure-option",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="a faaskit_azure.function_app option, e.g. queue_service='\"servicebus\"'",
    )


def settings_from(args: argparse.Namespace) -> Any:
    """The :class:`faaskit.deploy.Settings` the arguments ask for."""
    from faaskit.deploy import Settings
    from faaskit.exceptions import ConfigurationError

    given: dict[str, Any] = {}
    for key in ("runtime", "memory", "timeout", "architecture", "tracing", "route_prefix"):
        if getattr(args, key) is not None:
            given[key] = getattr(args, key)
    if args.max_receive_count is not None:
        given["max_receive_count"] = args.max_receive_count
    azure: dict[str, Any] = {}
    for item in args.azure_option:
        key, sep, value = item.partition("=")
        try:
            azure[key] = json.loads(value) if sep else True
        except ValueError:
            raise ConfigurationError(f"--azure-option {item!r}: the value must be JSON") from None
    return Settings(
        **given, include_boto3=args.include_boto3, pip_args=tuple(args.pip_arg), azure=azure
    )


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit build``."""
    parser = subparsers.add_parser(
        "build",
        help="write SAM and Azure Functions artifacts for an app",
        description="Write deploy artifacts: OUT/aws (SAM template.yaml, package.zip) and "
        "OUT/azure (a Functions project). Nothing is written unless every handler is valid.",
    )
    add_settings_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Build, and list what was written."""
    from faaskit.deploy import build

    written = build(
        args.app, target=args.target, out=args.out, settings=settings_from(args), stage=args.stage
    )
    for target, files in written.items():
        print(f"{target}: {files[0].parent}")
        for path in files:
            print(f"  {path.name}")
    return 0
