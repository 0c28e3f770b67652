"""Per-batch overhead of an SQS batch of 10 messages: faaskit vs a bare loop vs Powertools.

Every contender does the same work per message: parse the JSON body and read a field, then
answer the partial batch response (``batchItemFailures``). Run:
``python benchmarks/bench_sqs_batch.py [--number N] [--repeat R] [--rounds K]``. Prints
microseconds per batch (best of R repeats of N calls), the overhead over the bare loop, and
faaskit's overhead as a fraction of Powertools' (``BatchProcessor`` with
``process_partial_response``); with K rounds, each round's fraction and the round with the
median one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

# The Lambda runtime sets the X-Ray trace id for every invocation (even when not sampled).
os.environ.setdefault(
    "_X_AMZN_TRACE_ID", "Root=1-6749c3a2-0b3c2d1e4f5a6b7c8d9e0f1a;Parent=53995c3f42cd8ad8;Sampled=0"
)
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "adapters"), str(ROOT / "benchmarks")]

from _compare import best_of, make_handlers  # noqa: E402
from _events import LambdaContext  # noqa: E402


def sqs_batch(size: int = 10, spread_ms: int = 1) -> dict[str, Any]:
    """A standard-queue batch as Lambda delivers it (AWS docs, "Using Lambda with Amazon SQS").

    Messages were sent ``spread_ms`` milliseconds apart (a burst by default; 1000 or more puts
    each in a second of its own, as a backlog read at once would). Like the Lambda runtime, it
    is parsed from JSON, so no two records share a string object.
    """
    event = {
        "Records": [
            {
                "messageId": f"059f36b4-87a3-44ab-83d2-6619758{index:05d}",
                "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
                "body": json.dumps({"order": 1000 + index, "items": index % 4 + 1}),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": str(1795860930000 + index * spread_ms),
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": str(1795860990010 + index),
                },
                "messageAttributes": {
                    "customer": {
                        "stringValue": f"C-{index}",
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": "String",
                    }
                },
                "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders",
                "awsRegion": "eu-west-1",
            }
            for index in range(size)
        ]
    }
    return json.loads(json.dumps(event))  # type: ignore[no-any-return]


def work(body: str) -> int:
    return int(json.loads(body)["items"])


def bare_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event["Records"]:
        try:
            work(record["body"])
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def faaskit_handler() -> Any:
    import faaskit

    @faaskit.handler(faaskit.queue("orders"))
    def handle(message: faaskit.Message, ctx: faaskit.Context) -> None:
        work(message.text)

    return handle


def powertools_handler() -> Any:
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    processor = BatchProcessor(event_type=EventType.SQS)

    def record_handler(record: Any) -> None:
        work(record.body)

    def handler(event: dict[str, Any], context: Any) -> Any:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    return handler


def check(handler: Any) -> None:
    out = handler(sqs_batch(), LambdaContext())
    assert out == {"batchItemFailures": []}, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=3000, help="batches per repeat")
    parser.add_argument("--repeat", type=int, default=9, help="repeats (best is kept)")
    parser.add_argument(
        "--spread-ms", type=int, default=1, help="milliseconds between the messages' send times"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="independent measurements (the median is kept)"
    )
    args = parser.parse_args()
    contenders = {
        "bare loop": lambda: bare_handler,
        "faaskit (per-message handler)": faaskit_handler,
        "Powertools BatchProcessor": powertools_handler,
    }
    handlers = make_handlers(contenders, check, 32)
    event, context = sqs_batch(spread_ms=args.spread_ms), LambdaContext()
    rounds = []
    for _ in range(args.rounds):
        best = best_of(handlers, event, context, number=args.number, repeat=args.repeat)
        bare = best["bare loop"]
        ours = best["faaskit (per-message handler)"] - bare
        theirs = best.get("Powertools BatchProcessor", float("nan")) - bare
        rounds.append((ours / theirs, best))
    ratio, best = sorted(rounds, key=lambda r: r[0])[len(rounds) // 2]
    bare = best["bare loop"]
    version = sys.version.split()[0]
    print(
        f"SQS batch of 10 messages sent {args.spread_ms} ms apart, best of {args.repeat} x "
        f"{args.number}, Python {version}"
        + (f", median of {args.rounds} rounds" if args.rounds > 1 else "")
    )
    print(f"{'contender':32s} {'us/batch':>9s} {'overhead us':>12s} {'x bare':>7s}")
    for name, value in best.items():
        print(f"{name:32s} {value:9.2f} {value - bare:12.2f} {value / bare:6.2f}x")
    ours = best["faaskit (per-message handler)"] - bare
    theirs = best.get("Powertools BatchProcessor", float("nan")) - bare
    if args.rounds > 1:
        print("ratio per round: " + ", ".join(f"{r:.2f}" for r, _ in rounds))
    print(
        f"faaskit overhead: {ours:.2f} us per batch = {ratio:.2f} of Powertools' "
        f"{theirs:.2f} us (target: at most 0.50)"
    )


if __name__ == "__main__":
    main()
