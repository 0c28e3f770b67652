"""Shared helpers for the deploy tests: building apps, cfn-lint, the SAM transform, the CLI."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(ROOT.glob("samples/*/app.py"))
ALL_TRIGGERS = ROOT / "samples" / "deploy_all_triggers" / "app.py"
REGION = "us-east-1"
# AWS managed policies SAM may attach by name; the stub answers without the network.
MANAGED = (
    "AWSLambdaBasicExecutionRole",
    "AWSXrayWriteOnlyAccess",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaRole",
    "AWSLambdaVPCAccessExecutionRole",
)


class PolicyLoader:
    """A managed-policy loader for ``samtranslator`` that never calls IAM."""

    def __init__(self) -> None:
        self.calls = 0

    def load(self) -> dict[str, str]:
        self.calls += 1
        return {name: f"arn:aws:iam::aws:policy/service-role/{name}" for name in MANAGED}


def lint_errors(template: Path) -> list[str]:
    """cfn-lint's errors (not warnings or informational notes) for ``template``."""
    from cfnlint.api import lint_file

    matches = lint_file(template)
    return [str(m) for m in matches if m.rule.id.startswith("E")]


def sam_transform(template: dict[str, Any]) -> dict[str, Any]:
    """The plain CloudFormation ``samtranslator`` makes of ``template``, after pointing the
    local ``CodeUri`` at S3 as ``sam package`` would.
    """
    from samtranslator.translator.transform import transform

    data = copy.deepcopy(template)
    data["Globals"]["Function"]["CodeUri"] = "s3://artifacts-bucket/package.zip"
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    return transform(data, {"AWS::Region": REGION}, PolicyLoader())


def load_yaml(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def functions_of(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The template's ``AWS::Serverless::Function`` resources by logical id."""
    return {
        key: value
        for key, value in template["Resources"].items()
        if value["Type"] == "AWS::Serverless::Function"
    }


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m faaskit ARGS`` in ``cwd`` with the project on the path."""
    merged = {**os.environ, **(env or {})}
    merged["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "adapters")])
    return subprocess.run(
        [sys.executable, "-m", "faaskit", *args],
        cwd=cwd,
        env=merged,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


INDEX_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
import function_app
import faaskit
out = {"faaskit": faaskit.__file__, "functions": {}}
for fn in function_app.app.get_functions():
    out["functions"][fn.get_function_name()] = json.loads(fn.get_function_json())["bindings"]
print(json.dumps(out))
"""


def index_project(project: Path) -> dict[str, Any]:
    """Import a generated ``function_app.py`` with azure-functions (no project sources on the
    path: the project must be self-contained) and list each function's bindings.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", INDEX_SCRIPT, str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def write_wheel(
    folder: Path, name: str, version: str = "1.0", requires: tuple[str, ...] = ()
) -> Path:
    """Write a minimal pure-Python wheel for ``name`` (depending on ``requires``) into
    ``folder``; returns its path.
    """
    dist = f"{name}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    meta += "".join(f"Requires-Dist: {req}\n" for req in requires)
    files = {
        f"{name}/__init__.py": f"VERSION = {version!r}\n".encode(),
        f"{dist}/METADATA": meta.encode(),
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist}/RECORD,,")
    files[f"{dist}/RECORD"] = ("\n".join(record) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as whl:
        for path, data in files.items():
            whl.writestr(path, data)
    return wheel
