"""Shared test configuration. Each area keeps its own fixtures in its folder's conftest.py."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from importlib.metadata import entry_points

import pytest
from hypothesis import HealthCheck, settings

from tests.services import azurite, moto_server, serial_moto_server

__all__ = ["azurite", "moto_server", "serial_moto_server"]

# The dev server fixtures are a second pytest11 entry point; an editable install made before
# it existed lacks it until reinstalled, so load the plugin by name then.
if not [e for e in entry_points(group="pytest11") if e.value == "faaskit.devserver.fixtures"]:
    pytest_plugins = ["faaskit.devserver.fixtures"]

# Property tests judge behaviour, not speed: a loaded CI machine (2 cores, servers, xdist) must
# not fail them on generation time or a per-example deadline.
settings.register_profile("faaskit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("faaskit")


@pytest.fixture(autouse=True)
def _quiet_faaskit_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="faaskit")


@pytest.fixture(autouse=True, scope="session")
def _private_build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds cache pip installs in this session's own folder, never the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAASKIT_CACHE_DIR", str(tmp_path_factory.mktemp("faaskit-cache")))
        yield
