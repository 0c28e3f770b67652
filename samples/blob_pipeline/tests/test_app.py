import hashlib
import json

import pytest
from app import on_upload, summarize

DATA = b"first line\nsecond line\n"


def test_summarize_counts_lines_and_hashes():
    assert summarize(b"a\nb") == {
        "bytes": 3,
        "lines": 2,
        "sha256": hashlib.sha256(b"a\nb").hexdigest(),
    }


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_upload_writes_a_result_and_announces_it(
    platform, faaskit_local, faaskit_invoke, aws_events, azure_events
):
    faaskit_local.blobs("uploads").put("incoming/notes.txt", DATA)
    if platform == "aws":
        event = aws_events.s3(bucket="uploads", key="incoming/notes.txt", size=len(DATA))
    else:
        event = azure_events.blob(container="uploads", name="incoming/notes.txt", data=DATA)

    faaskit_invoke(on_upload, event, platform=platform)

    result = json.loads(faaskit_local.blobs("results").get("notes.txt.json"))
    assert result == {"key": "incoming/notes.txt", **summarize(DATA)}
    [message] = faaskit_local.queue("done").messages()
    assert message.json() == {"result": "notes.txt.json", "sha256": result["sha256"]}
