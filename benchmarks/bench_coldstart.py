"""Cold start as users get it: a built package, unpacked, started under the real Lambda runtime
interface client (``awslambdaric``) against the project's Runtime API emulator
(``faaskit.testing.LambdaRuntime``), from process start to the first response.

Contenders, each as plain sources and precompiled (unchecked-hash pycs, as ``faaskit build``
writes them when the build interpreter is the runtime's version):

- a bare handler returning an API Gateway response by hand;
- the ``package.zip`` that ``faaskit build samples/hello_http/app.py`` writes;
- a Powertools ``APIGatewayHttpResolver`` handler packaged with its distributions.

Each run is a fresh process (``PYTHONDONTWRITEBYTECODE=1``: Lambda cannot write
``__pycache__``), the contenders take turns so that machine noise hits them alike, and the
median of ``--runs`` runs is printed with the overhead over the bare handler in the same mode.
Run: ``python benchmarks/bench_coldstart.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import json
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from faaskit.deploy import Settings, build
from faaskit.deploy._compile import precompile
from faaskit.deploy._package import copy_pure_distribution, requirement_name
from faaskit.testing.aws_http import apigw_v2
from faaskit.testing.lambda_runtime import LambdaRuntime

ROOT = Path(__file__).resolve().parents[1]
HELLO = ROOT / "samples" / "hello_http" / "app.py"
THIS = f"python{sys.version_info.major}.{sys.version_info.minor}"
OTHER = "python3.9" if THIS != "python3.9" else "python3.10"
EVENT = apigw_v2("GET", "/hello/Ada", route="/hello/{name}", path_params={"name": "Ada"})

BARE = """
import json

def handler(event, context):
    name = event["pathParameters"]["name"]
    body = {"message": f"Hello, {name}!", "request_id": context.aws_request_id}
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": json.dumps(body)}
"""
POWERTOOLS = """
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver()

@app.get("/hello/<name>")
def hello(name):
    return {"message": f"Hello, {name}!", "request_id": app.lambda_context.aws_request_id}

def handler(event, context):
    return app.resolve(event, context)
"""


def _with_requirements(name: str, target: Path) -> None:
    """Copy the installed distribution ``name`` and what it requires (not extras)."""
    todo, seen = [name], set()
    while todo:
        wanted = requirement_name(todo.pop())
        if wanted in seen:
            continue
        seen.add(wanted)
        if not copy_pure_distribution(wanted, target):
            raise SystemExit(f"{wanted} is not installed as a pure-Python distribution")
        for line in metadata.distribution(wanted).requires or []:
            if "extra ==" not in line:
                todo.append(line.partition(";")[0])


def _faaskit(root: Path, runtime: str) -> Path:
    build(str(HELLO), target="aws", out=root / "out", settings=Settings(runtime=runtime))
    code = root / "code"
    with zipfile.ZipFile(root / "out" / "aws" / "package.zip") as archive:
        archive.extractall(code)
    return code


def _hand_built(root: Path, source: str, requirement: str | None, compiled: bool) -> Path:
    root.mkdir(parents=True)
    (root / "lambda_function.py").write_text(source, encoding="utf-8")
    if requirement is not None:
        _with_requirements(requirement, root)
    if compiled:
        precompile(root)
    return root


def contenders(scratch: Path) -> dict[str, tuple[Path, str]]:
    """Name -> (task root, handler) of every contender, built into ``scratch``."""
    made: dict[str, tuple[Path, str]] = {}
    for compiled, mode in ((False, "sources"), (True, "precompiled")):
        made[f"bare handler, {mode}"] = (
            _hand_built(scratch / f"bare-{mode}", BARE, None, compiled),
            "lambda_function.handler",
        )
        made[f"faaskit package.zip, {mode}"] = (
            _faaskit(scratch / f"faaskit-{mode}", THIS if compiled else OTHER),
            "app.hello",
        )
        try:
            root = _hand_built(scratch / f"pt-{mode}", POWERTOOLS, "aws-lambda-powertools",
                               compiled)  # fmt: skip
        except metadata.PackageNotFoundError:
            continue
        made[f"Powertools APIGatewayHttpResolver, {mode}"] = (root, "lambda_function.handler")
    return made


def cold_start(task_root: Path, handler: str) -> float:
    """Milliseconds from starting a fresh runtime client to its first response."""
    runtime = LambdaRuntime(handler, task_root=task_root, env={"PYTHONDONTWRITEBYTECODE": "1"})
    start = time.perf_counter()
    try:
        response: Any = runtime.start().invoke(EVENT, timeout=60)
        elapsed = (time.perf_counter() - start) * 1e3
    finally:
        runtime.close()
    if response.get("statusCode") != 200 or "Hello, Ada!" not in response.get("body", ""):
        raise SystemExit(f"{handler} in {task_root} answered {json.dumps(response)[:200]}")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    """Build the contenders, time ``--runs`` cold starts of each, print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="cold starts per contender")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="faaskit-coldstart-") as scratch:
        made = contenders(Path(scratch))
        times: dict[str, list[float]] = {name: [] for name in made}
        for root, handler in made.values():  # warm the disk cache and check each
            cold_start(root, handler)
        for _ in range(args.runs):
            for name, (root, handler) in made.items():
                times[name].append(cold_start(root, handler))
    median = {name: statistics.median(values) for name, values in times.items()}
    width = max(map(len, made))
    print(f"cold start, process start to first response; median of {args.runs} "
          f"(Python {sys.version.split()[0]})")  # fmt: skip
    print(f"{'contender':{width}s}  {'median ms':>9s}  {'over bare':>9s}  {'x bare':>6s}")
    for name in made:
        mode = name.rpartition(", ")[2]
        bare = median[f"bare handler, {mode}"]
        print(f"{name:{width}s}  {median[name]:9.1f}  {median[name] - bare:+9.1f}  "
              f"{median[name] / bare:6.2f}")  # fmt: skip
    for mode in ("sources", "precompiled"):
        ours, peer = f"faaskit package.zip, {mode}", f"Powertools APIGatewayHttpResolver, {mode}"
        bare = median[f"bare handler, {mode}"]
        if peer in median and median[peer] > bare:
            ratio = (median[ours] - bare) / (median[peer] - bare)
            print(f"{mode}: faaskit overhead / Powertools overhead = {ratio:.2f}")


if __name__ == "__main__":
    main()
