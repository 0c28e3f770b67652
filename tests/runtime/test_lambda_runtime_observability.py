# ruff: noqa: F811  (pytest fixtures imported from the faaskit plugin)
"""ctx.log and ctx.metrics inside the real Lambda runtime client, in both Lambda log formats:
each INFO line arrives once, as JSON, with the invocation's request id; EMF documents follow
the specification, split at 100 metrics; metrics are flushed when the handler raised."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from faaskit.testing.lambda_runtime import LambdaFunctionError
from faaskit.testing.plugin import lambda_runtime  # noqa: F401
from tests.core.emf import emf_lines, validate_emf

pytest.importorskip("awslambdaric")
pytestmark = pytest.mark.runtime

ROOT = Path(__file__).resolve().parents[2]
PATHS = [ROOT, ROOT / "adapters"]

APP = """
import logging
import faaskit

logging.getLogger("user").info("a user INFO line at import")


@faaskit.handler(raw=True)
def observed(event, ctx):
    ctx.log.debug("hidden unless DEBUG")
    ctx.log.info("order placed", extra={"order_id": event["order"], "amount": 12.5})
    for i in range(event.get("metrics", 1)):
        ctx.metrics.add(f"m{i}", i, region="eu")
    if event.get("fail"):
        raise RuntimeError("payment declined")
    return {"request_id": ctx.request_id, "cold": ctx.cold_start}
"""


@pytest.fixture
def app(tmp_path: Path) -> Path:
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "obs_fn.py").write_text(textwrap.dedent(APP))
    return folder


def _json_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


@pytest.mark.parametrize("log_format", ["Text", "JSON"])
def test_info_lines_arrive_once_as_json_with_the_request_id(
    app: Path, tmp_path: Path, lambda_runtime: Any, log_format: str
) -> None:
    output = tmp_path / "out.log"
    runtime = lambda_runtime(
        "obs_fn.observed",
        task_root=app,
        python_path=PATHS,
        function_name="orders",
        env={"AWS_LAMBDA_LOG_FORMAT": log_format, "FAASKIT_METRICS_NAMESPACE": "Shop"},
        output=output,
    )
    first = runtime.invoke({"order": "o-1"})
    second = runtime.invoke({"order": "o-2"})
    runtime.close()
    lines = _json_lines(output)
    placed = [line for line in lines if line.get("message") == "order placed"]
    assert [(x["order_id"], x["request_id"]) for x in placed] == [
        ("o-1", first["request_id"]),
        ("o-2", second["request_id"]),
    ]
    assert [x["cold_start"] for x in placed] == [True, False]
    assert all(
        (x["level"], x["platform"], x["function_name"], x["amount"])
        == ("INFO", "aws", "orders", 12.5)
        for x in placed
    )
    assert all(x["trace_id"].startswith("Root=1-") for x in placed)
    assert not any("requestId" in x for x in placed)  # never passed through Lambda's formatter
    text = output.read_text(encoding="utf-8")
    assert text.count("order placed") == 2
    assert "hidden unless DEBUG" not in text
    docs = emf_lines(text)
    for doc in docs:
        validate_emf(doc)
        assert doc["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Shop"
    assert sorted(doc["request_id"] for doc in docs if "m0" in doc) == sorted(
        [first["request_id"], second["request_id"]]
    )
    assert [doc["function_name"] for doc in docs if "ColdStart" in doc] == ["orders"]


def test_emf_is_split_at_100_metrics_and_flushed_when_the_handler_raised(
    app: Path, tmp_path: Path, lambda_runtime: Any
) -> None:
    output = tmp_path / "out.log"
    runtime = lambda_runtime("obs_fn.observed", task_root=app, python_path=PATHS, output=output)
    with pytest.raises(LambdaFunctionError, match="payment declined"):
        runtime.invoke({"order": "o-3", "metrics": 150, "fail": True})
    runtime.close()
    docs = [doc for doc in emf_lines(output.read_text(encoding="utf-8")) if "ColdStart" not in doc]
    assert len(docs) == 2
    for doc in docs:
        validate_emf(doc)
    names = sorted(name for doc in docs for name in doc if name.startswith("m"))
    assert names == sorted(f"m{i}" for i in range(150))


def test_lambda_json_log_level_applies_to_faaskit_lines(
    app: Path, tmp_path: Path, lambda_runtime: Any
) -> None:
    output = tmp_path / "out.log"
    runtime = lambda_runtime(
        "obs_fn.observed",
        task_root=app,
        python_path=PATHS,
        env={"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "DEBUG"},
        output=output,
    )
    runtime.invoke({"order": "o-4"})
    runtime.close()
    messages = [line.get("message") for line in _json_lines(output)]
    assert messages.count("hidden unless DEBUG") == 1
