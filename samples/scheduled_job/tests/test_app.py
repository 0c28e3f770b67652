import json

import pytest
from app import hourly_report


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_a_tick_writes_a_report(platform, faaskit_local, faaskit_invoke, aws_events, azure_events):
    inbox = faaskit_local.blobs("inbox")
    inbox.put("a.txt", b"12345")
    inbox.put("b.txt", b"123")
    tick = aws_events.schedule() if platform == "aws" else azure_events.timer()

    faaskit_invoke(hourly_report, tick, platform=platform)

    [written] = list(faaskit_local.blobs("reports").list())
    report = json.loads(faaskit_local.blobs("reports").get(written.key))
    assert (report["objects"], report["bytes"]) == (2, 8)
