"""``faaskit serve`` as a user runs it: a real process, a real HTTP client, files dropped into
its data folder, a source edit that reloads, and the bad-input exits."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import env, faaskit, free_port

APP = """
import faaskit
from faaskit import storage

@faaskit.handler(faaskit.http("GET", "/version"))
def version(req, ctx):
    return {"version": VERSION}

@faaskit.handler(faaskit.blob("drop"))
def copy(event, ctx):
    storage.blobs("s3://copies").put(event.key, event.read())

VERSION = 1
"""


def _wait(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except (OSError, ValueError):
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def _version(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/version", timeout=5) as response:
        return int(json.load(response)["version"])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    (tmp_path / "devapp.py").write_text(textwrap.dedent(APP))
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "faaskit",
            "serve",
            "devapp.py",
            "--port",
            str(port),
            "--data",
            "data",
            "--poll",
            "0.05",
        ],
        cwd=tmp_path,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process, port, tmp_path
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_serve_answers_fires_blob_handlers_reloads_and_stops(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    process, port, folder = served
    assert _wait(lambda: _version(port)) == 1
    drop = folder / "data" / "blobs" / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    (drop / "hello.txt").write_bytes(b"hi there")
    copied = folder / "data" / "blobs" / "copies" / "hello.txt"
    _wait(copied.exists)
    assert copied.read_bytes() == b"hi there"
    app = folder / "devapp.py"
    time.sleep(0.05)  # a new modification time on coarse clocks
    app.write_text(app.read_text().replace("VERSION = 1", "VERSION = 2"))
    assert _wait(lambda: _version(port) == 2)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    out = process.stdout.read() if process.stdout else ""
    assert f"ready on http://127.0.0.1:{port}" in out
    with socket.socket() as probe:  # the child let go of the port too
        _wait(lambda: probe.connect_ex(("127.0.0.1", port)) != 0, timeout=10)


@pytest.mark.parametrize("reload", [True, False])
def test_port_in_use_is_one_line(reload: bool, tmp_path: Path) -> None:
    (tmp_path / "devapp.py").write_text(textwrap.dedent(APP))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = ["serve", "devapp.py", "--port", str(port), *([] if reload else ["--no-reload"])]
        result = faaskit(*args, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in lines[0] and "--port" in lines[0]


def test_app_that_does_not_import_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "devapp.py").write_text("import faaskit\nfrom nowhere import thing\n")
    result = faaskit("serve", "devapp.py", "--port", str(free_port()), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "devapp.py" in lines[0] and "nowhere" in lines[0] and "line 2" in lines[0]
