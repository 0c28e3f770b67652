"""Fixtures for the sample-app tests: a local cloud in a temporary folder, ``file://`` stores
and queues, and the platform each test runs on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(params=["aws", "azure"])
def platform(request: pytest.FixtureRequest) -> str:
    """Each test runs once through the AWS adapter and once through the Azure adapter."""
    if request.param == "azure":
        pytest.importorskip("azure.functions")
    name: str = request.param
    return name


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[Any]:
    """``s3://``, ``azure://``, ``sqs://`` and ``azure-queue://`` URLs redirected into a
    temporary folder, as ``faaskit serve`` does, so ``BlobEvent.read()`` of a delivered event
    finds the object the test uploaded.
    """
    from faaskit.devserver.local import LocalCloud

    with LocalCloud(tmp_path / "cloud").installed() as local:
        yield local


@pytest.fixture
def folder_url(tmp_path: Path) -> Any:
    """``folder_url("results")``: the ``file://`` URL of a new folder under the test's tmp."""

    def make(name: str) -> str:
        path = tmp_path / name
        path.mkdir(parents=True, exist_ok=True)
        return path.as_uri()

    return make
