"""Access to the shared conformance corpus in ``../shared/events`` (outside the project).

Tests that use it skip cleanly when the folder is absent. SAM CLI templates are rendered with
the defaults of their ``event-mapping.json``, as ``sam local generate-event`` does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import urllib.parse
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("FAASKIT_CORPUS", ROOT.parent / "shared" / "events"))


def available() -> bool:
    return (CORPUS / "manifest.json").is_file()


@cache
def manifest() -> dict[str, dict[str, str]]:
    if not available():
        return {}
    data: dict[str, dict[str, str]] = json.loads((CORPUS / "manifest.json").read_text())
    return data


def entries(
    *, platform: str | None = None, kind: str | None = None, tier: str | None = None
) -> list[str]:
    """Corpus paths (relative to the corpus root) matching the filters, sorted."""
    return sorted(
        rel
        for rel, entry in manifest().items()
        if (platform is None or entry["platform"] == platform)
        and (kind is None or entry["kind"] == kind)
        and (tier is None or entry["tier"] == tier)
    )


def params(**filters: str) -> list[Any]:
    """``pytest.param``s for :func:`entries`, or one skipped param when the corpus is absent."""
    found = entries(**filters)
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [pytest.param(rel, id=rel) for rel in found]


@cache
def _sam_tags() -> dict[str, dict[str, tuple[str, bool]]]:
    """Per SAM template stem: placeholder -> (rendered default, is a raw JSON value)."""
    mapping_file = CORPUS / "aws" / "sam-cli" / "event-mapping.json"
    if not mapping_file.is_file():
        return {}
    out: dict[str, dict[str, tuple[str, bool]]] = {}
    for service in json.loads(mapping_file.read_text()).values():
        for event in service.values():
            tags: dict[str, tuple[str, bool]] = {}
            for name, tag in event.get("tags", {}).items():
                value = str(tag.get("default", ""))
                encoding = tag.get("encoding")
                if encoding == "url":
                    value = urllib.parse.quote(value)
                elif encoding == "base64":
                    value = base64.b64encode(value.encode()).decode()
                is_dict = tag.get("type") == "dict"
                words = name.split("-")
                camel = words[0] + "".join(w.title() for w in words[1:])
                for alias in {name, name.replace("-", "_"), camel}:
                    tags[alias] = (value, is_dict)
            if "body" in tags:
                tags["md5_of_body"] = (hashlib.md5(tags["body"][0].encode()).hexdigest(), False)
            out[event["filename"]] = tags
    return out


def load(rel: str) -> Any:
    """The corpus event at ``rel`` as JSON, SAM placeholders rendered."""
    text = (CORPUS / rel).read_text()
    if "{{{" in text:
        for name, (value, is_dict) in _sam_tags().get(Path(rel).stem, {}).items():
            if is_dict:
                text = text.replace('"{{{' + name + '}}}"', value)
            text = text.replace("{{{" + name + "}}}", json.dumps(value)[1:-1])
    return json.loads(text)


def iter_azure_fixtures() -> Iterator[dict[str, Any]]:
    """The hand-written worker-level Azure invocations (``azure/worker_level_fixtures.json``)."""
    path = CORPUS / "azure" / "worker_level_fixtures.json"
    if path.is_file():
        data = json.loads(path.read_text())
        yield from data if isinstance(data, list) else data.get("fixtures", data.values())
