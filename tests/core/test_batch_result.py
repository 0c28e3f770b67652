"""faaskit.BatchResult: the failed ids a whole-batch handler reports."""

from __future__ import annotations

from typing import Any

import faaskit
from faaskit._context import local_context
from faaskit._message import Message, MessageBatch


def test_batch_result_with_one_id_as_a_string_reports_that_id() -> None:
    """``BatchResult(failed="m-2")`` (a str is a Sequence[str]) must report m-2, not 'm', '-'
    and '2' while m-2 is acknowledged and lost.
    """
    from faaskit._batch import BatchResult

    assert list(BatchResult(failed="m-2").failed) == ["m-2"]

    @faaskit.handler(faaskit.queue("orders", batch=True))
    def whole(batch: Any, ctx: Any) -> BatchResult:
        return BatchResult(failed="m-2")

    messages = [Message(id=f"m-{i}", body=b"x") for i in (1, 2, 3)]
    from faaskit._run import run

    result = run(whole, MessageBatch(messages=messages), local_context("w"), source="test")
    assert list(result.failed) == ["m-2"]
