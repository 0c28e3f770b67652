"""Cost of ``faaskit.http(..., body=Schema)`` per invocation: an HTTP API v2 POST whose JSON
body is parsed by the handler itself (``req.json()``, no schema) vs validated before it by an
attrs class, a TypedDict and a JSON Schema dict (``jsonschema``), against a bare handler.

Run: ``python benchmarks/bench_body_schema.py [--number N] [--repeat R]``. Prints microseconds
per invocation (best of R repeats of N calls) and the overhead over the bare handler.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TypedDict

import attrs

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "adapters"), str(ROOT / "benchmarks")]

from _compare import best_of  # noqa: E402
from _events import LambdaContext, lambda_environment  # noqa: E402

BODY = {"name": "pen", "price": 2.5, "tags": ["office", "blue"]}


@attrs.frozen
class Item:
    name: str
    price: float
    tags: list[str]


class ItemDict(TypedDict):
    name: str
    price: float
    tags: list[str]


SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "price": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name", "price", "tags"],
    "additionalProperties": False,
}


def event() -> dict[str, Any]:
    from faaskit.testing import aws_event

    return aws_event("apigw-v2", method="POST", path="/items", body=json.dumps(BODY))


def bare(event: dict[str, Any], context: Any) -> dict[str, Any]:
    data = json.loads(event["body"])
    return {"statusCode": 201, "body": json.dumps({"name": data["name"]})}


def contenders() -> dict[str, Any]:
    import faaskit

    def plain(req: faaskit.HttpRequest, ctx: faaskit.Context) -> Any:
        return faaskit.Response.json({"name": req.json()["name"]}, status=201)

    def model(req: faaskit.HttpRequest, ctx: faaskit.Context) -> Any:
        value = req.body_model
        name = value.name if isinstance(value, Item) else value["name"]
        return faaskit.Response.json({"name": name}, status=201)

    out: dict[str, Any] = {"bare": bare}
    out["no schema"] = faaskit.handler(faaskit.http("POST", "/items"), name="a")(plain)
    for label, schema in (("attrs", Item), ("TypedDict", ItemDict), ("JSON Schema", SCHEMA)):
        out[label] = faaskit.handler(faaskit.http("POST", "/items", body=schema), name=label)(model)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lambda_environment()
    handlers = contenders()
    sample = event()
    for handler in handlers.values():
        handler(sample, LambdaContext())
    timings = best_of(handlers, sample, LambdaContext(), number=args.number, repeat=args.repeat)
    base = timings["bare"]
    plain = timings["no schema"] - base
    print(f"{'contender':<12} {'us/call':>8} {'overhead':>9} {'vs no schema':>13}")
    for name, micros in timings.items():
        over = micros - base
        ratio = f"{over / plain:.2f}x" if name != "bare" and plain > 0 else "-"
        print(f"{name:<12} {micros:8.2f} {over:9.2f} {ratio:>13}")


if __name__ == "__main__":
    main()
