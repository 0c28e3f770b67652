"""samples/image_pipeline: an upload is summarised, the summary stored and announced, through
the AWS path (S3 notification -> Lambda handler) and the Azure path (blob trigger).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from faaskit import storage
from samples.image_pipeline import app
from tests.samples.helpers import deliver, queued

KEY = "incoming/reports/q1 notes.txt"
TEXT = b"The cat and the hat.\nThe end.\n"


@pytest.fixture
def urls(monkeypatch: pytest.MonkeyPatch, folder_url: Any) -> dict[str, str]:
    found = {"results": folder_url("results"), "queue": folder_url("summaries")}
    monkeypatch.setenv("RESULTS_URL", found["results"])
    monkeypatch.setenv("SUMMARIES_QUEUE_URL", found["queue"])
    return found


def _upload(platform: str, key: str, data: bytes) -> Any:
    return deliver(
        app.summarize,
        platform,
        aws=("s3", {"bucket": app.UPLOADS, "key": key, "size": len(data)}),
        azure=("blob", {"container": app.UPLOADS, "name": key, "data": data}),
    )


def test_an_upload_is_summarised_stored_and_announced(
    platform: str, cloud: Any, urls: dict[str, str]
) -> None:
    cloud.blobs(app.UPLOADS).put(KEY, TEXT)

    _upload(platform, KEY, TEXT)

    results = storage.blobs(urls["results"])
    [written] = list(results.list())
    assert written.key == "summaries/reports/q1 notes.txt.json"
    summary = json.loads(results.get(written.key))
    assert summary["source"] == f"{app.UPLOADS}/{KEY}"
    assert summary["bytes"] == len(TEXT)
    assert summary["lines"] == 2
    assert summary["words"] == 7
    assert summary["top_words"][0] == {"word": "the", "count": 3}
    assert summary["sha256"] == hashlib.sha256(TEXT).hexdigest()

    [message] = queued(urls["queue"])
    assert message.json() == {"summary": written.key, "source": summary["source"], "words": 7}
    assert message.attributes["platform"] == platform


def test_undecodable_bytes_are_summarised_not_rejected(
    platform: str, cloud: Any, urls: dict[str, str]
) -> None:
    data = b"caf\xe9 au lait\n\xff\xfe"
    cloud.blobs(app.UPLOADS).put("incoming/latin1.txt", data)

    _upload(platform, "incoming/latin1.txt", data)

    summary = json.loads(storage.blobs(urls["results"]).get("summaries/latin1.txt.json"))
    assert summary["bytes"] == len(data)
    assert summary["sha256"] == hashlib.sha256(data).hexdigest()
    assert [w["word"] for w in summary["top_words"]] == ["caf", "au", "lait"]


def test_an_object_deleted_before_processing_is_skipped(
    platform: str, cloud: Any, urls: dict[str, str]
) -> None:
    _upload(platform, "incoming/gone.txt", b"already deleted")

    assert list(storage.blobs(urls["results"]).list()) == []
    assert queued(urls["queue"]) == []


def test_a_failed_write_raises_so_the_platform_retries(
    platform: str, cloud: Any, urls: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    results = Path(unquote(urlsplit(urls["results"]).path))
    monkeypatch.setenv("RESULTS_URL", (results / "missing").as_uri())
    cloud.blobs(app.UPLOADS).put(KEY, TEXT)

    with pytest.raises(storage.StorageError):
        _upload(platform, KEY, TEXT)

    assert queued(urls["queue"]) == []


def test_default_urls_name_the_declared_resources_of_each_cloud() -> None:
    from faaskit.deploy import load_app

    [function] = load_app(str(Path(app.__file__))).functions
    assert set(function.writes) == {f"s3://{app.RESULTS}", f"sqs://{app.SUMMARIES}"}
    assert set(function.reads) == {f"s3://{app.UPLOADS}"}
