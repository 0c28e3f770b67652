"""Who called: API Gateway authorizer output and IAM identity, as a portable ``Principal``.

- REST API (v1): ``requestContext.authorizer`` holds a Cognito user-pool authorizer's
  ``claims`` (and ``scopes``), or a Lambda authorizer's ``principalId`` plus its context;
  ``requestContext.identity`` holds the SigV4 (IAM) caller and the API key id:
  https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
- HTTP API (v2): ``requestContext.authorizer.jwt`` (``claims``, ``scopes``), ``.lambda``
  (the authorizer's context) or ``.iam``:
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
- Function URLs with ``AWS_IAM`` auth: ``requestContext.authorizer.iam``:
  https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html

ALB OIDC headers (``x-amzn-oidc-*``) are not read: they are trustworthy only after the
signature of ``x-amzn-oidc-data`` is verified against the regional ALB key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit import Principal
from faaskit.adapter import shown

__all__ = ["principal"]

# The caller facts in a REST API ``identity`` block (sourceIp, userAgent, ... are not identity).
_IAM_IDENTITY = (
    "accountId",
    "caller",
    "user",
    "userArn",
    "accessKey",
    "principalOrgId",
    "cognitoIdentityId",
    "cognitoIdentityPoolId",
    "cognitoAuthenticationType",
    "cognitoAuthenticationProvider",
)
# Keys API Gateway adds to a Lambda authorizer's context that are not the authorizer's own.
_NOT_CONTEXT = frozenset({"principalId", "integrationLatency"})


def principal(authorizer: Any, identity: Any) -> Principal | None:
    """The caller of a v1/v2 request: authorizer output first, then the IAM identity."""
    if isinstance(authorizer, Mapping) and authorizer:
        found = _from_authorizer(authorizer)
        if found is not None:
            return found
    if isinstance(identity, Mapping):
        return _from_identity(identity)
    return None


def _present(data: Any) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        return {}
    return {str(k): v for k, v in data.items() if v is not None}


def _scopes(value: Any) -> list[Any] | None:
    return list(value) if isinstance(value, list) and value else None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if value is None or isinstance(value, int | float):
        return None if value is None else str(value)
    return shown(value)  # not an id the platform writes: shortened, never too deep


def _subject(claims: Mapping[str, Any]) -> str | None:
    for name in ("sub", "cognito:username", "username", "client_id"):
        value = _text(claims.get(name))
        if value is not None:
            return value
    return None


def _from_authorizer(auth: Mapping[str, Any]) -> Principal | None:
    jwt = auth.get("jwt")
    if isinstance(jwt, Mapping):
        claims = _present(jwt.get("claims"))
        scopes = _scopes(jwt.get("scopes"))
        if scopes:
            claims.setdefault("scopes", scopes)
        return Principal(id=_subject(claims), claims=claims, provider="jwt")
    if isinstance(auth.get("claims"), Mapping):
        claims = _present(auth["claims"])
        scopes = _scopes(auth.get("scopes"))
        if scopes:
            claims.setdefault("scopes", scopes)
        return Principal(id=_subject(claims), claims=claims, provider="cognito")
    iam = auth.get("iam")
    if isinstance(iam, Mapping):
        user = iam.get("userArn") or iam.get("userId") or iam.get("callerId")
        return Principal(id=_text(user), claims=_present(iam), provider="iam")
    lam = auth.get("lambda")
    source = lam if isinstance(lam, Mapping) else auth
    context = {k: v for k, v in _present(source).items() if k not in _NOT_CONTEXT}
    if not isinstance(lam, Mapping):
        # v1 puts the context beside placeholders such as "claims": null, dropped above.
        context.pop("claims", None)
        context.pop("scopes", None)
    principal_id = _text(source.get("principalId") or auth.get("principalId"))
    if principal_id is None and not context:
        return None
    return Principal(id=principal_id, claims=context, provider="lambda")


def _from_identity(identity: Mapping[str, Any]) -> Principal | None:
    user = identity.get("userArn") or identity.get("cognitoIdentityId")
    if user:
        claims = {k: identity[k] for k in _IAM_IDENTITY if identity.get(k) is not None}
        return Principal(id=_text(user), claims=claims, provider="iam")
    key_id = identity.get("apiKeyId")
    if key_id:
        return Principal(id=_text(key_id), claims={"apiKeyId": key_id}, provider="api-key")
    return None
