"""``faaskit invoke`` and ``faaskit serve`` show ctx.log lines and metrics: readable single
lines by default, JSON with ``--log-format json``; serve appends metrics to metrics.jsonl."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from tests.cli.helpers import env, faaskit, free_port

APP = """
import faaskit

@faaskit.handler(faaskit.http("GET", "/hi/{name}"))
def hi(req, ctx):
    ctx.log.info("greeting %s", req.path_params["name"], extra={"lang": "en"})
    ctx.metrics.add("Greetings", 1, lang="en")
    return {"hi": req.path_params["name"]}
"""


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "obsapp.py").write_text(textwrap.dedent(APP))
    return tmp_path


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_invoke_shows_log_and_metric_lines_and_keeps_stdout_for_the_response(
    app: Path, platform: str
) -> None:
    done = faaskit("invoke", "obsapp.py:hi", "-p", platform, "path=/hi/ada", cwd=app)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert json.loads(body["body"]) == {"hi": "ada"}
    lines = done.stderr.splitlines()
    (greeting,) = [line for line in lines if "greeting ada" in line]
    assert "INFO" in greeting and "lang=en" in greeting and not greeting.startswith("{")
    (metric,) = [line for line in lines if "metric=Greetings" in line]
    assert "value=1" in metric and "unit=Count" in metric


def test_invoke_log_format_json_prints_the_cloud_json_lines(app: Path) -> None:
    done = faaskit("invoke", "obsapp.py:hi", "--log-format", "json", "path=/hi/ada", cwd=app)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    (greeting,) = [r for r in records if r["message"] == "greeting ada"]
    assert (greeting["lang"], greeting["function_name"], greeting["platform"]) == (
        "en",
        "hi",
        "aws",
    )
    assert greeting["request_id"]


def test_serve_shows_metrics_and_appends_them_to_metrics_jsonl(app: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "faaskit", "serve", "obsapp.py", "--no-reload"]
    command += ["--port", str(port), "--data", "data"]
    process = subprocess.Popen(
        command, cwd=app, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/hi/bo", timeout=5) as r:
                    assert json.load(r) == {"hi": "bo"}
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        jsonl = app / "data" / "metrics.jsonl"
        while not jsonl.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        (entry,) = [json.loads(line) for line in jsonl.read_text().splitlines()]
        assert (entry["metric"], entry["value"], entry["dimensions"], entry["function_name"]) == (
            "Greetings",
            1,
            {"lang": "en"},
            "hi",
        )
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=15)
    assert "greeting bo" in err and "metric=Greetings" in err
