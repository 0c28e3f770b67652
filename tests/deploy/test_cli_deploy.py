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
    for tool in ("sam", "az", "func"):
        path = bin_dir / tool
        path.write_text(RECORDER.format(python=sys.executable, log=str(log)))
        path.chmod(0o755)
    return bin_dir, log


def test_without_the_tools_it_prints_the_commands(tmp_path: Path) -> None:
    done = run_cli(
        "deploy", str(HELLO), "--out", "out", "--stack-name", "hello", "--function-app", "hello-fn",
        cwd=tmp_path, env={"PATH": str(tmp_path / "empty")},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr  # nothing was deployed
    lines = [line.strip() for line in done.stdout.splitlines() if line.startswith("  cd ")]
    assert len(lines) == 3
    aws = shlex.split(lines[0].split("&&", 1)[1])
    assert aws[:2] == ["sam", "deploy"]
    assert aws[aws.index("--template-file") + 1] == "template.yaml"
    assert aws[aws.index("--stack-name") + 1] == "hello"
    assert lines[0].startswith(f"cd {tmp_path / 'out' / 'aws'}")
    infra = shlex.split(lines[1].split("&&", 1)[1])
    assert infra[:4] == ["az", "deployment", "group", "create"]
    assert infra[infra.index("--template-file") + 1] == "azuredeploy.json"
    assert "functionAppName=hello-fn" in infra
    azure = shlex.split(lines[2].split("&&", 1)[1])
    assert azure == ["func", "azure", "functionapp", "publish", "hello-fn", "--python"]
    assert (tmp_path / "out" / "aws" / "template.yaml").is_file()


def test_with_the_tools_it_runs_them_in_the_built_folders(tmp_path: Path) -> None:
    bin_dir, log = _fake_tools(tmp_path)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = run_cli(
        "deploy", str(HELLO), "--out", "out", "--function-app", "hello-fn", "--region",
        "eu-west-1", "--parameter", "Key=Value", "--resource-group", "rg", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert [Path(c["argv"][0]).name for c in calls] == ["sam", "az", "func"]
    sam, az, func = calls
    assert az["argv"][az["argv"].index("--resource-group") + 1] == "rg"
    assert "Key=Value" not in az["argv"]
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


def test_build_flags_reach_the_artifacts(tmp_path: Path) -> None:
    import yaml

    done = run_cli(
        "build", str(HELLO), "--out", "out", "--memory", "256", "--timeout", "90",
        "--architecture", "arm64", "--no-tracing", "--route-prefix", "api",
        "--azure-option", 'auth_level="FUNCTION"', cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    template = yaml.safe_load((tmp_path / "out" / "aws" / "template.yaml").read_text())
    glob = template["Globals"]["Function"]
    assert (glob["MemorySize"], glob["Timeout"], glob["Architectures"]) == (256, 90, ["arm64"])
    assert glob["Tracing"] == "PassThrough"
    host = json.loads((tmp_path / "out" / "azure" / "host.json").read_text())
    assert host["extensions"]["http"]["routePrefix"] == "api"
    assert host["functionTimeout"] == "00:01:30"
    source = (tmp_path / "out" / "azure" / "function_app.py").read_text()
    assert "route_prefix='api'" in source and "auth_level='FUNCTION'" in source


def test_bad_flags_fail_cleanly(tmp_path: Path) -> None:
    done = run_cli("build", str(HELLO), "--out", "out", "--runtime", "node18", cwd=tmp_path)
    assert done.returncode != 0
    assert "runtime must look like python3.12" in done.stderr
    assert not (tmp_path / "out").exists()


def test_missing_template_parameters_are_named(tmp_path: Path) -> None:
    from tests.deploy.helpers import ALL_TRIGGERS

    done = run_cli(
        "deploy", str(ALL_TRIGGERS), "--target", "aws", "--dry-run", cwd=tmp_path
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "CustomersTableStreamArn" in done.stdout
    given = run_cli(
        "deploy", str(ALL_TRIGGERS), "--target", "aws", "--dry-run",
        "--parameter", "CustomersTableStreamArn=arn:aws:dynamodb:x", cwd=tmp_path,
    )  # fmt: skip
    assert "needs values" not in given.stdout
    assert "CustomersTableStreamArn=arn:aws:dynamodb:x" in given.stdout


def test_event_grid_subscriptions_are_created_by_a_second_deployment_after_publish(
    tmp_path: Path,
) -> None:
    from tests.deploy.helpers import ALL_TRIGGERS

    bin_dir, log = _fake_tools(tmp_path)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = run_cli(
        "deploy", str(ALL_TRIGGERS), "--target", "azure", "--function-app", "fn",
        "--resource-group", "rg", "--azure-parameter", "cosmosAccountName=db", cwd=tmp_path,
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "needs values for eventSourceId" in done.stdout
    calls = [c["argv"] for c in map(json.loads, log.read_text().splitlines())]
    assert [Path(c[0]).name for c in calls] == ["az", "func", "az"]
    infra, publish, subscribe = calls
    assert "subscribeEvents=true" not in infra  # the template's default: false
    assert publish[1:4] == ["azure", "functionapp", "publish"]
    assert subscribe == [*infra, "subscribeEvents=true"]
    assert subscribe.index("subscribeEvents=true") > subscribe.index("--parameters")
    assert not (tmp_path / "out" / "azure" / "eventgrid.json").exists()


def test_without_event_grid_handlers_there_is_no_second_deployment(tmp_path: Path) -> None:
    bin_dir, log = _fake_tools(tmp_path)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = run_cli(
        "deploy", str(HELLO), "--target", "azure", "--function-app", "fn", "--resource-group",
        "rg", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    calls = [c["argv"] for c in map(json.loads, log.read_text().splitlines())]
    assert [Path(c[0]).name for c in calls] == ["az", "func"]
    assert "subscribeEvents" not in done.stdout


def test_a_failing_step_stops_its_cloud_and_fails_the_command(tmp_path: Path) -> None:
    bin_dir, log = _fake_tools(tmp_path)
    (bin_dir / "az").write_text("#!/bin/sh\nexit 3\n")
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = run_cli(
        "deploy", str(HELLO), "--target", "azure", "--function-app", "fn", "--resource-group",
        "rg", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode == 3
    assert not log.exists()  # the code was not published onto missing infrastructure
    assert "an earlier step failed" in done.stdout


def test_a_gradual_rollout_publishes_to_the_slot_and_prints_the_swap(tmp_path: Path) -> None:
    from tests.deploy.helpers import ALL_TRIGGERS

    done = run_cli(
        "deploy", str(ALL_TRIGGERS), "--target", "azure", "--stage", "prod", "--dry-run",
        "--function-app", "fn", "--resource-group", "rg", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "publish fn --python --slot staging" in done.stdout
    swap = "az functionapp deployment slot swap --resource-group rg --name fn --slot staging"
    assert swap in done.stdout
    # the subscriptions point at production's functions: only after the swap
    after = done.stdout.split(swap, 1)[1]
    assert "after the swap, subscribe" in after and "subscribeEvents=true" in after
    assert "subscribeEvents=true" not in done.stdout.split(swap, 1)[0]
