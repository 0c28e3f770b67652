"""The smallest faaskit project: one HTTP route, the same handler body on AWS and Azure."""

from __future__ import annotations

import faaskit


@faaskit.handler(faaskit.http("GET", "/hello/{name}"))
def hello(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, str]:
    """Greet ``name``; ``?greeting=`` changes the word."""
    greeting = req.query.get("greeting") or "Hello"
    return {"message": f"{greeting}, {req.path_params['name']}!", "platform": ctx.platform}
