"""The local credentials ``faaskit serve`` trusts: a per-project signing key for JWTs (minted
by ``faaskit token``) and local API keys, kept under ``<data>/auth/`` (``.faaskit/local/auth``).

Tokens are compact JWS, HS256 (RFC 7519, RFC 7515), so they travel as ``Authorization:
Bearer ...`` exactly as a real identity provider's would; the dev server checks the signature,
``exp``/``nbf`` and the route's declared ``iss`` and ``aud`` as an API Gateway JWT authorizer
does. They are valid only against this project's dev server: nothing else knows the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from faaskit.exceptions import ConfigurationError, UnauthorizedError

__all__ = ["LocalKeys", "declared_issuer"]

_HEADER = {"alg": "HS256", "typ": "JWT"}
_LEEWAY = 30


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _secret_file(path: Path, make: str) -> str:
    """The text of ``path``, written with ``make`` (owner-only) when it does not exist."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(make + "\n")
    return make


class LocalKeys:
    """The signing key and API keys of one project's data folder (made on first use)."""

    def __init__(self, data: str | Path) -> None:
        self.folder = Path(data).resolve() / "auth"

    def _signing_key(self) -> bytes:
        return _secret_file(self.folder / "jwt-signing.key", secrets.token_hex(32)).encode()

    def api_keys(self) -> tuple[str, ...]:
        """The API keys (also Azure function keys) the dev server accepts, one per line of
        ``auth/api-keys``; one is made on first use, and more may be added by hand.
        """
        text = _secret_file(self.folder / "api-keys", f"local-{secrets.token_urlsafe(24)}")
        return tuple(line.strip() for line in text.splitlines() if line.strip())

    def mint(
        self,
        sub: str,
        *,
        issuer: str,
        audience: str | Sequence[str],
        claims: Mapping[str, Any] | None = None,
        expires_in: int = 3600,
    ) -> str:
        """A signed token for ``sub`` from ``issuer`` to ``audience``, valid ``expires_in`` s."""
        if not sub:
            raise ConfigurationError("a token needs a subject (--sub NAME)")
        now = int(time.time())
        aud: Any = audience if isinstance(audience, str) else list(audience)
        payload = {**(claims or {}), "sub": sub, "iss": issuer, "aud": aud, "iat": now}
        payload["exp"] = now + expires_in
        head = _b64(json.dumps(_HEADER, separators=(",", ":")).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        signature = hmac.new(self._signing_key(), f"{head}.{body}".encode(), hashlib.sha256)
        return f"{head}.{body}.{_b64(signature.digest())}"

    def verify(
        self, token: str, *, issuer: str | None = None, audience: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """The claims of ``token`` when its signature, lifetime, issuer and audience hold
        (``None`` skips that check); otherwise :class:`UnauthorizedError` saying which failed.
        """
        parts = token.split(".")
        if len(parts) != 3:
            raise UnauthorizedError("the bearer token is not a JWT")
        try:
            header = json.loads(_unb64(parts[0]))
            claims = json.loads(_unb64(parts[1]))
            signature = _unb64(parts[2])
        except ValueError:
            raise UnauthorizedError("the bearer token is not a JWT") from None
        if not isinstance(header, dict) or header.get("alg") != "HS256":
            raise UnauthorizedError("the bearer token is not signed by the local key (HS256)")
        expected = hmac.new(self._signing_key(), f"{parts[0]}.{parts[1]}".encode(), "sha256")
        if not hmac.compare_digest(expected.digest(), signature) or not isinstance(claims, dict):
            raise UnauthorizedError("the bearer token's signature does not match the local key")
        now = time.time()
        if not isinstance(claims.get("exp"), int | float) or claims["exp"] + _LEEWAY < now:
            raise UnauthorizedError("the bearer token has expired")
        if isinstance(claims.get("nbf"), int | float) and claims["nbf"] - _LEEWAY > now:
            raise UnauthorizedError("the bearer token is not valid yet")
        if issuer is not None and claims.get("iss") != issuer:
            raise UnauthorizedError(
                f"the bearer token's issuer {claims.get('iss')!r} is not {issuer!r}"
            )
        if audience is None:
            return claims
        aud = claims.get("aud")
        given = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        if not set(given) & set(audience):
            raise UnauthorizedError(
                f"the bearer token's audience {aud!r} is none of {list(audience)!r}"
            )
        return claims


def declared_issuer(triggers: Sequence[Any]) -> tuple[str, list[str]]:
    """The one JWT issuer the HTTP ``triggers`` declare and every audience declared with it;
    none, or several issuers, is a :class:`ConfigurationError` asking for ``--issuer``.
    """
    from faaskit.deploy._validate import auth_mode

    found: dict[str, list[str]] = {}
    for trigger in triggers:
        mode, options = auth_mode(getattr(trigger, "auth", None))
        if mode == "jwt":
            audiences = found.setdefault(options["issuer"], [])
            audiences.extend(a for a in options["audience"] if a not in audiences)
    if len(found) != 1:
        issuers = ", ".join(sorted(found)) or "none"
        raise ConfigurationError(
            f"the app declares {len(found)} JWT issuers ({issuers}); name one with --issuer "
            "and --audience"
        )
    [(issuer, audiences)] = found.items()
    return issuer, audiences
