"""The idempotency record stores an app's ``@faaskit.idempotent`` handlers use, for deployment.

Each store needs two things in a deployed app, both added by the cloud generators beside
(not inside) the function's own declarations: read, write and delete on the records
(``<store>/<module>.<function>/``), and a lifecycle rule deleting records once they have
expired (S3 lifecycle configuration on AWS, a Storage management policy on Azure), since a
record past ``expires`` is only ignored, never removed, by the handler itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import attrs

from faaskit.adapter import record_folder
from faaskit.deploy._model import App, Function, Resource, resource

__all__ = ["RecordStore", "record_stores", "store_resources"]

_DAY = 86400.0


@attrs.frozen(kw_only=True)
class RecordStore:
    """Where one function keeps its idempotency records, and for how long they matter.

    ``resource`` is the bucket or container; ``prefix`` the records' key prefix in it
    (ending in ``/``); ``days`` the whole days after which a record may be deleted (records
    expire after ``expires``; lifecycle rules count whole days, so this rounds up, at least 1).
    """

    function: str
    url: str
    resource: Resource
    prefix: str
    days: int


def _stores(fn: Function, module: str) -> Iterator[RecordStore]:
    state = getattr(getattr(fn.handler, "func", None), "idempotency", None)
    if state is None:
        return
    raw = state._store  # a URL, or a BlobStore made by the app
    url = raw if isinstance(raw, str) else str(getattr(raw, "url", ""))
    if not url or url.startswith("file:"):
        return  # a local folder: nothing to deploy
    found = resource(url)
    path = url.partition("://")[2].partition("/")[2].strip("/")
    # The module as the platform imports it (the loader may import it under another name).
    folder = record_folder(module, state.qualname)
    prefix = (path + "/" if path else "") + folder + "/"
    days = max(1, math.ceil(state.expires / _DAY))
    yield RecordStore(function=fn.name, url=url, resource=found, prefix=prefix, days=days)


def record_stores(app: App) -> list[RecordStore]:
    """The record stores of every idempotent function of ``app``, in declaration order."""
    return [store for fn in app.functions for store in _stores(fn, app.module)]


def store_resources(fn: Function) -> list[Resource]:
    """The buckets or containers ``fn``'s idempotency records live in (read and written)."""
    return [store.resource for store in _stores(fn, "")]
