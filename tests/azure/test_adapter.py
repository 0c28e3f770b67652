"""faaskit_azure.adapter: what a raw non-HTTP handler's result becomes for the worker."""

from __future__ import annotations

from typing import Any

import azure.functions as func

import faaskit
from tests.azure.helpers import invoke


@faaskit.handler(faaskit.queue("raw-orders"), raw=True)
def raw_queue(msg: Any, ctx: faaskit.Context) -> dict[str, Any]:
    return {"batchItemFailures": []}  # what an AWS-minded raw handler returns


@faaskit.handler(faaskit.queue("raw-orders"), raw=True, name="araw_queue")
async def araw_queue(msg: Any, ctx: faaskit.Context) -> dict[str, Any]:
    return {"batchItemFailures": []}


def _queue_message() -> Any:
    return func.QueueMessage(id="m-1", body=b"hi")


def test_a_raw_non_http_handler_result_is_not_handed_to_the_worker() -> None:
    # The worker fails a function without a $return binding that returns a value
    # (azure_functions_runtime.handle_event), so the processed message would be retried.
    assert invoke(raw_queue, _queue_message()) is None


def test_an_async_raw_non_http_handler_result_is_not_handed_to_the_worker() -> None:
    import asyncio

    assert asyncio.run(invoke(araw_queue, _queue_message())) is None
