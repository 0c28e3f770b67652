"""One structured log call with two extra fields: faaskit's ``ctx.log.info`` vs Powertools'
``Logger.info`` vs stdlib logging with a JSON formatter, in the same run.

Every contender writes one JSON line per call to the same sink (``os.devnull``, flushed per
record as a stream handler does), configured as on Lambda (faaskit: ``AWS_LAMBDA_RUNTIME_API``
set, so its records go to stdout and stop there). Run:
``python benchmarks/bench_logging.py [--number N] [--repeat R]``; prints microseconds per call
(best of R repeats of N calls) and faaskit's time as a ratio of each peer's.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "adapters"), str(ROOT / "benchmarks")]

from _compare import best_of_silent  # noqa: E402
from _events import lambda_environment  # noqa: E402

EXTRA = {"order_id": "o-1001", "amount": 12.5}


def faaskit_call() -> Callable[[], None]:
    from faaskit import Context

    ctx = Context(request_id="req-1", function_name="orders", platform="aws", cold_start=False)

    def call() -> None:
        ctx.log.info("order placed", extra=EXTRA)

    return call


def powertools_call() -> Callable[[], None]:
    from aws_lambda_powertools import Logger

    logger = Logger(service="orders", stream=sys.stdout)
    logger.append_keys(request_id="req-1", function_name="orders", cold_start=False)

    def call() -> None:
        logger.info("order placed", extra=EXTRA)

    return call


def stdlib_call() -> Callable[[], None]:
    class Json(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return json.dumps(
                {
                    "timestamp": self.formatTime(record),
                    "level": record.levelname,
                    "message": record.getMessage(),
                    "logger": record.name,
                    "order_id": getattr(record, "order_id", None),
                    "amount": getattr(record, "amount", None),
                }
            )

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(Json())
    logger = logging.getLogger("bench.stdlib")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False

    def call() -> None:
        logger.info("order placed", extra=EXTRA)

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=20000, help="calls per repeat")
    parser.add_argument("--repeat", type=int, default=9, help="repeats (best is kept)")
    args = parser.parse_args()
    lambda_environment()
    os.environ.setdefault("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
    best, skipped = best_of_silent(
        {
            "faaskit ctx.log.info": faaskit_call,
            "Powertools Logger.info": powertools_call,
            "stdlib logging + JSON formatter": stdlib_call,
        },
        number=args.number,
        repeat=args.repeat,
    )
    for line in skipped:
        print(line)
    ours = best["faaskit ctx.log.info"]
    print(
        f"log call with two extra fields, best of {args.repeat} x {args.number} calls, "
        f"Python {sys.version.split()[0]}"
    )
    print(f"{'contender':34s} {'us/call':>9s} {'faaskit / this':>15s}")
    for name, value in best.items():
        print(f"{name:34s} {value:9.2f} {ours / value:15.2f}")


if __name__ == "__main__":
    main()
