"""The smallest portable HTTP API: one handler body, deployed unchanged to AWS and Azure."""

from __future__ import annotations

import faaskit


@faaskit.handler(faaskit.http("GET", "/hello/{name}"))
def hello(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, object]:
    """Greet ``name``, in the language asked for with ``?lang=``."""
    greeting = {"en": "Hello", "fr": "Bonjour", "de": "Hallo"}.get(req.query.get("lang", "en"))
    if greeting is None:
        raise faaskit.BadRequestError(f"unknown language {req.query.get('lang')!r}")
    return {
        "message": f"{greeting}, {req.path_params['name']}!",
        "platform": ctx.platform,
        "request_id": ctx.request_id,
    }
