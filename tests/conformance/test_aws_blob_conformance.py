"""Every core AWS corpus entry of kind ``blob`` normalizes to BlobEvents, field by field.

Expected values are derived here from the raw payload with the test's own reading of the S3
documentation (form-decoding of keys, event names to actions), not with the adapter's code.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import unquote

import pytest

import faaskit
from tests.aws.event_helpers import capture
from tests.corpus import load, params

ACTIONS = {"ObjectCreated": "created", "ObjectRemoved": "deleted", "ObjectRestore": "restore"}
EVENTBRIDGE_ACTIONS = {
    "Object Created": "created",
    "Object Deleted": "deleted",
    "Object Restore Completed": "restored",
}


def _time(text: str) -> dt.datetime:
    fmt = "%Y-%m-%dT%H:%M:%S.%f%z" if "." in text else "%Y-%m-%dT%H:%M:%S%z"
    return dt.datetime.strptime(text, fmt)


def _form_decode(key: str) -> str:
    return unquote(key.replace("+", " "))


def _from_notification(record: dict[str, Any]) -> dict[str, Any]:
    obj = record["s3"]["object"]
    return {
        "bucket": record["s3"]["bucket"]["name"],
        "key": _form_decode(obj["key"]),
        "action": ACTIONS[record["eventName"].split(":")[0]],
        "size": obj.get("size"),
        "etag": obj.get("eTag"),
        "version": obj.get("versionId"),
        "time": _time(record["eventTime"]),
    }


def _expected(raw: dict[str, Any]) -> list[dict[str, Any]]:
    if "detail-type" in raw:
        obj = raw["detail"]["object"]
        return [
            {
                "bucket": raw["detail"]["bucket"]["name"],
                "key": _form_decode(obj["key"]),
                "action": EVENTBRIDGE_ACTIONS[raw["detail-type"]],
                "size": obj.get("size"),
                "etag": obj.get("etag"),
                "version": obj.get("version-id"),
                "time": _time(raw["time"]),
            }
        ]
    out = []
    for record in raw["Records"]:
        if record.get("eventSource") == "aws:sqs":
            out.extend(_from_notification(r) for r in json.loads(record["body"])["Records"])
        else:
            out.append(_from_notification(record))
    return out


@pytest.mark.parametrize("rel", params(platform="aws", kind="blob", tier="core"))
def test_blob_entry(rel: str) -> None:
    raw = load(rel)
    seen, result = capture(raw, faaskit.blob("any-bucket"))
    expected = _expected(raw)
    assert len(seen) == len(expected)
    for event, want in zip(seen, expected, strict=True):
        assert isinstance(event, faaskit.BlobEvent)
        got = {name: getattr(event, name) for name in want}
        if want["action"] == "restore":  # ObjectRestore:Post / :Completed / :Delete
            assert got.pop("action").startswith("restore")
            want = {k: v for k, v in want.items() if k != "action"}
        assert got == want
        assert event.store == f"s3://{want['bucket']}"
        assert event.read is not None
    if "Records" in raw and raw["Records"][0].get("eventSource") == "aws:sqs":
        assert result == {"batchItemFailures": []}


def test_decoded_key_entry_matches_the_documented_decoding() -> None:
    rel = "aws/powertools/s3EventDecodedKey.json"
    if rel not in [p.values[0] for p in params(platform="aws", kind="blob")]:
        pytest.skip("corpus entry absent")
    raw = load(rel)
    (event,), _ = capture(raw)
    assert event.key == raw["Records"][0]["s3"]["object"]["urlDecodedKey"]
