"""Shared test configuration. Each area keeps its own fixtures in its folder's conftest.py."""

from __future__ import annotations

import logging

import pytest

from tests.services import azurite, moto_server

__all__ = ["azurite", "moto_server"]


@pytest.fixture(autouse=True)
def _quiet_faaskit_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="faaskit")
