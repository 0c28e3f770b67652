"""Shared by the Azure conformance tests: the corpus's worker-level invocations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.corpus import CORPUS, available, load

WORKER = "azure/worker_level_fixtures.json"


def worker(name: str) -> dict[str, Any]:
    """The worker-level invocation ``name`` of the corpus; the test skips without the corpus."""
    if not available():
        pytest.skip(f"no corpus at {CORPUS}")
    fixture: dict[str, Any] = load(WORKER)[name]
    return fixture
