"""What the platform enforces in front of a route, enforced by ``faaskit serve`` too.

- CORS (API Gateway HTTP API CORS configuration, Azure Functions platform CORS): a preflight
  (``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``) to a route declaring
  ``cors`` is answered 204 by the platform, without calling a handler; responses to allowed
  origins carry ``Access-Control-Allow-Origin``.
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
- Throttling (API Gateway token bucket: ``burst`` requests at once, refilled at ``rate`` per
  second): past it, 429 ``{"message": "Too Many Requests"}``.
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
- Auth: ``jwt`` (and ``iam``) routes need ``Authorization: Bearer`` with a token that the local
  key signed for the route's issuer and audience, else 401 ``{"message": "Unauthorized"}`` as
  the JWT authorizer answers; ``api_key``/``function`` routes need a local key in
  ``x-api-key`` (AWS) or ``x-functions-key`` / ``?code=`` (Azure), else 403 (AWS) or 401
  (Azure) before any handler runs.
- Payload size: API Gateway takes request bodies up to 10 MB, Azure Functions up to 100 MB;
  a larger one is a 413 ``{"message": "Request Entity Too Large"}``.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

import attrs

from faaskit.adapter import Http
from faaskit.devserver.keys import LocalKeys
from faaskit.exceptions import UnauthorizedError

__all__ = ["Admission", "Gate", "Refusal"]

Pairs = Sequence[tuple[str, str]]

MAX_BODY = {"aws": 10 * 1024 * 1024, "azure": 100 * 1024 * 1024}
"""The largest request body each platform's front end passes on, in bytes."""


@attrs.frozen(kw_only=True)
class Refusal:
    """The platform's own answer: the handler does not run."""

    status: int
    headers: Pairs
    body: bytes


@attrs.frozen(kw_only=True)
class Admission:
    """A request let through: the verified token claims (None without token auth) and the
    headers the platform adds to the response.
    """

    claims: Mapping[str, Any] | None = None
    mode: str = "none"
    response_headers: Pairs = ()


def _refusal(status: int, message: str, headers: Pairs = ()) -> Refusal:
    body = json.dumps({"message": message}).encode()
    return Refusal(
        status=status, headers=[("Content-Type", "application/json"), *headers], body=body
    )


def _header(headers: Pairs, name: str) -> str | None:
    return next((v for n, v in headers if n.lower() == name), None)


def _listed(spec: Mapping[str, Any], key: str, default: list[str]) -> list[str]:
    value = spec.get(key, default)
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _cors_spec(trigger: Http) -> Mapping[str, Any] | None:
    if not trigger.cors:
        return None
    return trigger.cors if isinstance(trigger.cors, Mapping) else {}


def _allowed_origin(spec: Mapping[str, Any], origin: str) -> str | None:
    origins = _listed(spec, "origins", ["*"])
    if origin in origins:
        return origin
    if "*" in origins:
        return origin if spec.get("credentials") else "*"
    return None


class _Bucket:
    """A token bucket: ``capacity`` requests at once, refilled at ``rate`` per second."""

    def __init__(self, capacity: float, rate: float, clock: Callable[[], float]) -> None:
        self.capacity, self.rate, self.clock = capacity, rate, clock
        self.tokens, self.at = capacity, clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Gate:
    """The checks for one dev server: ``platform`` decides the key headers and statuses."""

    def __init__(
        self, keys: LocalKeys, platform: str, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.keys = keys
        self.platform = platform
        self.clock = clock
        self._buckets: dict[tuple[str, ...], _Bucket] = {}
        self._lock = threading.Lock()

    def preflight(self, routes: Sequence[Http], headers: Pairs) -> Refusal | None:
        """The platform's 204 answer to a CORS preflight for routes declaring ``cors``."""
        origin = _header(headers, "origin")
        wanted = _header(headers, "access-control-request-method")
        specs = [s for s in map(_cors_spec, routes) if s is not None]
        if origin is None or wanted is None or not specs:
            return None
        spec = specs[0]
        allowed = _allowed_origin(spec, origin)
        if allowed is None:
            return Refusal(status=204, headers=[], body=b"")
        methods = _listed(spec, "methods", ["*"])
        out = [
            ("Access-Control-Allow-Origin", allowed),
            ("Access-Control-Allow-Methods", ",".join(methods)),
            ("Access-Control-Allow-Headers", ",".join(_listed(spec, "headers", ["*"]))),
            ("Vary", "Origin"),
        ]
        if spec.get("max_age") is not None:
            out.append(("Access-Control-Max-Age", str(int(spec["max_age"]))))
        if spec.get("credentials"):
            out.append(("Access-Control-Allow-Credentials", "true"))
        return Refusal(status=204, headers=out, body=b"")

    def too_large(self, size: int) -> Refusal | None:
        """The 413 for a request body the platform would not pass on."""
        if size > MAX_BODY.get(self.platform, MAX_BODY["aws"]):
            return _refusal(413, "Request Entity Too Large")
        return None

    def admit(self, trigger: Http, method: str, headers: Pairs, query: str) -> Refusal | Admission:
        """Throttle, then auth: the platform's refusal, or what the handler's request gets."""
        throttled = self._throttled(trigger, method)
        if throttled is not None:
            return throttled
        cors = self._cors_headers(trigger, headers)
        mode, options = _auth(trigger.auth)
        if mode in ("jwt", "iam"):
            return self._bearer(mode, options, headers, cors)
        if mode in ("api_key", "function"):
            return self._key(mode, headers, query, cors)
        return Admission(response_headers=cors)

    def _throttled(self, trigger: Http, method: str) -> Refusal | None:
        limits = trigger.throttle or {}
        rate: Any = limits.get("rate")
        burst: Any = limits.get("burst")
        if rate is None and burst is None:
            return None
        refill = float(rate) if rate is not None else float(burst)
        capacity = float(burst) if burst is not None else float(max(1, math.ceil(refill)))
        key = (method, trigger.route)
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(capacity, refill, self.clock)
            if bucket.take():
                return None
        return _refusal(429, "Too Many Requests")

    def _cors_headers(self, trigger: Http, headers: Pairs) -> Pairs:
        spec = _cors_spec(trigger)
        origin = _header(headers, "origin")
        if spec is None or origin is None:
            return ()
        allowed = _allowed_origin(spec, origin)
        if allowed is None:
            return ()
        out = [("Access-Control-Allow-Origin", allowed), ("Vary", "Origin")]
        if spec.get("credentials"):
            out.append(("Access-Control-Allow-Credentials", "true"))
        return out

    def _bearer(
        self, mode: str, options: Mapping[str, Any], headers: Pairs, cors: Pairs
    ) -> Refusal | Admission:
        value = _header(headers, "authorization") or ""
        scheme, _, token = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _refusal(401, "Unauthorized", [("WWW-Authenticate", "Bearer"), *cors])
        issuer = options.get("issuer", "")
        audience = options.get("audience", [])
        try:
            if mode == "iam":  # locally, a token of the project's key stands for SigV4
                claims = self.keys.verify(token.strip())
            else:
                claims = self.keys.verify(token.strip(), issuer=issuer, audience=audience)
        except UnauthorizedError as exc:
            header = f'Bearer error="invalid_token", error_description="{exc}"'
            return _refusal(401, "Unauthorized", [("WWW-Authenticate", header), *cors])
        return Admission(claims=claims, mode=mode, response_headers=cors)

    def _key(self, mode: str, headers: Pairs, query: str, cors: Pairs) -> Refusal | Admission:
        if self.platform == "azure":
            given = _header(headers, "x-functions-key") or dict(parse_qsl(query)).get("code")
            status = 401
        else:
            given = _header(headers, "x-api-key")
            status = 403
        if given is None or given not in self.keys.api_keys():
            return _refusal(status, "Forbidden" if status == 403 else "Unauthorized", cors)
        return Admission(mode=mode, response_headers=cors)


def _auth(auth: Any) -> tuple[str, Mapping[str, Any]]:
    from faaskit.deploy._validate import auth_mode

    return auth_mode(auth)
