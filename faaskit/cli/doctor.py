"""``faaskit doctor [--fix]``: check what faaskit's extras and real-runtime harnesses need.

It names, per check, exactly what is missing and the command that installs it; ``--fix`` runs
the install for the Azure runtime harness (into its Python 3.13 interpreter).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run"]

_EXTRAS = (
    ("aws", "boto3", "faaskit.storage on S3/SQS/SNS"),
    ("azure", "azure.functions", "faaskit_azure.function_app, Blob/Queue storage"),
    ("lambda-runtime", "awslambdaric", "faaskit.testing.LambdaRuntime, serve --runtime lambda"),
    ("schema", "jsonschema", "JSON Schema request bodies (faaskit.http(body={...}))"),
)


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit doctor``."""
    parser = subparsers.add_parser(
        "doctor",
        help="check the extras and the real-runtime harnesses; name what is missing",
        description="Check the optional dependencies and the Python 3.13 interpreter the "
        "Azure Functions runtime harness (faaskit.testing.azure_host.AzureHost) needs.",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="install faaskit[azure-runtime] into the Python 3.13 interpreter when it lacks it",
    )
    parser.add_argument("--python313", metavar="PATH", help="the interpreter to check or fix")


def _found(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _python313(given: str | None) -> str | None:
    candidates = [
        given or "",
        os.environ.get("FAASKIT_PY313", ""),
        str(Path.cwd() / ".venv313" / "bin" / "python"),
        shutil.which("python3.13") or "",
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def _azure_runtime(args: argparse.Namespace) -> bool:
    from faaskit.testing.harness_check import missing, pip_command

    python = _python313(args.python313)
    if python is None:
        print("  MISSING  Azure runtime harness: no Python 3.13 found (give --python313 PATH,")
        print("           set FAASKIT_PY313, or make .venv313: python3.13 -m venv .venv313),")
        print('           then: .venv313/bin/python -m pip install "faaskit[azure-runtime]"')
        return False
    absent = missing(python)
    if not absent:
        print(f"  ok       Azure runtime harness ({python})")
        return True
    command = pip_command(python)
    print(f"  MISSING  Azure runtime harness ({python}) lacks: {', '.join(absent)}")
    print(f"           install: {' '.join(command)}")
    if not args.fix:
        return False
    print(f"  fixing   {' '.join(command)}")
    done = subprocess.run(command, check=False)
    absent = missing(python) if done.returncode == 0 else absent
    if absent:
        print(f"  FAILED   still missing: {', '.join(absent)}")
        return False
    print("  ok       Azure runtime harness installed")
    return True


def run(args: argparse.Namespace) -> int:
    """Print one line per check; exit 1 when something is missing."""
    print(f"faaskit doctor (Python {sys.version.split()[0]} at {sys.executable})")
    healthy = True
    for extra, module, what in _EXTRAS:
        if _found(module):
            print(f"  ok       {extra:<15} {what}")
        else:
            healthy = False
            print(f'  MISSING  {extra:<15} {what}: pip install "faaskit[{extra}]"')
    healthy = _azure_runtime(args) and healthy
    return 0 if healthy else 1
