"""Shared by the tests that run apps inside the real Azure Functions Python runtime."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from faaskit.testing.azure_host import AzureHost, runtime_python

AZURE_RUNTIME = [
    pytest.mark.runtime,
    pytest.mark.skipif(
        runtime_python() is None, reason="no Python 3.13 with azure-functions-runtime"
    ),
]
"""The ``pytestmark`` of a module whose tests need the real runtime (skipped without it)."""


def host_fixture(app: Path) -> Any:
    """A module-scoped ``host`` fixture: the app folder ``app`` running in the real runtime."""

    @pytest.fixture(scope="module")
    def host() -> Iterator[AzureHost]:
        with AzureHost(app) as running:
            yield running

    return host
