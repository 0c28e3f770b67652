"""``faaskit deploy APP --target aws|azure``: build, then run the cloud's own deploy commands.

AWS: ``sam deploy``. Azure: ``az deployment group create`` with ``azuredeploy.json`` (the
infrastructure), then ``func azure functionapp publish`` (the code; into the staging slot for
a gradual rollout, with the swap command printed), then, when the app has Event Grid driven
handlers, the same deployment again with ``subscribeEvents=true`` (a subscription is validated
against its endpoint, which exists once the code is published; after a slot publish, it is
printed to run after the swap). A tool that is missing gets its exact commands printed and
the exit status 2: nothing deployed is never a success.
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
            "--stack-name", args.stack_name or _default_name(args.app, args.stage),
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
        group = args.resource_group or "<resource-group>"
        infra = ["az", "deployment", "group", "create", "--resource-group", group,
                 "--template-file", "azuredeploy.json", "--parameters", f"functionAppName={name}",
                 *args.azure_parameter]  # fmt: skip
        publish = ["func", "azure", "functionapp", "publish", name, "--python"]
        if _slot(out):
            publish += ["--slot", "staging"]
        found.append(("azure", infra, out / "azure"))
        found.append(("azure", publish, out / "azure"))
        if _subscribes(out) and not _slot(out):
            found.append(("azure", _subscribe(infra), out / "azure"))
    return found


def _subscribe(infra: list[str]) -> list[str]:
    return [*infra, "subscribeEvents=true"]  # one more value of --parameters


def _template(out: Path) -> dict[str, Any]:
    import json

    path = out / "azure" / "azuredeploy.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return loaded


def _slot(out: Path) -> bool:
    """Whether the built ARM template has a staging slot (a gradual rollout)."""
    resources = _template(out).get("resources", [])
    return any(r["type"] == "Microsoft.Web/sites/slots" for r in resources)


def _subscribes(out: Path) -> bool:
    """Whether the built ARM template has Event Grid subscriptions to create after publish."""
    return "subscribeEvents" in _template(out).get("parameters", {})


def _default_name(app: str, stage: str | None = None) -> str:
    stem = Path(app).stem if app.endswith(".py") else app.replace(".", "-")
    parent = Path(app).parent.name if app.endswith(".py") else ""
    name = "-".join(p for p in (parent, stem) if p and p != ".")
    name = f"{name}-{stage}" if stage else name
    return "".join(c if c.isalnum() or c == "-" else "-" for c in name).strip("-") or "faaskit"


def _note_parameters(args: argparse.Namespace, app: Any, settings: Any) -> None:
    """Say which template parameters (DynamoDB stream ARNs, ...) still need a value."""
    from faaskit_aws.deploy import template

    given = {item.split("=", 1)[0] for item in args.parameter}
    missing = [name for name in template(app, settings).get("Parameters", {}) if name not in given]
    if missing:
        wanted = " ".join(f"--parameter {name}=..." for name in missing)
        print(f"aws: the template needs values for {', '.join(missing)}: add {wanted}")


def _note_azure_parameters(args: argparse.Namespace, out: Path) -> None:
    """Say which ``azuredeploy.json`` parameters (eventSourceId, ...) still need a value."""
    given = {item.split("=", 1)[0] for item in args.azure_parameter}
    wanted = _template(out).get("parameters", {})
    missing = [n for n, spec in wanted.items() if "defaultValue" not in spec and n not in given]
    if missing:
        values = " ".join(f"--azure-parameter {name}=..." for name in missing)
        print(f"azure: the template needs values for {', '.join(missing)}: add {values}")


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
    parser.add_argument("--resource-group", help="Azure resource group to deploy into (Azure)")
    parser.add_argument(
        "--azure-parameter", action="append", default=[], metavar="KEY=VALUE",
        help="azuredeploy.json parameter (e.g. cosmosAccountName)",
    )  # fmt: skip
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
    if args.target != "aws":
        _note_azure_parameters(args, out)
    code = 0
    failed: set[str] = set()
    for target, argv, folder in commands(args, out):
        line = f"cd {shlex.quote(str(folder))} && {shlex.join(argv)}"
        tool = shutil.which(argv[0], path=os.environ.get("PATH"))
        missing = target == "azure" and not (args.function_app and args.resource_group)
        if args.dry_run or tool is None or missing or target in failed:
            why = (
                "dry run" if args.dry_run
                else f"{argv[0]} is not installed" if tool is None
                else "pass --function-app NAME and --resource-group GROUP" if missing
                else "an earlier step failed"
            )  # fmt: skip
            print(f"{target}: {why}; to deploy, run:\n  {line}")
            if not args.dry_run:
                code, failed = code or 2, failed | {target}
            continue
        print(f"{target}: {line}", flush=True)
        done = subprocess.run([tool, *argv[1:]], cwd=folder, check=False)
        if done.returncode:
            code, failed = code or done.returncode, failed | {target}
    if args.target != "aws" and _slot(out):
        from faaskit_azure.deploy._azuredeploy import swap_command

        print(
            "azure: the code went to the staging slot (its non-HTTP functions are disabled); "
            "after checking it, swap it into production:\n  "
            + swap_command(args.function_app or "<function-app-name>",
                           args.resource_group or "<resource-group>")
        )  # fmt: skip
    if args.target != "aws" and _slot(out) and _subscribes(out):
        infra = next(argv for target, argv, _ in commands(args, out) if argv[0] == "az")
        print(
            "azure: after the swap, subscribe the Event Grid functions:\n  "
            f"cd {shlex.quote(str(out / 'azure'))} && {shlex.join(_subscribe(infra))}"
        )
    elif args.target != "aws" and _subscribes(out):
        print("azure: the Event Grid subscriptions are created by the last deployment "
              "(subscribeEvents=true), once the code is published")  # fmt: skip
    return code
