"""The caller identity an HTTP request carries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Principal"]


@attrs.frozen(kw_only=True)
class Principal:
    """Who made the request, as the platform's authentication established it.

    ``provider`` says how: ``"jwt"`` (Cognito or any JWT authorizer), ``"lambda"`` (a Lambda
    authorizer's context), ``"iam"`` (SigV4), ``"api-key"``, ``"azure-app-service"``
    (Easy Auth), ... ``claims`` holds the token claims or authorizer context as given.
    """

    id: str | None
    claims: Mapping[str, Any] = attrs.field(factory=dict)
    provider: str = "unknown"
