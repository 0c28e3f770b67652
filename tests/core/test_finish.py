import pytest

import faaskit
from faaskit._finish import finish, on_finish, pending
from faaskit.testing import aws_event, invoke


def test_callbacks_run_once_in_order_and_are_forgotten():
    ctx = object()
    seen = []
    on_finish(ctx, lambda err: seen.append(("a", err)))
    on_finish(ctx, lambda err: seen.append(("b", err)))
    finish(ctx)
    finish(ctx)
    assert seen == [("a", None), ("b", None)]
    assert id(ctx) not in pending


def test_every_callback_runs_when_one_raises_and_the_first_error_surfaces():
    ctx = object()
    seen = []

    def boom(err):
        raise RuntimeError("flush failed")

    on_finish(ctx, boom)
    on_finish(ctx, lambda err: seen.append(err))
    with pytest.raises(RuntimeError, match="flush failed"):
        finish(ctx)
    assert seen == [None]


def test_a_failing_callback_does_not_mask_the_invocation_error():
    ctx = object()
    on_finish(ctx, lambda err: (_ for _ in ()).throw(RuntimeError("flush")))
    finish(ctx, ValueError("handler"))  # the handler's own error is what propagates


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_finishers_run_after_the_handler_on_both_clouds_also_when_it_fails(platform):
    seen = []

    @faaskit.handler(faaskit.queue("q"))
    def work(msg, ctx):
        on_finish(ctx, lambda err: seen.append(type(err).__name__ if err else None))
        if msg.text == "bad":
            raise ValueError("bad")

    if platform == "aws":
        invoke(work, aws_event("sqs", body="good"), platform="aws")
        invoke(work, aws_event("sqs", body="bad"), platform="aws")  # reported, not raised
        assert seen == [None, None]
    else:
        from faaskit.testing import azure_event

        invoke(work, azure_event("queue", body="good"), platform="azure")
        with pytest.raises(ValueError):
            invoke(work, azure_event("queue", body="bad"), platform="azure")
        assert seen == [None, "ValueError"]
    assert not pending


def test_finishers_run_on_a_direct_call():
    seen = []

    @faaskit.handler
    def direct(event, ctx):
        on_finish(ctx, seen.append)
        raise KeyError("x")

    with pytest.raises(KeyError):
        direct(object())
    assert len(seen) == 1 and isinstance(seen[0], KeyError)
