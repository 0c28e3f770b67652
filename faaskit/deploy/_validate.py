"""Check an app before anything is written: every problem names the handler and what is wrong."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from faaskit.adapter import Blob, Events, Http, Queue, Schedule, Stream, Topic, to_aws, to_ncrontab
from faaskit.deploy._checks import check_config, check_function, configure
from faaskit.deploy._model import App, Function, Settings, logical_id, resource
from faaskit.exceptions import ConfigurationError

__all__ = ["AUTH_MODES", "auth_mode", "route_key", "throttle_of", "validate"]

AUTH_MODES = ("none", "iam", "api_key", "function", "jwt")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,126}$")
_STORAGE_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
_ENTITY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_SEGMENT = re.compile(r"^(?:[A-Za-z0-9._~!$&'()*,;=:@%-]+|\{[A-Za-z_][A-Za-z0-9_]*\+?\})$")
_THROTTLE_KEYS = frozenset({"rate", "burst", "quota"})
_QUOTA_PERIODS = ("DAY", "WEEK", "MONTH")
_BLOB_EVENTS = frozenset({"created", "deleted"})
_POSITIONS = ("LATEST", "TRIM_HORIZON")
# Packages shipped beside the app, which an app module of the same name would shadow.
_SHIPPED = frozenset({"faaskit", "faaskit_aws", "faaskit_azure", "attr", "attrs"})


def auth_mode(auth: Any) -> tuple[str, Mapping[str, Any]]:
    """``(mode, options)`` for an http trigger's ``auth``: mode is one of :data:`AUTH_MODES`."""
    if auth is None or auth == "none":
        return "none", {}
    if isinstance(auth, str) and auth in AUTH_MODES and auth != "jwt":
        return auth, {}
    if isinstance(auth, Mapping) and set(auth) == {"jwt"} and isinstance(auth["jwt"], Mapping):
        jwt = auth["jwt"]
        issuer, audience = jwt.get("issuer"), jwt.get("audience")
        if not isinstance(issuer, str) or not issuer.startswith("https://"):
            raise ConfigurationError(f"jwt auth needs an https:// issuer, got {issuer!r}")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if not audiences or not all(isinstance(a, str) and a for a in audiences):
            raise ConfigurationError("jwt auth needs an audience (a string or a list of them)")
        return "jwt", {"issuer": issuer, "audience": audiences}
    raise ConfigurationError(
        f"unknown auth mode {auth!r}; use None, 'none', 'iam', 'api_key', 'function' or "
        "{'jwt': {'issuer': 'https://...', 'audience': [...]}}"
    )


def throttle_of(throttle: Mapping[str, Any] | None) -> dict[str, Any]:
    """The validated throttle: ``rate`` (requests/s), ``burst``, ``quota`` ``{limit, period}``."""
    if throttle is None:
        return {}
    if not isinstance(throttle, Mapping) or set(throttle) - _THROTTLE_KEYS:
        raise ConfigurationError(
            f"throttle must be a mapping of {sorted(_THROTTLE_KEYS)}, got {throttle!r}"
        )
    out = dict(throttle)
    for key in ("rate", "burst"):
        value = out.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
        ):
            raise ConfigurationError(f"throttle {key} must be a positive number, got {value!r}")
    quota = out.get("quota")
    if quota is not None:
        ok = isinstance(quota, Mapping) and isinstance(quota.get("limit"), int)
        if not ok or str(quota.get("period", "DAY")).upper() not in _QUOTA_PERIODS:
            raise ConfigurationError(
                f"throttle quota must be {{'limit': int, 'period': DAY|WEEK|MONTH}}, got {quota!r}"
            )
    return out


def route_key(route: str) -> tuple[str, ...]:
    """The shape of a route with parameter names erased: two routes with one key collide."""
    return tuple(
        ("{+}" if part.endswith("+}") else "{}") if part.startswith("{") else part
        for part in route.strip("/").split("/")
    )


def _check_route(route: str) -> None:
    if route == "/":
        return
    parts = route[1:].split("/")
    for index, part in enumerate(parts):
        if not part:
            raise ConfigurationError(f"invalid route {route!r}: empty path segment")
        if not _SEGMENT.fullmatch(part):
            raise ConfigurationError(
                f"invalid route {route!r}: segment {part!r} must be literal text or one whole "
                "{parameter}"
            )
        if part.endswith("+}") and index != len(parts) - 1:
            raise ConfigurationError(f"invalid route {route!r}: {part} must be the last segment")


def _check_http(trigger: Http) -> None:
    _check_route(trigger.route)
    mode, _ = auth_mode(trigger.auth)
    if throttle_of(trigger.throttle).get("quota") and mode not in ("api_key", "function"):
        raise ConfigurationError("a throttle quota is metered per API key: it needs auth='api_key'")
    cors = trigger.cors
    if isinstance(cors, Mapping):
        unknown = set(cors) - {"origins", "methods", "headers", "max_age", "credentials"}
        if unknown:
            raise ConfigurationError(f"unknown cors option(s) {sorted(unknown)}")
        origins = cors.get("origins", ["*"])
        if cors.get("credentials") and ("*" in origins or origins == "*"):
            raise ConfigurationError("cors credentials=True needs explicit origins, not '*'")
    elif cors not in (None, True, False):
        raise ConfigurationError(f"cors must be True or a mapping, got {cors!r}")


def _check_trigger(function: Function, settings: Settings) -> None:
    trigger = function.trigger
    if trigger is None:
        pass
    elif isinstance(trigger, Http):
        _check_http(trigger)
    elif isinstance(trigger, Blob):
        if not _STORAGE_NAME.fullmatch(trigger.bucket):
            raise ConfigurationError(
                f"bucket {trigger.bucket!r} must be 3-63 lowercase letters, digits and hyphens "
                "(a name both S3 and Azure Storage accept)"
            )
        unknown = set(trigger.events) - _BLOB_EVENTS
        if unknown or not trigger.events:
            raise ConfigurationError(f"blob events must be among {sorted(_BLOB_EVENTS)}")
    elif isinstance(trigger, Queue):
        if not _STORAGE_NAME.fullmatch(trigger.name):
            raise ConfigurationError(
                f"queue {trigger.name!r} must be 3-63 lowercase letters, digits and hyphens "
                "(a name both SQS and Azure Storage queues accept)"
            )
        size = trigger.batch_size
        if size is not None and not 1 <= size <= 10000:
            raise ConfigurationError(f"queue batch_size must be 1-10000, got {size}")
    elif isinstance(trigger, Topic):
        if not _ENTITY_NAME.fullmatch(trigger.name) or "." in trigger.name:
            raise ConfigurationError(f"topic {trigger.name!r}: use letters, digits, - and _")
    elif isinstance(trigger, Schedule):
        to_aws(trigger.expression)
        to_ncrontab(trigger.expression)
    elif isinstance(trigger, Stream):
        for part in trigger.name.split("/"):
            if not _ENTITY_NAME.fullmatch(part):
                raise ConfigurationError(f"stream {trigger.name!r}: invalid name {part!r}")
        if trigger.name.count("/") > 1:
            raise ConfigurationError(f"stream {trigger.name!r}: use 'name' or 'database/table'")
        if trigger.starting_position not in _POSITIONS:
            raise ConfigurationError(f"stream starting_position must be one of {_POSITIONS}")
    elif isinstance(trigger, Events):
        try:
            json.dumps(trigger.pattern)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"the events pattern is not JSON: {exc}") from None
    for url in function.reads:
        if resource(url).kind in ("topic", "bus"):
            raise ConfigurationError(f"{url!r} cannot be read; subscribe to it with a trigger")
    for url in function.writes:
        resource(url)
    memory = function.memory if function.memory is not None else settings.memory
    timeout = function.timeout if function.timeout is not None else settings.timeout
    if not 128 <= memory <= 10240:
        raise ConfigurationError(f"memory must be 128-10240 MB, got {memory}")
    if not 1 <= timeout <= 900:
        raise ConfigurationError(f"timeout must be 1-900 seconds, got {timeout}")


def _overlap(a: str | None, b: str | None, *, suffix: bool = False) -> bool:
    x, y = a or "", b or ""
    return y.endswith(x) or x.endswith(y) if suffix else y.startswith(x) or x.startswith(y)


def _conflicts(functions: tuple[Function, ...]) -> Iterator[str]:
    routes: dict[tuple[str, ...], list[tuple[Function, Http]]] = {}
    ids: dict[str, Function] = {}
    consumers: dict[str, Function] = {}
    blobs: list[tuple[Function, Blob]] = []
    for fn in functions:
        other = ids.setdefault(logical_id(fn.name).lower(), fn)
        if other is not fn:
            yield f"handlers {other.name!r} and {fn.name!r}: function names collide"
        trigger = fn.trigger
        if isinstance(trigger, Http) and trigger.route.startswith("/"):
            for seen, seen_trigger in routes.setdefault(route_key(trigger.route), []):
                shared = set(trigger.methods) & set(seen_trigger.methods)
                if shared or "ANY" in trigger.methods + seen_trigger.methods:
                    yield (
                        f"handlers {seen.name!r} and {fn.name!r}: both serve "
                        f"{'/'.join(sorted(shared)) or 'ANY'} {trigger.route} "
                        f"(declared as {seen_trigger.route})"
                    )
            routes[route_key(trigger.route)].append((fn, trigger))
        elif isinstance(trigger, Queue):
            first = consumers.setdefault(trigger.name, fn)
            if first is not fn:
                yield (
                    f"handlers {first.name!r} and {fn.name!r}: both consume queue "
                    f"{trigger.name!r}; each message reaches one of them (use a topic to fan out)"
                )
        elif isinstance(trigger, Blob):
            for seen, seen_blob in blobs:
                if (
                    seen_blob.bucket == trigger.bucket
                    and set(seen_blob.events) & set(trigger.events)
                    and _overlap(seen_blob.prefix, trigger.prefix)
                    and _overlap(seen_blob.suffix, trigger.suffix, suffix=True)
                ):
                    yield (
                        f"handlers {seen.name!r} and {fn.name!r}: overlapping notifications "
                        f"on bucket {trigger.bucket!r} (S3 refuses overlapping prefix/suffix)"
                    )
            blobs.append((fn, trigger))


def validate(
    app: App, settings: Settings | None = None, targets: tuple[str, ...] = ("aws", "azure")
) -> None:
    """Raise one :class:`ConfigurationError` listing every problem of every handler (each
    naming it) for the ``targets`` clouds: what one of them cannot honour is refused, never
    dropped.
    """
    settings = configure(app, settings)
    problems: list[str] = list(check_config(app, settings, targets))
    top = app.module.split(".")[0]
    if top in sys.stdlib_module_names or top in _SHIPPED:
        problems.append(
            f"app module {top!r} has the name of a module the Lambda and Azure runtimes "
            "already have, which they would import instead; rename it"
        )
    for fn in app.functions:
        if not _NAME.fullmatch(fn.name):
            problems.append(
                f"handler {fn.name!r}: the function name must start with a letter and hold only "
                "letters, digits, - and _"
            )
        try:
            _check_trigger(fn, settings)
        except ConfigurationError as exc:
            problems.append(f"handler {fn.name!r}: {exc}")
        problems.extend(f"handler {fn.name!r}: {p}" for p in check_function(fn, settings, targets))
    problems.extend(_conflicts(app.functions))
    if problems:
        lines = "\n  ".join(problems)
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigurationError(f"app {app.module!r} cannot be deployed ({count}):\n  {lines}")
