"""Shared test configuration. Each area keeps its own fixtures in its folder's conftest.py."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True)
def _quiet_faaskit_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="faaskit")
