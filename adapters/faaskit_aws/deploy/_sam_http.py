"""HTTP triggers as SAM events: an ``HttpApi`` for most routes, a REST ``Api`` for API keys.

- HttpApi event and ``AWS::Serverless::HttpApi`` (JWT authorizers, IAM, CORS, route throttling):
  https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-httpapi.html
- Api event and ``AWS::Serverless::Api`` (API keys, usage plans, method throttling):
  https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit.adapter import Http
from faaskit.deploy._validate import auth_mode, throttle_of

__all__ = ["HttpApis"]

HTTP_API = "HttpApi"
REST_API = "RestApi"
_STAGE = "prod"


def _cors(declared: list[bool | Mapping[str, Any]]) -> dict[str, Any]:
    """Merge the handlers' CORS declarations: one API has one CORS policy."""
    origins: list[str] = []
    methods: list[str] = []
    headers: list[str] = []
    max_age: int | None = None
    credentials = False
    for cors in declared:
        spec: Mapping[str, Any] = cors if isinstance(cors, Mapping) else {}
        for target, key in ((origins, "origins"), (methods, "methods"), (headers, "headers")):
            values = spec.get(key, ["*"])
            for value in [values] if isinstance(values, str) else values:
                if value not in target:
                    target.append(str(value))
        if spec.get("max_age") is not None:
            max_age = max(max_age or 0, int(spec["max_age"]))
        credentials = credentials or bool(spec.get("credentials"))
    out: dict[str, Any] = {"origins": origins, "methods": methods, "headers": headers}
    if max_age is not None:
        out["max_age"] = max_age
    out["credentials"] = credentials
    return out


def _route_settings(throttle: Mapping[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if throttle.get("burst") is not None:
        settings["ThrottlingBurstLimit"] = int(throttle["burst"])
    if throttle.get("rate") is not None:
        settings["ThrottlingRateLimit"] = float(throttle["rate"])
    return settings


class HttpApis:
    """Collects the HTTP routes of an app, then emits the API resources they share."""

    def __init__(self) -> None:
        self._http_cors: list[bool | Mapping[str, Any]] = []
        self._rest_cors: list[bool | Mapping[str, Any]] = []
        self._jwt: dict[tuple[str, tuple[str, ...]], str] = {}
        self._iam = False
        self._method_settings: list[dict[str, Any]] = []
        self._plan_throttles: list[Mapping[str, Any]] = []
        self.used: set[str] = set()

    def events(self, trigger: Http) -> dict[str, Any]:
        """The SAM events (one per method) for an http trigger."""
        mode, options = auth_mode(trigger.auth)
        throttle = throttle_of(trigger.throttle)
        rest = mode in ("api_key", "function")
        api = REST_API if rest else HTTP_API
        self.used.add(api)
        if trigger.cors:
            (self._rest_cors if rest else self._http_cors).append(trigger.cors)
        out: dict[str, Any] = {}
        for method in trigger.methods:
            props: dict[str, Any] = {
                "RestApiId" if rest else "ApiId": {"Ref": api},
                "Path": trigger.route,
                "Method": method,
            }
            if rest:
                props["Auth"] = {"ApiKeyRequired": True}
                if throttle:
                    self._plan_throttles.append(throttle)
                    if _route_settings(throttle):
                        self._method_settings.append(
                            {
                                "ResourcePath": "/" + trigger.route.replace("/", "~1"),
                                "HttpMethod": "*" if method == "ANY" else method,
                                **_route_settings(throttle),
                            }
                        )
            else:
                auth = self._auth(mode, options)
                if auth:
                    props["Auth"] = auth
                if _route_settings(throttle):
                    props["RouteSettings"] = _route_settings(throttle)
            name = "Http" if len(trigger.methods) == 1 else f"Http{method.title()}"
            out[name] = {"Type": "Api" if rest else "HttpApi", "Properties": props}
        return out

    def _auth(self, mode: str, options: Mapping[str, Any]) -> dict[str, Any]:
        if mode == "iam":
            self._iam = True
            return {"Authorizer": "AWS_IAM"}
        if mode == "jwt":
            key = (str(options["issuer"]), tuple(options["audience"]))
            name = self._jwt.setdefault(key, f"JwtAuthorizer{len(self._jwt) + 1}")
            return {"Authorizer": name}
        return {}

    def resources(self) -> dict[str, Any]:
        """The ``AWS::Serverless::HttpApi`` / ``AWS::Serverless::Api`` resources in use."""
        out: dict[str, Any] = {}
        if HTTP_API in self.used:
            props: dict[str, Any] = {}
            if self._http_cors:
                cors = _cors(self._http_cors)
                props["CorsConfiguration"] = {
                    "AllowOrigins": cors["origins"],
                    "AllowMethods": cors["methods"],
                    "AllowHeaders": cors["headers"],
                    **({"MaxAge": cors["max_age"]} if "max_age" in cors else {}),
                    "AllowCredentials": cors["credentials"],
                }
            auth: dict[str, Any] = {}
            if self._jwt:
                auth["Authorizers"] = {
                    name: {
                        "IdentitySource": "$request.header.Authorization",
                        "JwtConfiguration": {"issuer": issuer, "audience": list(audience)},
                    }
                    for (issuer, audience), name in self._jwt.items()
                }
            if self._iam:
                auth["EnableIamAuthorizer"] = True
            if auth:
                props["Auth"] = auth
            out[HTTP_API] = {"Type": "AWS::Serverless::HttpApi", "Properties": props}
        if REST_API in self.used:
            out[REST_API] = {"Type": "AWS::Serverless::Api", "Properties": self._rest()}
        return out

    def _rest(self) -> dict[str, Any]:
        plan: dict[str, Any] = {"CreateUsagePlan": "PER_API"}
        rates = [t["rate"] for t in self._plan_throttles if t.get("rate") is not None]
        bursts = [t["burst"] for t in self._plan_throttles if t.get("burst") is not None]
        if rates or bursts:
            plan["Throttle"] = {
                **({"BurstLimit": int(min(bursts))} if bursts else {}),
                **({"RateLimit": float(min(rates))} if rates else {}),
            }
        quotas = [t["quota"] for t in self._plan_throttles if t.get("quota")]
        if quotas:
            quota = min(quotas, key=lambda q: int(q["limit"]))
            plan["Quota"] = {
                "Limit": int(quota["limit"]),
                "Period": str(quota.get("period", "DAY")).upper(),
            }
        props: dict[str, Any] = {"StageName": _STAGE, "Auth": {"UsagePlan": plan}}
        if self._method_settings:
            props["MethodSettings"] = self._method_settings
        if self._rest_cors:
            cors = _cors(self._rest_cors)
            props["Cors"] = {
                "AllowOrigin": "'" + ",".join(cors["origins"]) + "'",
                "AllowMethods": "'" + ",".join(cors["methods"]) + "'",
                "AllowHeaders": "'" + ",".join(cors["headers"]) + "'",
                **({"MaxAge": f"'{cors['max_age']}'"} if "max_age" in cors else {}),
                **({"AllowCredentials": True} if cors["credentials"] else {}),
            }
        return props

    def outputs(self) -> dict[str, Any]:
        """The base URL of each API in use."""
        out: dict[str, Any] = {}
        if HTTP_API in self.used:
            url = "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"
            out["HttpApiUrl"] = {"Description": "HTTP API base URL", "Value": {"Fn::Sub": url}}
        if REST_API in self.used:
            url = f"https://${{RestApi}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{_STAGE}/"
            out["RestApiUrl"] = {"Description": "REST API base URL", "Value": {"Fn::Sub": url}}
        return out
