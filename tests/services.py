"""Real storage servers on loopback for the tests: a moto server (S3, SQS, SNS, ...) and Azurite.

Import the fixtures into a conftest.py (``from tests.services import moto_server, azurite``)
or use the classes directly. Each server listens on 127.0.0.1 on free ports and is stopped by
the fixture that started it. When a server cannot be started the fixtures skip, unless
``FAASKIT_REQUIRE_SERVICES=1`` (CI), which turns the skip into a failure.

Azurite is found, in order, at ``$FAASKIT_AZURITE``, ``node_modules/.bin/azurite`` under the
project root (``npm install azurite``), ``azurite`` on ``PATH``, ``/tmp/azurite/node_modules``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

__all__ = [
    "AZURITE_ACCOUNT",
    "AZURITE_KEY",
    "Azurite",
    "MotoServer",
    "azurite",
    "find_azurite",
    "free_port",
    "moto_server",
    "require_or_skip",
]

ROOT = Path(__file__).resolve().parent.parent
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
STARTUP_SECONDS = 30.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_or_skip(reason: str) -> None:
    """Skip the test, or fail it when CI requires the services."""
    if os.environ.get("FAASKIT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@attrs.frozen(kw_only=True)
class MotoServer:
    """A running ``python -m moto.server``; ``endpoint`` is its ``http://127.0.0.1:port``."""

    endpoint: str
    process: subprocess.Popen[bytes] = attrs.field(repr=False)

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point boto3 at this server with dummy credentials."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
        }

    @classmethod
    @contextlib.contextmanager
    def run(cls, *, authenticate: bool = False, serial: bool = False) -> Iterator[MotoServer]:
        """Start a server (``authenticate=True``: it checks credentials), stop it on exit.

        ``serial=True`` serves one request at a time. moto checks S3 preconditions and then
        writes, without a lock, so only a serial server is atomic the way S3 is; races of
        conditional writes are tested against one.
        """
        try:
            import moto.server  # noqa: F401
        except ImportError as exc:
            require_or_skip(f"moto[server] is not installed: {exc}")
        port = free_port()
        env = dict(os.environ, MOTO_PORT=str(port))
        if authenticate:
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        if serial:
            command = [sys.executable, "-c", _SERIAL_MOTO, str(port)]
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        try:
            endpoint = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                try:
                    urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        require_or_skip(f"moto server did not start on port {port}")
                    time.sleep(0.05)
            yield cls(endpoint=endpoint, process=process)
        finally:
            _stop(process)


_SERIAL_MOTO = """
import sys
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication, MotoRequestHandler, create_backend_app,
)
run_simple("127.0.0.1", int(sys.argv[1]), DomainDispatcherApplication(create_backend_app),
           threaded=False, request_handler=MotoRequestHandler)
"""


def find_azurite() -> list[str] | None:
    """The command that starts Azurite, or None."""
    configured = os.environ.get("FAASKIT_AZURITE")
    candidates = [configured] if configured else []
    candidates += [str(ROOT / "node_modules" / ".bin" / "azurite"), shutil.which("azurite") or ""]
    candidates.append("/tmp/azurite/node_modules/.bin/azurite")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return [candidate]
    return None


@attrs.frozen(kw_only=True)
class Azurite:
    """A running Azurite; ``blob_port``, ``queue_port`` and ``table_port`` on 127.0.0.1."""

    blob_port: int
    queue_port: int
    table_port: int
    process: subprocess.Popen[bytes] = attrs.field(repr=False)

    @property
    def blob_endpoint(self) -> str:
        """The Blob service URL, account in the path (Azurite's style)."""
        return f"http://127.0.0.1:{self.blob_port}/{AZURITE_ACCOUNT}"

    @property
    def queue_endpoint(self) -> str:
        """The Queue service URL."""
        return f"http://127.0.0.1:{self.queue_port}/{AZURITE_ACCOUNT}"

    def connection_string(self, *, key: str = AZURITE_KEY) -> str:
        """An account-key connection string for this Azurite (another ``key``: wrong creds)."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={key};"
            f"BlobEndpoint={self.blob_endpoint};QueueEndpoint={self.queue_endpoint};"
            f"TableEndpoint=http://127.0.0.1:{self.table_port}/{AZURITE_ACCOUNT};"
        )

    @classmethod
    @contextlib.contextmanager
    def run(cls, *, memory_mb: int = 2048) -> Iterator[Azurite]:
        """Start Azurite in memory on free loopback ports; stop it on exit.

        ``memory_mb`` caps Azurite's in-memory store, which frees overwritten blobs lazily.
        """
        command = find_azurite()
        if command is None:
            require_or_skip("Azurite not found (npm install azurite, or set FAASKIT_AZURITE)")
            raise AssertionError("unreachable")
        with tempfile.TemporaryDirectory(prefix="azurite-") as workdir:
            ports = {name: free_port() for name in ("blob", "queue", "table")}
            args = [
                "--skipApiVersionCheck",
                "--inMemoryPersistence",
                "--disableTelemetry",
                "--silent",
                "--extentMemoryLimit",
                str(memory_mb),
            ]
            for name, port in ports.items():
                args += [f"--{name}Host", "127.0.0.1", f"--{name}Port", str(port)]
            log = open(os.path.join(workdir, "azurite.log"), "wb")  # noqa: SIM115
            process = subprocess.Popen(
                command + args, cwd=workdir, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                deadline = time.monotonic() + STARTUP_SECONDS
                while not all(_listening(port) for port in ports.values()):
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        output = Path(log.name).read_text(errors="replace")[-2000:]
                        require_or_skip(f"Azurite did not start: {output}")
                    time.sleep(0.05)
                yield cls(
                    blob_port=ports["blob"],
                    queue_port=ports["queue"],
                    table_port=ports["table"],
                    process=process,
                )
            finally:
                _stop(process)
                log.close()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """A moto server for the whole session (S3, SQS, SNS, ... on one endpoint)."""
    with MotoServer.run() as server:
        yield server


@pytest.fixture(scope="session")
def serial_moto_server() -> Iterator[MotoServer]:
    """A moto server that serves one request at a time (atomic conditional writes)."""
    with MotoServer.run(serial=True) as server:
        yield server


@pytest.fixture(scope="session")
def azurite() -> Iterator[Azurite]:
    """Azurite (Blob, Queue, Table) for the whole session."""
    with Azurite.run() as server:
        yield server
