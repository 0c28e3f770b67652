"""Every extended-tier AWS corpus entry gives an UnsupportedEventError naming its source, or
reaches a ``raw=True`` handler untouched; never another exception.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import faaskit
from tests.aws.event_helpers import LambdaContext, capture
from tests.corpus import load, manifest, params

# Payloads that are, byte for byte, a shape faaskit normalizes: they are delivered as that type.
SAME_AS_CORE = {"aws/sam-cli/events/rekognition/RekognitionS3Request.json": "BlobEvent"}

EXTENDED = params(platform="aws", tier="extended")


@pytest.mark.parametrize("rel", EXTENDED)
def test_extended_entry_is_refused_with_its_source(rel: str) -> None:
    raw = load(rel)
    if rel in SAME_AS_CORE:
        seen, _ = capture(raw)
        assert [type(e).__name__ for e in seen] == [SAME_AS_CORE[rel]]
        return
    with pytest.raises(faaskit.UnsupportedEventError) as info:
        capture(raw)
    assert not isinstance(info.value, faaskit.TriggerMismatchError)
    expected = manifest()[rel]["source"]
    if expected != "unsupported":
        assert info.value.source == expected
    assert info.value.source != "unknown"
    assert info.value.source in str(info.value)


@pytest.mark.parametrize("rel", params(platform="aws", tier="extended"))
def test_extended_entry_reaches_a_raw_handler_untouched(rel: str) -> None:
    raw = load(rel)
    seen: list[Any] = []

    @faaskit.handler(raw=True)
    def native(event: Any, ctx: faaskit.Context) -> dict[str, bool]:
        seen.append(event)
        return {"ok": True}

    assert native(copy.deepcopy(raw), LambdaContext()) == {"ok": True}
    assert seen == [raw]
