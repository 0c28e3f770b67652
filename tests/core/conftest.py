"""Core fixtures: the storage backends (for ``@faaskit.idempotent``'s record stores)."""

from __future__ import annotations

from tests.storage.conftest import backend, race_backend

__all__ = ["backend", "race_backend"]
