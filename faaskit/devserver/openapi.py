"""An OpenAPI 3.1 document of an app's HTTP routes: methods, path parameters, request body
schemas (``faaskit.http(..., body=Schema)``) and the declared auth as security schemes.
Written by ``faaskit openapi APP`` and served by ``faaskit serve`` at ``/openapi.json``
(https://spec.openapis.org/oas/v3.1.0).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from faaskit.adapter import Http
from faaskit.tooling.apps import App

__all__ = ["document", "title_of"]

_ALL = ("get", "put", "post", "delete", "options", "head", "patch")
_GREEDY = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\+\}")


def _scheme(auth: Any, schemes: dict[str, Any]) -> str | None:
    from faaskit.deploy._validate import auth_mode

    mode, options = auth_mode(auth)
    if mode == "none":
        return None
    if mode == "jwt":
        issuer, audience = options["issuer"], options["audience"]
        for name, scheme in schemes.items():
            if scheme.get("x-issuer") == issuer and scheme.get("x-audience") == audience:
                return name
        name = "jwt" if "jwt" not in schemes else f"jwt{len(schemes)}"
        schemes[name] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": f"a JWT from {issuer} for {', '.join(audience)}",
            "x-issuer": issuer,
            "x-audience": audience,
        }
        return name
    made = {
        "iam": {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "AWS Signature Version 4 (IAM)"},
        "api_key": {"type": "apiKey", "in": "header", "name": "x-api-key"},
        "function": {"type": "apiKey", "in": "header", "name": "x-functions-key"},
    }[mode]  # fmt: skip
    schemes.setdefault(mode, made)
    return mode


def _operation(handler: Any, trigger: Http, schemes: dict[str, Any]) -> dict[str, Any]:
    doc = (handler.func.__doc__ or "").strip()
    operation: dict[str, Any] = {"operationId": handler.name}
    if doc:
        operation["summary"] = doc.splitlines()[0]
    if trigger.params:
        operation["parameters"] = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in trigger.params
        ]
    responses: dict[str, Any] = {"200": {"description": "OK"}}
    if trigger.body_schema is not None:
        content = {"application/json": {"schema": trigger.body_schema.json_schema()}}
        operation["requestBody"] = {"required": True, "content": content}
        responses["400"] = {"description": "the body does not fit the schema; every error"}
    scheme = _scheme(trigger.auth, schemes)
    if scheme is not None:
        operation["security"] = [{scheme: []}]
        responses["401"] = {"description": "no valid credentials"}
    operation["responses"] = responses
    return operation


def document(handlers: Iterable[Any], *, title: str, version: str = "1.0.0") -> dict[str, Any]:
    """The OpenAPI 3.1 document of the HTTP handlers among ``handlers``."""
    paths: dict[str, dict[str, Any]] = {}
    schemes: dict[str, Any] = {}
    for handler in handlers:
        trigger = getattr(handler, "trigger", None)
        if not isinstance(trigger, Http):
            continue
        path = _GREEDY.sub(r"{\1}", trigger.route)
        methods = _ALL if trigger.methods[0] == "ANY" else [m.lower() for m in trigger.methods]
        for method in methods:
            paths.setdefault(path, {})[method] = _operation(handler, trigger, schemes)
    out: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": dict(sorted(paths.items())),
    }
    if schemes:
        out["components"] = {"securitySchemes": schemes}
    return out


def title_of(app: App) -> str:
    """The app's name: ``[app] name`` of its ``faaskit.toml``, else its module's name."""
    from faaskit.deploy._config import load_config

    if app.source is None:
        return app.name
    return load_config(app.folder).name or app.name
