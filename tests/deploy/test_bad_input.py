"""Bad declarations: ``faaskit build`` exits non-zero naming the handler and the problem, and
writes nothing (no output folder, no leftovers, an earlier build left untouched).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.deploy.helpers import run_cli

HEADER = "import faaskit\n\n"
GOOD = """
@faaskit.handler(faaskit.http("GET", "/ok"))
def fine(req, ctx):
    return {}
"""

CASES = {
    "no-trigger": (
        """
        @faaskit.handler
        def orphan(event, ctx):
            return None
        """,
        ["orphan", "no trigger", "--target aws"],
    ),
    "same-route": (
        """
        @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
        def get_item(req, ctx):
            return {}

        @faaskit.handler(faaskit.http(["GET", "PUT"], "/items/{key}"))
        def item_again(req, ctx):
            return {}
        """,
        ["get_item", "item_again", "/items/{key}"],
    ),
    "route-not-a-path": (
        """
        @faaskit.handler(faaskit.http("GET", "items"))
        def no_slash(req, ctx):
            return {}
        """,
        ["no_slash", "invalid route", "'items'"],
    ),
    "route-partial-segment": (
        """
        @faaskit.handler(faaskit.http("GET", "/files/report-{name}.csv"))
        def report(req, ctx):
            return {}
        """,
        ["report", "invalid route", "whole {parameter}"],
    ),
    "schedule-azure-cannot-express": (
        """
        @faaskit.handler(faaskit.schedule("cron(0 12 L * ? *)"))
        def month_end(event, ctx):
            return None
        """,
        ["month_end", "NCRONTAB cannot express"],
    ),
    "schedule-aws-cannot-express": (
        """
        @faaskit.handler(faaskit.schedule("30 */5 * * * *"))
        def half_minute(event, ctx):
            return None
        """,
        ["half_minute", "seconds field must be 0"],
    ),
    "unknown-auth": (
        """
        @faaskit.handler(faaskit.http("GET", "/me", auth="oauth"))
        def me(req, ctx):
            return {}
        """,
        ["me", "unknown auth mode 'oauth'"],
    ),
}


def _app(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "svc"
    folder.mkdir()
    path = folder / "app.py"
    path.write_text(HEADER + GOOD + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "expected"), CASES.values(), ids=CASES.keys())
def test_build_refuses_and_writes_nothing(tmp_path: Path, body: str, expected: list[str]) -> None:
    _app(tmp_path, body)
    done = run_cli("build", "svc/app.py", "--target", "all", "--out", "out", cwd=tmp_path)
    assert done.returncode != 0
    message = done.stderr
    for needle in expected:
        assert needle in message, message
    assert "Traceback" not in message
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["svc"]


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    app = _app(tmp_path, "")
    ok = run_cli("build", "svc/app.py", "--out", "out", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    app.write_text(app.read_text() + textwrap.dedent(CASES["unknown-auth"][0]))
    bad = run_cli("build", "svc/app.py", "--out", "out", cwd=tmp_path)
    assert bad.returncode != 0
    after = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "svc"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    _app(tmp_path, CASES["no-trigger"][0] + CASES["unknown-auth"][0])
    done = run_cli("build", "svc/app.py", "--target", "all", cwd=tmp_path)
    assert done.returncode != 0
    assert "2 problems" in done.stderr
    assert "orphan" in done.stderr and "'oauth'" in done.stderr


def test_a_good_build_lists_what_it_wrote(tmp_path: Path) -> None:
    _app(tmp_path, "")
    done = run_cli("build", "svc/app.py", "--target", "aws", "--out", "dist", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dist" / "aws" / "template.yaml").is_file()
    assert "template.yaml" in done.stdout and "package.zip" in done.stdout
    assert not (tmp_path / "dist" / "azure").exists()
