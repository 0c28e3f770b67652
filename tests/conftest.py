"""Shared test configuration. Each area keeps its own fixtures in its folder's conftest.py."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, settings

from tests.services import azurite, moto_server

__all__ = ["azurite", "moto_server"]

# Property tests judge behaviour, not speed: a loaded CI machine (2 cores, servers, xdist) must
# not fail them on generation time or a per-example deadline.
settings.register_profile("faaskit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("faaskit")


@pytest.fixture(autouse=True)
def _quiet_faaskit_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="faaskit")
