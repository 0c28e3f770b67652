"""The caller identity and address the Azure platform vouches for on an HTTP request.

Principal: App Service Authentication ("Easy Auth") validates the caller in front of the
function and passes it on in ``X-MS-CLIENT-PRINCIPAL`` (base64 JSON with ``auth_typ``,
``claims`` [{typ, val}], ``name_typ``, ``role_typ``) and ``X-MS-CLIENT-PRINCIPAL-ID``,
``-NAME``, ``-IDP``. When it is on, the platform removes any copy a client sent; when it is
off, those headers are whatever the client wrote. So they are read only when the app setting
``WEBSITE_AUTH_ENABLED`` is true, parsed as the Functions host parses it (.NET
``bool.TryParse``: ``true`` in any case, surrounding blanks ignored), or when
``FAASKIT_TRUST_PRINCIPAL_HEADERS=1`` says a trusted proxy in front strips and sets them.
https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities
https://learn.microsoft.com/azure/app-service/reference-app-settings (``WEBSITE_AUTH_ENABLED``)

Client address: the App Service front end writes ``client-ip`` (``address:port``, IPv6 in
brackets) and appends the peer it saw to ``X-Forwarded-For``; the leftmost entries of that
header are the client's own text and never decide the address.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from typing import Any

from faaskit import Principal
from faaskit.adapter import loads
from faaskit.exceptions import BadRequestError

__all__ = ["PRINCIPAL_HEADERS", "client_ip", "principal", "trusted_principal", "vouched"]

_PRINCIPAL = "x-ms-client-principal"
PRINCIPAL_HEADERS = (_PRINCIPAL, f"{_PRINCIPAL}-id", f"{_PRINCIPAL}-name", f"{_PRINCIPAL}-idp")
"""The Easy Auth request headers, lower-case."""

AUTH_ENABLED = "WEBSITE_AUTH_ENABLED"
OPT_IN = "FAASKIT_TRUST_PRINCIPAL_HEADERS"

_ID_CLAIMS = (
    "http://schemas.microsoft.com/identity/claims/objectidentifier",
    "oid",
    "sub",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
)

_warned = False


def vouched(environ: Mapping[str, str] = os.environ) -> bool:
    """True when the principal headers come from the platform or a trusted proxy."""
    enabled = environ.get(AUTH_ENABLED)
    if enabled is not None and enabled.strip(" \t\r\n\f\v\0").lower() == "true":
        return True
    opt_in = environ.get(OPT_IN)
    return opt_in is not None and opt_in.strip().lower() in ("1", "true")


def _warn_once() -> None:
    global _warned
    if _warned:
        return
    _warned = True
    import logging

    logging.getLogger("faaskit.azure").warning(
        "X-MS-CLIENT-PRINCIPAL headers ignored: App Service Authentication is off "
        "(%s is not true), so a client may have written them; req.principal is None. "
        "Behind a proxy that strips and sets them, set %s=1.",
        AUTH_ENABLED,
        OPT_IN,
    )


def trusted_principal(headers: Mapping[str, str]) -> Principal | None:
    """The Easy Auth caller when the platform vouches for the headers, else None (a warning
    is logged once per process when such headers arrive unvouched).
    """
    if not any(name in headers for name in PRINCIPAL_HEADERS):
        return None
    if not vouched():
        _warn_once()
        return None
    return principal(headers)


def _claims(token: Mapping[str, Any]) -> dict[str, Any]:
    listed = token.get("claims") or ()
    if not isinstance(listed, list | tuple):
        raise BadRequestError(f"{_PRINCIPAL} header 'claims' is not a list")
    claims: dict[str, Any] = {}
    repeated: set[str] = set()
    for claim in listed:
        if not isinstance(claim, Mapping) or "typ" not in claim:
            continue
        name, value = str(claim["typ"]), claim.get("val")
        if name not in claims:
            claims[name] = value
        elif name in repeated:
            claims[name].append(value)
        else:
            claims[name] = [claims[name], value]
            repeated.add(name)
    return claims


def principal(headers: Mapping[str, str]) -> Principal | None:
    """The Easy Auth caller the headers describe, or None when they name nobody.

    This parses without asking whether the headers can be trusted: request decoding goes
    through :func:`trusted_principal`. A malformed ``X-MS-CLIENT-PRINCIPAL`` is a 400.
    """
    encoded = headers.get(_PRINCIPAL)
    principal_id = headers.get(f"{_PRINCIPAL}-id")
    if not encoded and not principal_id:
        return None
    claims: dict[str, Any] = {}
    if encoded:
        try:
            token = loads(base64.b64decode(encoded + "=" * (-len(encoded) % 4)))
        except (binascii.Error, ValueError, RecursionError) as exc:
            raise BadRequestError(f"{_PRINCIPAL} header is not base64-encoded JSON") from exc
        if not isinstance(token, Mapping):
            raise BadRequestError(f"{_PRINCIPAL} header does not hold a JSON object")
        claims = _claims(token)
        if principal_id is None:
            principal_id = next(
                (str(claims[c]) for c in _ID_CLAIMS if claims.get(c) not in (None, "")), None
            )
    else:
        name, idp = headers.get(f"{_PRINCIPAL}-name"), headers.get(f"{_PRINCIPAL}-idp")
        claims = {k: v for k, v in (("name", name), ("idp", idp)) if v}
    return Principal(id=principal_id, claims=claims, provider="azure-app-service")


def _address(entry: str) -> str | None:
    """The address in one ``client-ip`` / ``X-Forwarded-For`` entry, without its port."""
    entry = entry.strip()
    if entry.startswith("["):  # [IPv6] or [IPv6]:port
        end = entry.find("]")
        return entry[1:end] or None if end > 0 else None
    if entry.count(":") == 1:  # IPv4:port
        entry = entry.partition(":")[0]
    return entry or None


def client_ip(headers: Mapping[str, str]) -> str | None:
    """The client address the platform wrote: ``client-ip``, else the last hop of
    ``X-Forwarded-For`` (the one the front end appended).
    """
    written = headers.get("client-ip")
    if written and written.strip():
        return _address(written)
    forwarded = headers.get("x-forwarded-for")
    if not forwarded:
        return None
    return _address(forwarded.rpartition(",")[2])
