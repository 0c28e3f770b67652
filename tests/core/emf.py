"""EMF validation for tests: the JSON Schema written from the specification, plus the rules a
schema cannot say (every referenced dimension and metric is a member of the root)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "emf.json").read_text()
)
_validator = jsonschema.Draft202012Validator(SCHEMA)
_value = jsonschema.Draft202012Validator(SCHEMA["$defs"]["MetricValue"])


def validate_emf(document: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` / ``AssertionError`` unless ``document`` is EMF."""
    _validator.validate(document)
    for directive in document["_aws"]["CloudWatchMetrics"]:
        for dimension_set in directive["Dimensions"]:
            for name in dimension_set:
                assert isinstance(document.get(name), str), f"dimension {name} not in root"
        names = [metric["Name"] for metric in directive["Metrics"]]
        assert len(names) == len(set(names)), f"a metric twice in one directive: {names}"
        for name in names:
            assert name in document, f"metric {name} not in root"
            _value.validate(document[name])


def emf_lines(text: str) -> list[dict[str, Any]]:
    """The EMF documents among the JSON lines of ``text``."""
    docs = []
    for line in text.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            docs.append(json.loads(line))
    return docs
