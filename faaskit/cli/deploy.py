"""``faaskit deploy APP --target aws|azure``: build, then run the cloud's own deploy command.

``sam deploy`` (AWS SAM CLI) and ``func azure functionapp publish`` (Azure Functions Core
Tools) run when they are installed; otherwise the exact commands are printed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

from faaskit.cli.build import add_settings_arguments, settings_from

__all__ = ["add_parser", "commands", "run"]


def commands(args: argparse.Namespace, out: Path) -> list[tuple[str, list[str], Path]]:
    """``(target, argv, working folder)`` for each deploy command to run."""
    chosen = ("aws", "azure") if args.target == "all" else (args.target,)
    found: list[tuple[str, list[str], Path]] = []
    if "aws" in chosen:
        argv = [
            "sam", "deploy", "--template-file", "template.yaml",
            "--stack-name", args.stack_name or _default_name(args.app),
            "--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND",
            "--resolve-s3", "--no-fail-on-empty-changeset",
        ]  # fmt: skip
        if args.region:
            argv += ["--region", args.region]
        if args.parameter:
            argv += ["--parameter-overrides", *args.parameter]
        found.append(("aws", argv, out / "aws"))
    if "azure" in chosen:
        name = args.function_app or "<function-app-name>"
        found.append(("azure", ["func", "azure", "functionapp", "publish", name, "--python"],
                      out / "azure"))  # fmt: skip
    return found


def _default_name(app: str) -> str:
    stem = Path(app).stem if app.endswith(".py") else app.replace(".", "-")
    parent = Path(app).parent.name if app.endswith(".py") else ""
    name = "-".join(p for p in (parent, stem) if p and p != ".")
    return "".join(c if c.isalnum() or c == "-" else "-" for c in name).strip("-") or "faaskit"


def _note_parameters(args: argparse.Namespace, app: Any, settings: Any) -> None:
    """Say which template parameters (DynamoDB stream ARNs, ...) still need a value."""
    from faaskit_aws.deploy import template

    given = {item.split("=", 1)[0] for item in args.parameter}
    missing = [name for name in template(app, settings).get("Parameters", {}) if name not in given]
    if missing:
        wanted = " ".join(f"--parameter {name}=..." for name in missing)
        print(f"aws: the template needs values for {', '.join(missing)}: add {wanted}")


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit deploy``."""
    parser = subparsers.add_parser(
        "deploy",
        help="build, then deploy with sam / func (or print the commands)",
        description="Build the artifacts, then run `sam deploy` and/or `func azure functionapp "
        "publish` when installed; otherwise print exactly what to run.",
    )
    add_settings_arguments(parser)
    parser.add_argument("--stack-name", help="CloudFormation stack name (AWS)")
    parser.add_argument("--region", help="AWS region")
    parser.add_argument(
        "--parameter", action="append", default=[], metavar="KEY=VALUE",
        help="SAM template parameter (e.g. a DynamoDB stream ARN)",
    )  # fmt: skip
    parser.add_argument("--function-app", help="Azure Function App name (Azure)")
    parser.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")


def run(args: argparse.Namespace) -> int:
    """Build, then deploy each target (or say what to run)."""
    from faaskit.deploy import build, configure, load_app

    app = load_app(args.app)
    settings = configure(app, settings_from(args), args.stage)
    build(app, target=args.target, out=args.out, settings=settings)
    out = Path(args.out).resolve()
    if args.target != "azure":
        _note_parameters(args, app, settings)
    code = 0
    for target, argv, folder in commands(args, out):
        line = f"cd {shlex.quote(str(folder))} && {shlex.join(argv)}"
        tool = shutil.which(argv[0], path=os.environ.get("PATH"))
        if args.dry_run or tool is None:
            why = "dry run" if args.dry_run else f"{argv[0]} is not installed"
            print(f"{target}: {why}; to deploy, run:\n  {line}")
            continue
        if target == "azure" and not args.function_app:
            print(f"azure: pass --function-app NAME; to deploy, run:\n  {line}")
            code = code or 2
            continue
        print(f"{target}: {line}", flush=True)
        done = subprocess.run([tool, *argv[1:]], cwd=folder, check=False)
        code = code or done.returncode
    grid = out / "azure" / "eventgrid.json"
    if args.target != "aws" and grid.is_file():
        import json

        names = [n for n in json.loads(grid.read_text(encoding="utf-8"))["parameters"]]
        values = " ".join(
            f"{n}={args.function_app or '<function-app-name>'}" if n == "functionAppName"
            else f"{n}=<resource-id>" for n in names
        )  # fmt: skip
        print(
            "azure: then subscribe the Event Grid functions:\n  "
            f"cd {shlex.quote(str(grid.parent))} && az deployment group create --resource-group "
            f"<resource-group> --template-file eventgrid.json --parameters {values}"
        )
    return code
