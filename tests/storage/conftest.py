"""Storage fixtures: the three backends, each against its real server (or a temp directory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.storage.helpers import (
    AzureBackend,
    Backend,
    FileBackend,
    S3Backend,
    apply_environment,
)

__all__ = ["backend", "queue_backend", "race_backend"]


def _backend(
    name: str, request: pytest.FixtureRequest, tmp_path: Path, moto: str = "moto_server"
) -> Backend:
    if name == "s3":
        return S3Backend(request.getfixturevalue(moto))
    if name == "azure":
        return AzureBackend(request.getfixturevalue("azurite"))
    return FileBackend(tmp_path)


BLOB_BACKENDS = [
    pytest.param("file", id="file"),
    pytest.param("s3", id="s3", marks=pytest.mark.services),
    pytest.param("azure", id="azure", marks=pytest.mark.services),
]


@pytest.fixture(params=BLOB_BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Backend:
    """Each blob backend in turn, with the environment pointing its SDK at its server."""
    chosen = _backend(request.param, request, tmp_path)
    apply_environment(monkeypatch, chosen)
    return chosen


@pytest.fixture(params=BLOB_BACKENDS)
def race_backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Backend:
    """:func:`backend` for races of conditional writes: S3 on a serial moto server."""
    chosen = _backend(request.param, request, tmp_path, moto="serial_moto_server")
    apply_environment(monkeypatch, chosen)
    return chosen


@pytest.fixture(
    params=[
        pytest.param("file", id="file"),
        pytest.param("s3", id="sqs", marks=pytest.mark.services),
        pytest.param("azure", id="azure-queue", marks=pytest.mark.services),
    ]
)
def queue_backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Backend:
    """Each queue backend in turn (file, SQS, Azure Queue)."""
    chosen = _backend(request.param, request, tmp_path)
    apply_environment(monkeypatch, chosen)
    return chosen
