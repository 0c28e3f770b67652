"""``faaskit invoke``: an event file of the wrong shape is the user's error, not the
handler's, and says so in one line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import ROOT, faaskit

HELLO = ROOT / "samples" / "hello_http" / "app.py"


@pytest.mark.parametrize(
    "event",
    [[1, 2], "text", None, {"Records": [{"eventSource": "aws:sqs", "body": "hi"}]}],
    ids=["list", "string", "null", "aws-event"],
)
def test_an_event_file_that_is_no_azure_invocation_is_refused(
    tmp_path: Path, event: object
) -> None:
    (tmp_path / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "ev.json").write_text(json.dumps(event), encoding="utf-8")
    done = faaskit("invoke", "app.py:hello", "--event", "ev.json", "--platform", "azure",
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "ev.json" in lines[0] and "faaskit events azure:" in lines[0]
    assert "handler 'hello' raised" not in lines[0]


def test_an_event_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "ev.json").write_bytes(b"\xff\xfe{}")
    done = faaskit("invoke", "app.py:hello", "--event", "ev.json", cwd=tmp_path)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "ev.json" in done.stderr and "UTF-8" in done.stderr
