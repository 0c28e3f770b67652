"""``faaskit deploy`` runs ``sam deploy`` / ``func azure functionapp publish`` from the built
folders when they are installed, and otherwise prints exactly what to run.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

from tests.deploy.helpers import ROOT, run_cli

HELLO = ROOT / "samples" / "hello_http" / "app.py"
RECORDER = """#!{python}
import json, os, sys
with open({log!r}, "a") as log:
    log.write(json.dumps({{"argv": sys.argv, "cwd": os.getcwd()}}) + "\\n")
"""


def _fake_tools(tmp_path: Path) -> tuple[Path, Path]:
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.jsonl"
    for tool in ("sam", "func"):
        path = bin_dir / tool
        path.write_text(RECORDER.format(python=sys.executable, log=str(log)))
        path.chmod(0o755)
    return bin_dir, log


def test_without_the_tools_it_prints_the_commands(tmp_path: Path) -> None:
    done = run_cli(
        "deploy", str(HELLO), "--out", "out", "--stack-name", "hello", "--function-app", "hello-fn",
        cwd=tmp_path, env={"PATH": str(tmp_path / "empty")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines() if line.startswith("  cd ")]
    assert len(lines) == 2
    aws = shlex.split(lines[0].split("&&", 1)[1])
    assert aws[:2] == ["sam", "deploy"]
    assert aws[aws.index("--template-file") + 1] == "template.yaml"
    assert aws[aws.index("--stack-name") + 1] == "hello"
    assert lines[0].startswith(f"cd {tmp_path / 'out' / 'aws'}")
    azure = shlex.split(lines[1].split("&&", 1)[1])
    assert azure == ["func", "azure", "functionapp", "publish", "hello-fn", "--python"]
    assert (tmp_path / "out" / "aws" / "template.yaml").is_file()


def test_with_the_tools_it_runs_them_in_the_built_folders(tmp_path: Path) -> None:
    bin_dir, log = _fake_tools(tmp_path)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = run_cli(
        "deploy", str(HELLO), "--out", "out", "--function-app", "hello-fn", "--region",
        "eu-west-1", "--parameter", "Key=Value", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert [Path(c["argv"][0]).name for c in calls] == ["sam", "func"]
    sam, func = calls
    assert Path(sam["cwd"]) == tmp_path / "out" / "aws"
    assert sam["argv"][1] == "deploy"
    assert sam["argv"][sam["argv"].index("--region") + 1] == "eu-west-1"
    assert "Key=Value" in sam["argv"]
    assert Path(func["cwd"]) == tmp_path / "out" / "azure"
    assert func["argv"][1:] == ["azure", "functionapp", "publish", "hello-fn", "--python"]


def test_dry_run_runs_nothing(tmp_path: Path) -> None:
    bin_dir, log = _fake_tools(tmp_path)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = run_cli("deploy", str(HELLO), "--target", "aws", "--dry-run", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "sam deploy" in done.stdout
    assert not log.exists()
