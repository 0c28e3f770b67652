"""The caller identity an HTTP request carries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from faaskit._types import JSON

__all__ = ["Principal"]


@attrs.frozen(kw_only=True)
class Principal:
    """Who made the request, as the platform's authentication established it.

    ``provider`` says how: ``"cognito"`` (a REST API Cognito user-pool authorizer), ``"jwt"``
    (an HTTP API JWT authorizer), ``"lambda"`` (a Lambda authorizer's context), ``"iam"``
    (SigV4), ``"api-key"`` (a REST API key), ``"azure-app-service"`` (Easy Auth), ...
    ``claims`` holds the token claims or authorizer context as given; ``id`` is the stable
    subject (``sub``, the authorizer's ``principalId``, the IAM user ARN, ...).
    """

    id: str | None
    claims: Mapping[str, JSON] = attrs.field(factory=dict)
    provider: str = "unknown"
