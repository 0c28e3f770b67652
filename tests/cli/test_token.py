"""``faaskit token``: a user mints a token on the command line and calls a protected route of
``faaskit serve`` with it, as the http-api template's README says.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from faaskit.cli.new import create
from tests.cli.helpers import env, faaskit, free_port


def _wait(url: str, process: subprocess.Popen[str]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise AssertionError(process.stdout.read() if process.stdout else "server died")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the dev server did not start")


def test_a_minted_token_reaches_the_protected_route_of_faaskit_serve(tmp_path: Path) -> None:
    project = create("shop", "http-api", parent=tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "faaskit", "serve", "app.py", "--port", str(port), "--no-reload"],
        cwd=project,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/items"
        _wait(url, server)
        minted = faaskit("token", "--sub", "ada", "--claim", "name=Ada", cwd=project)
        assert minted.returncode == 0, minted.stderr
        token = minted.stdout.strip()
        request = urllib.request.Request(
            url,
            data=json.dumps({"name": "pen", "price": 2}).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
            assert json.load(response)["name"] == "pen"
        try:
            urllib.request.urlopen(url, timeout=30)
            raise AssertionError("an anonymous GET was let through")
        except urllib.error.HTTPError as exc:
            assert exc.code == 401
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "faaskit token --sub NAME" in output


def test_token_without_an_app_or_issuer_says_what_to_give(tmp_path: Path) -> None:
    done = faaskit("token", "--sub", "ada", cwd=tmp_path)
    assert done.returncode == 1
    assert "--issuer" in done.stderr


def test_token_with_explicit_issuer_and_audience_needs_no_app(tmp_path: Path) -> None:
    from faaskit.devserver.keys import LocalKeys

    done = faaskit(
        "token", "--sub", "ada", "--issuer", "https://i.example/", "--audience", "a", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    claims = LocalKeys(tmp_path / ".faaskit" / "local").verify(
        done.stdout.strip(), issuer="https://i.example/", audience=["a"]
    )
    assert claims["sub"] == "ada"
