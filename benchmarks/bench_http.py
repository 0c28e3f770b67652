"""Per-invocation overhead of an HTTP API v2 GET: faaskit vs a bare handler vs peers.

Every contender does the same work: read the path parameter and a query value, answer a JSON
body. Run: ``python benchmarks/bench_http.py [--number N] [--repeat R]``. Prints microseconds
per invocation (best of R repeats of N calls) and overhead over the bare handler, with ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "adapters"), str(ROOT / "benchmarks")]

from _compare import best_of, make_handlers  # noqa: E402
from _events import LambdaContext, http_api_v2_get, lambda_environment  # noqa: E402


def bare_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    item_id = event["pathParameters"]["item_id"]
    q = (event.get("queryStringParameters") or {}).get("q")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"id": item_id, "q": q}),
        "isBase64Encoded": False,
    }


def faaskit_handler() -> Any:
    import faaskit

    @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
    def get_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
        return {"id": req.path_params["item_id"], "q": req.query.get("q")}

    return get_item


def powertools_handler() -> Any:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    app = APIGatewayHttpResolver()

    @app.get("/items/<item_id>")
    def get_item(item_id: str) -> dict[str, Any]:
        return {"id": item_id, "q": app.current_event.get_query_string_value("q")}

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app.resolve(event, context)

    return handler


def mangum_handler() -> Any:
    from mangum import Mangum

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        from urllib.parse import parse_qs

        item_id = scope["path"].rsplit("/", 1)[-1]
        q = parse_qs(scope["query_string"].decode()).get("q", [None])[0]
        body = json.dumps({"id": item_id, "q": q}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return Mangum(app, lifespan="off")


def check(handler: Any) -> None:
    out = handler(http_api_v2_get(), LambdaContext())
    assert out["statusCode"] == 200 and json.loads(out["body"])["id"] == "42", out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=20000, help="calls per repeat")
    parser.add_argument("--repeat", type=int, default=9, help="repeats (best is kept)")
    args = parser.parse_args()
    lambda_environment()
    contenders = {
        "bare handler": lambda: bare_handler,
        "faaskit": faaskit_handler,
        "Powertools APIGatewayHttpResolver": powertools_handler,
        "Mangum (raw ASGI app)": mangum_handler,
    }
    handlers = make_handlers(contenders, check, 36)
    event, context = http_api_v2_get(), LambdaContext()
    best = best_of(handlers, event, context, number=args.number, repeat=args.repeat)
    bare = best["bare handler"]
    ours = best["faaskit"] - bare
    version = sys.version.split()[0]
    print(f"HTTP API v2 GET, best of {args.repeat} x {args.number} calls, Python {version}")
    print(f"{'contender':36s} {'us/call':>9s} {'overhead us':>12s} {'overhead ratio':>15s}")
    for name, value in best.items():
        overhead = value - bare
        ratio = f"{overhead / ours:.1f}x" if name != "bare handler" and ours > 0 else "-"
        print(f"{name:36s} {value:9.2f} {overhead:12.2f} {ratio:>15s}")
    print(
        f"faaskit overhead over bare: {ours:.2f} us per invocation "
        f"({best['faaskit'] / bare:.2f}x the bare handler's time)"
    )


if __name__ == "__main__":
    main()
