"""Cold-start import cost: faaskit + its AWS adapter + one decorated handler, against peers.

Each contender runs in a fresh interpreter (``python -X frozen_modules=on -c ...``) that times
its own imports and handler definition with ``perf_counter``; that is the cost over a bare
``python -c pass``, without the interpreter's start-up noise. Byte code is compiled first, as
it is in a deployed package. Run: ``python benchmarks/bench_import.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TIMER = "import time as _t; _s = _t.perf_counter()\n{code}\nprint((_t.perf_counter() - _s) * 1e3)"

CONTENDERS = {
    "faaskit (core + AWS adapter + handler)": """
import faaskit
import faaskit_aws.adapter

@faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
def get_item(req, ctx):
    return {"id": req.path_params["item_id"]}
""",
    "faaskit + first invocation": """
import faaskit

@faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
def get_item(req, ctx):
    return {"id": req.path_params["item_id"]}

get_item({"version": "2.0", "routeKey": "GET /items/{item_id}", "rawPath": "/items/1",
          "requestContext": {"http": {"method": "GET"}, "requestId": "r", "stage": "$default"},
          "pathParameters": {"item_id": "1"}}, None)
""",
    "Powertools APIGatewayHttpResolver": """
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
app = APIGatewayHttpResolver()

@app.get("/items/<item_id>")
def get_item(item_id):
    return {"id": item_id}
""",
    "Mangum": """
from mangum import Mangum

async def app(scope, receive, send):
    pass

handler = Mangum(app, lifespan="off")
""",
    "import attrs (faaskit's floor)": """
import attrs
""",
    "Chalice": """
from chalice import Chalice
app = Chalice(app_name="bench")

@app.route("/items/{item_id}")
def get_item(item_id):
    return {"id": item_id}
""",
}


def run_once(code: str) -> float | None:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "adapters")])
    proc = subprocess.run(
        [sys.executable, "-c", TIMER.format(code=code)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        return None
    return float(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21, help="fresh interpreters per contender")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "faaskit", quiet=1)
    compileall.compile_dir(ROOT / "adapters", quiet=1)
    samples: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    failed: set[str] = set()
    for _ in range(args.runs):  # interleaved, so machine noise hits all contenders alike
        for name, code in CONTENDERS.items():
            if name in failed:
                continue
            value = run_once(code)
            if value is None:
                failed.add(name)
            else:
                samples[name].append(value)
    ours = statistics.median(samples["faaskit (core + AWS adapter + handler)"])
    print(f"Import cost over a bare interpreter, median of {args.runs} fresh processes")
    print(f"{'contender':42s} {'ms':>8s} {'vs faaskit':>11s}")
    for name, values in samples.items():
        if name in failed or not values:
            print(f"{name:42s} {'n/a':>8s}   (not installed)")
            continue
        median = statistics.median(values)
        print(f"{name:42s} {median:8.1f} {median / ours:10.2f}x")


if __name__ == "__main__":
    main()
