"""A cookie to set on an HTTP response."""

from __future__ import annotations

import datetime as _dt

import attrs

__all__ = ["Cookie"]


@attrs.frozen(kw_only=True)
class Cookie:
    """A cookie to set, with its attributes; renders itself as a ``Set-Cookie`` value."""

    value: str
    path: str | None = None
    domain: str | None = None
    expires: _dt.datetime | None = None
    max_age: int | None = None
    secure: bool = False
    http_only: bool = False
    same_site: str | None = None

    def header(self, name: str) -> str:
        """The ``Set-Cookie`` header value for this cookie under ``name``."""
        parts = [f"{name}={self.value}"]
        if self.path:
            parts.append(f"Path={self.path}")
        if self.domain:
            parts.append(f"Domain={self.domain}")
        if self.expires is not None:
            expires = self.expires
            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=_dt.timezone.utc)
            else:
                expires = expires.astimezone(_dt.timezone.utc)
            from email.utils import format_datetime

            parts.append(f"Expires={format_datetime(expires, usegmt=True)}")
        if self.max_age is not None:
            parts.append(f"Max-Age={self.max_age}")
        if self.secure:
            parts.append("Secure")
        if self.http_only:
            parts.append("HttpOnly")
        if self.same_site:
            parts.append(f"SameSite={self.same_site}")
        return "; ".join(parts)
