"""The caller facts the platform writes into a request, written by ``faaskit serve`` the same
way: the client address it saw, and the principal of a token it verified. Whatever the client
sent under those names is dropped first, as the platform does.

- AWS (HTTP API payload 2.0): ``requestContext.http.sourceIp`` and
  ``requestContext.authorizer.jwt`` (``claims``, ``scopes``) or ``.iam``.
- Azure: ``client-ip`` (``address:port``) and ``X-Forwarded-For`` from the front end, and the
  App Service Authentication headers ``X-MS-CLIENT-PRINCIPAL`` (base64 JSON), ``-ID``,
  ``-NAME``, ``-IDP``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["PLATFORM_HEADERS", "aws_identity", "azure_headers"]

PLATFORM_HEADERS = frozenset(
    {
        "client-ip",
        "x-ms-client-principal",
        "x-ms-client-principal-id",
        "x-ms-client-principal-name",
        "x-ms-client-principal-idp",
    }
)
"""Request headers only the Azure front end may write."""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def aws_identity(
    event: dict[str, Any], claims: Mapping[str, Any] | None, mode: str, client: str | None
) -> None:
    """Write the caller's address and verified principal into a payload 2.0 ``event``."""
    context = event.setdefault("requestContext", {})
    if client:
        context.setdefault("http", {})["sourceIp"] = client
    context.pop("authorizer", None)
    if claims is None:
        return
    if mode == "iam":
        sub = str(claims.get("sub", ""))
        context["authorizer"] = {
            "iam": {
                "accountId": "000000000000",
                "userArn": f"arn:aws:iam::000000000000:user/{sub}",
                "userId": sub,
                "callerId": sub,
            }
        }
        return
    scopes = str(claims.get("scope", "")).split() or None
    jwt = {"claims": {k: _text(v) for k, v in claims.items()}, "scopes": scopes}
    context["authorizer"] = {"jwt": jwt}


def azure_headers(
    headers: Sequence[tuple[str, str]],
    claims: Mapping[str, Any] | None,
    client: str | None,
    port: int | None,
) -> list[tuple[str, str]]:
    """The request headers as the Azure front end forwards them."""
    out = [(n, v) for n, v in headers if n.lower() not in PLATFORM_HEADERS]
    if client:
        out.append(
            ("client-ip", f"[{client}]:{port or 0}" if ":" in client else f"{client}:{port or 0}")
        )
        forwarded = [v for n, v in out if n.lower() == "x-forwarded-for"]
        out = [(n, v) for n, v in out if n.lower() != "x-forwarded-for"]
        out.append(("x-forwarded-for", ", ".join([*forwarded, client])))
    if claims is not None:
        sub = str(claims.get("sub", ""))
        listed = [{"typ": k, "val": _text(v)} for k, v in claims.items()]
        document = {"auth_typ": "aad", "claims": listed, "name_typ": "sub", "role_typ": "roles"}
        encoded = base64.b64encode(json.dumps(document).encode()).decode("ascii")
        out += [
            ("x-ms-client-principal", encoded),
            ("x-ms-client-principal-id", sub),
            ("x-ms-client-principal-name", str(claims.get("name", sub))),
            ("x-ms-client-principal-idp", "aad"),
        ]
    return out
