"""faaskit.testing.lambda_runtime, the Lambda Runtime API emulator behind ``faaskit serve
--runtime lambda``: as on Lambda, an invocation that times out or a handler that ends the
process costs that one invocation, and the next one runs in a fresh runtime client.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from faaskit.testing.lambda_runtime import LambdaFunctionError, LambdaRuntime

pytestmark = [
    pytest.mark.runtime,
    pytest.mark.skipif(
        __import__("importlib").util.find_spec("awslambdaric") is None,
        reason="awslambdaric is not installed",
    ),
]

FUNCTION = textwrap.dedent(
    """
    import os, sys, time

    def handler(event, context):
        if event.get("sleep"):
            time.sleep(event["sleep"])
        if event.get("exit"):
            sys.exit(3)
        if event.get("abort"):
            os._exit(4)
        return {"n": event.get("n")}
    """
)


@pytest.fixture
def task_root(tmp_path: Path) -> Path:
    (tmp_path / "fn.py").write_text(FUNCTION, encoding="utf-8")
    return tmp_path


def test_an_invocation_after_a_timeout_runs_in_a_fresh_client(task_root: Path) -> None:
    with LambdaRuntime("fn.handler", task_root=task_root, timeout=0.5) as runtime:
        assert runtime.invoke({"n": 1}) == {"n": 1}
        with pytest.raises(LambdaFunctionError, match="timed out"):
            runtime.invoke({"sleep": 60})
        assert runtime.invoke({"n": 2}) == {"n": 2}


@pytest.mark.parametrize("how", ["exit", "abort"])
def test_an_invocation_after_the_handler_ended_the_process_runs(task_root: Path, how: str) -> None:
    with LambdaRuntime("fn.handler", task_root=task_root, timeout=20) as runtime:
        with pytest.raises(LambdaFunctionError, match="exited"):
            runtime.invoke({how: True})
        assert runtime.invoke({"n": 2}) == {"n": 2}
        assert runtime.invoke({"n": 3}) == {"n": 3}


def test_invocations_queued_behind_a_timed_out_one_still_run(task_root: Path) -> None:
    import threading
    import time

    with LambdaRuntime("fn.handler", task_root=task_root, timeout=20) as runtime:
        runtime.invoke({"n": 0})
        outcome: dict[str, object] = {}

        def slow() -> None:
            try:
                runtime.invoke({"sleep": 60}, timeout=0.5)
            except LambdaFunctionError as exc:
                outcome["slow"] = exc

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.3)  # the slow invocation is running; the next one waits behind it
        assert runtime.invoke({"n": 2}) == {"n": 2}
        thread.join()
        assert isinstance(outcome["slow"], LambdaFunctionError)
