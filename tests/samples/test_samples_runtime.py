"""The samples inside the real AWS Lambda runtime interface client (``awslambdaric``), loaded
the way Lambda loads them (``Handler: app.<name>`` from the sample folder).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faaskit import storage
from faaskit.testing import aws_event

pytest.importorskip("awslambdaric")
pytestmark = pytest.mark.runtime

ROOT = Path(__file__).resolve().parents[2]
PATHS = [ROOT, ROOT / "adapters"]


def test_a_poison_message_is_the_only_batch_item_failure(
    lambda_runtime: Any, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    runtime = lambda_runtime(
        "app.deliver",
        task_root=ROOT / "samples" / "notifications",
        function_name="deliver",
        python_path=PATHS,
        env={"OUTBOX_URL": outbox.as_uri()},
    )
    good = [{"id": f"o-9-{i}", "to": f"user{i}@example.com"} for i in range(3)]
    batch = aws_event("sqs", bodies=[good[0], "poison", good[1], good[2]])

    result = runtime.invoke(batch)

    poison = batch["Records"][1]["messageId"]
    assert result == {"batchItemFailures": [{"itemIdentifier": poison}]}
    sent = sorted(blob.key for blob in storage.blobs(outbox.as_uri()).list())
    assert sent == [f"sent/{job['id']}.json" for job in good]


def test_the_todo_api_answers_inside_the_runtime(lambda_runtime: Any, tmp_path: Path) -> None:
    items = tmp_path / "todos"
    items.mkdir()
    options = {
        "task_root": ROOT / "samples" / "todo_api",
        "python_path": PATHS,
        "env": {"TODOS_URL": items.as_uri()},
    }
    create = lambda_runtime("app.create_todo", function_name="create_todo", **options)
    get = lambda_runtime("app.get_todo", function_name="get_todo", **options)
    authorizer = {"jwt": {"claims": {"sub": "ada"}, "scopes": None}}

    created = create.invoke(
        aws_event(
            "apigw-v2",
            method="POST",
            path="/todos",
            route="/todos",
            body={"title": "ship it"},
            authorizer=authorizer,
        )
    )
    assert created["statusCode"] == 201
    item = json.loads(created["body"])
    fetched = get.invoke(
        aws_event(
            "apigw-v2",
            path=f"/todos/{item['id']}",
            route="/todos/{todo_id}",
            path_params={"todo_id": item["id"]},
            authorizer=authorizer,
        )
    )
    assert (fetched["statusCode"], json.loads(fetched["body"])) == (200, item)
    anonymous = get.invoke(
        aws_event(
            "apigw-v2",
            path=f"/todos/{item['id']}",
            route="/todos/{todo_id}",
            path_params={"todo_id": item["id"]},
        )
    )
    assert anonymous["statusCode"] == 401
