"""Three custom metrics added and flushed as CloudWatch EMF: faaskit's ``ctx.metrics`` vs
Powertools' ``Metrics``, in the same run.

One iteration is one invocation's worth: add three Count metrics (same dimension set), then
flush one EMF document to stdout (``os.devnull`` for both). faaskit flushes through its
end-of-invocation hook (``faaskit._finish.finish``), as the adapters do. Run:
``python benchmarks/bench_metrics.py [--number N] [--repeat R]``; prints microseconds per
invocation (best of R repeats of N) and faaskit's time as a ratio of Powertools'.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "adapters"), str(ROOT / "benchmarks")]

from _compare import best_of_silent  # noqa: E402
from _events import lambda_environment  # noqa: E402


def faaskit_call() -> Callable[[], None]:
    from faaskit import Context
    from faaskit._finish import finish

    # The invocation's context exists whether or not it measures anything; each flush ends
    # that invocation's metrics, and the next add starts a new set.
    ctx = Context(request_id="req-1", function_name="orders", platform="aws")

    def call() -> None:
        metrics = ctx.metrics
        metrics.add("OrdersPlaced", 1, service="orders")
        metrics.add("ItemsSold", 3, service="orders")
        metrics.add("Coupons", 1, service="orders")
        finish(ctx)

    return call


def powertools_call() -> Callable[[], None]:
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.metrics import MetricUnit

    metrics = Metrics(namespace="Shop", service="orders")

    def call() -> None:
        metrics.add_metric(name="OrdersPlaced", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="ItemsSold", unit=MetricUnit.Count, value=3)
        metrics.add_metric(name="Coupons", unit=MetricUnit.Count, value=1)
        metrics.flush_metrics()

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=10000, help="invocations per repeat")
    parser.add_argument("--repeat", type=int, default=9, help="repeats (best is kept)")
    args = parser.parse_args()
    lambda_environment()
    os.environ["FAASKIT_METRICS_NAMESPACE"] = "Shop"
    best, skipped = best_of_silent(
        {
            "faaskit ctx.metrics": faaskit_call,
            "Powertools Metrics": powertools_call,
        },
        number=args.number,
        repeat=args.repeat,
    )
    for line in skipped:
        print(line)
    ours = best["faaskit ctx.metrics"]
    print(
        f"3 metrics added + flushed as EMF, best of {args.repeat} x {args.number}, "
        f"Python {sys.version.split()[0]}"
    )
    print(f"{'contender':24s} {'us/invocation':>14s} {'faaskit / this':>15s}")
    for name, value in best.items():
        print(f"{name:24s} {value:14.2f} {ours / value:15.2f}")


if __name__ == "__main__":
    main()
