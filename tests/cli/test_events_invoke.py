"""``faaskit events`` and ``faaskit invoke`` as a user runs them, including bad input."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.cli.helpers import ROOT, faaskit

SAMPLE = ROOT / "samples" / "hello_http" / "app.py"

APP = """
import faaskit

@faaskit.handler(faaskit.queue("jobs"))
def worker(message, ctx):
    if message.json().get("fail"):
        raise ValueError("cannot do job " + str(message.json()["n"]))

@faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
def item(req, ctx):
    return {"id": req.path_params["item_id"]}
"""


@pytest.fixture
def app(tmp_path: Path) -> Path:
    path = tmp_path / "jobs_app.py"
    path.write_text(textwrap.dedent(APP))
    return path


@pytest.mark.parametrize("command", ["", "events", "invoke", "serve"])
def test_help_on_every_command(command: str, tmp_path: Path) -> None:
    result = faaskit(*filter(None, [command]), "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "usage: faaskit" in result.stdout


def test_events_lists_every_source_and_renders_one_with_overrides(tmp_path: Path) -> None:
    listing = faaskit("events", cwd=tmp_path)
    assert listing.returncode == 0
    names = {line.split()[0] for line in listing.stdout.splitlines()}
    assert {"aws:apigw-v2", "aws:sqs-fifo", "aws:dynamodb", "azure:queue", "azure:cosmos"} <= names
    result = faaskit(
        "events",
        "sqs",
        "body=hello",
        "--platform",
        "aws",
        "Records.0.awsRegion=eu-west-1",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)["Records"][0]
    assert (record["body"], record["awsRegion"]) == ("hello", "eu-west-1")
    spec = json.loads(faaskit("events", "azure:queue", "dequeue_count:=4", cwd=tmp_path).stdout)
    assert spec["trigger_metadata"]["DequeueCount"]["value"] == "4"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "sqsx"], "unknown event source 'sqsx'"),
        (["events", "sqs", "nokey"], "is not key=value"),
        (["events", "sqs", "n:=not json"], "is not JSON"),
        (["events", "sqs", "--platform", "azure"], "not an azure source (there is aws:sqs)"),
    ],
)
def test_events_bad_input(args: list[str], message: str, tmp_path: Path) -> None:
    result = faaskit(*args, cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_invoke_the_sample_prints_the_native_response(platform: str, tmp_path: Path) -> None:
    result = faaskit(
        "invoke", f"{SAMPLE}:hello", "path=/hello/ada", "--platform", platform, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    native = json.loads(result.stdout)
    status = native["statusCode"] if platform == "aws" else native["status_code"]
    assert status == 200
    assert json.loads(native["body"])["message"] == "Hello, ada!"


def test_invoke_an_event_file_and_stdin(app: Path, tmp_path: Path) -> None:
    event = faaskit(
        "events", "sqs", 'bodies:=["{\\"n\\": 1}", "{\\"n\\": 2, \\"fail\\": 1}"]', cwd=tmp_path
    ).stdout
    (tmp_path / "event.json").write_text(event)
    result = faaskit("invoke", f"{app}:worker", "--event", "event.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    failing = json.loads(event)["Records"][1]["messageId"]
    assert json.loads(result.stdout) == {"batchItemFailures": [{"itemIdentifier": failing}]}
    piped = faaskit(
        "invoke",
        "jobs_app:item",
        "-e",
        "-",
        cwd=tmp_path,
        stdin=faaskit("events", "apigw-v2", "path=/items/7", cwd=tmp_path).stdout,
    )
    assert json.loads(json.loads(piped.stdout)["body"]) == {"id": "7"}


def test_invoke_default_event_from_the_trigger_and_failing_handler(app: Path) -> None:
    ok = faaskit("invoke", f"{app}:item", cwd=app.parent)
    assert ok.returncode == 0, ok.stderr
    failed = faaskit(
        "invoke",
        f"{app}:worker",
        "--platform",
        "azure",
        'body:={"fail": 1, "n": 5}',
        cwd=app.parent,
    )
    assert failed.returncode == 1
    assert "worker" in failed.stderr and "cannot do job 5" in failed.stderr
    assert "Traceback" not in failed.stderr
    debug = faaskit(
        "invoke",
        f"{app}:worker",
        "--platform",
        "azure",
        'body:={"fail": 1, "n": 5}',
        "--debug",
        cwd=app.parent,
    )
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr


def test_invoke_bad_input_one_line_errors(app: Path, tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import faaskit\nraise RuntimeError('no config')\n")
    (tmp_path / "syntax.py").write_text("def f(:\n")
    (tmp_path / "bad.json").write_text("{not json")
    cases = [
        (["invoke", "broken.py:h"], ["broken.py", "line 2", "no config"]),
        (["invoke", "syntax.py"], ["syntax.py", "line 1"]),
        (["invoke", "missing_module:h"], ["no module named 'missing_module'"]),
        (["invoke", f"{app}:nope"], ["no handler named 'nope'", "worker", "item"]),
        (["invoke", f"{app}:worker", "--event", "bad.json"], ["bad.json", "is not JSON", "line 1"]),
        (["invoke", f"{app}:worker", "--event", "absent.json"], ["absent.json"]),
        (["invoke", f"{app}"], ["holds 2 handlers", ":HANDLER"]),
    ]
    for args, needles in cases:
        result = faaskit(*args, cwd=tmp_path)
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (args, result.stderr)
        for needle in needles:
            assert needle in lines[0], (args, lines[0])
    debug = faaskit("--debug", "invoke", "broken.py:h", cwd=tmp_path)
    assert "Traceback" in debug.stderr
