"""Fixtures for the deploy tests: each app is built once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from faaskit.deploy import build


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """``built(app_path)``: the output folder of ``faaskit build APP --target all``."""
    cache: dict[Path, Path] = {}

    def get(app: Path) -> Path:
        if app not in cache:
            out = tmp_path_factory.mktemp(app.parent.name) / "out"
            build(str(app), target="all", out=out)
            cache[app] = out
        return cache[app]

    return get
