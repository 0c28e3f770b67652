"""``faaskit.toml``: the app-wide deployment settings beside the app, with per-stage overrides.

::

    rollout = "all-at-once"            # top level: the defaults of every stage
    log_level = "INFO"
    [app]
    name = "shop"                      # stack / Function App base name
    metrics_namespace = "Shop"
    [env]                              # every function; values may be secrets
    DB_PASSWORD = { secret = "db-password" }
    [aws]
    vpc = { subnets = ["subnet-1"], security_groups = ["sg-1"] }
    secrets = "secretsmanager"         # or "ssm" (SecureString parameters)
    [azure]
    plan = "flex"                      # flex | premium | consumption
    key_vault = "shop-vault"           # the vault holding the secrets (or its resource id,
                                       # or { name = "...", resource_group = "..." })
    vnet = { subnet = "/subscriptions/.../subnets/functions" }
    unenforced = ["throttle"]          # declared options Azure cannot enforce, acknowledged
    [resources]                        # existing resources, used instead of created
    "sqs://orders" = "arn:aws:sqs:eu-west-1:123456789012:orders"
    [stages.prod]                      # any of the above, for `faaskit build --stage prod`
    rollout = "canary10-5m"

Every problem (unknown key, wrong type, bad value) is reported at once, each naming the file,
the table and the key.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from faaskit import Secret, secret
from faaskit.deploy._vault import VAULT_FORMS, KeyVault, parse_vault
from faaskit.exceptions import ConfigurationError

__all__ = ["FILE", "LOG_LEVELS", "PLANS", "ROLLOUTS", "Config", "Vpc", "load_config"]

FILE = "faaskit.toml"
PLANS = ("flex", "premium", "consumption")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# faaskit rollout -> SAM DeploymentPreference type (CodeDeploy's predefined configurations).
ROLLOUTS: Mapping[str, str] = {
    "all-at-once": "AllAtOnce",
    "canary10-5m": "Canary10Percent5Minutes",
    "canary10-10m": "Canary10Percent10Minutes",
    "canary10-15m": "Canary10Percent15Minutes",
    "canary10-30m": "Canary10Percent30Minutes",
    "linear10-1m": "Linear10PercentEvery1Minute",
    "linear10-2m": "Linear10PercentEvery2Minutes",
    "linear10-3m": "Linear10PercentEvery3Minutes",
    "linear10-10m": "Linear10PercentEvery10Minutes",
}
UNENFORCEABLE = ("iam", "throttle")
_APP_NAME = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
_STAGE = re.compile(r"^[a-z][a-z0-9]{0,9}$")
_AWS_ID = re.compile(r"^(?:subnet|sg)-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@attrs.frozen(kw_only=True)
class Vpc:
    """The subnets and security groups (AWS) or the subnet resource id (Azure) to run in."""

    subnets: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Config:
    """The settings of one stage, read from ``faaskit.toml`` (all defaults when absent)."""

    path: Path | None = None
    stage: str | None = None
    name: str | None = None
    metrics_namespace: str | None = None
    env: Mapping[str, str | Secret] = attrs.field(factory=dict)
    rollout: str = "all-at-once"
    log_level: str = "INFO"
    aws_vpc: Vpc | None = None
    aws_secrets: str = "secretsmanager"
    azure_plan: str = "flex"
    azure_subnet: str | None = None
    azure_key_vault: KeyVault | None = None
    azure_unenforced: tuple[str, ...] = ()
    resources: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def where(self) -> str:
        """The file the settings come from, for messages."""
        return str(self.path) if self.path else FILE


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and value and all(_str(v) for v in value):
        return tuple(value)
    return None


def _choice(options: tuple[str, ...] | Mapping[str, str]) -> Callable[[Any], str | None]:
    return lambda value: value if isinstance(value, str) and value in options else None


def _app_name(value: Any) -> str | None:
    return value if isinstance(value, str) and _APP_NAME.fullmatch(value) else None


def _env_value(value: Any) -> str | Secret | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and set(value) == {"secret"}:
        try:
            return secret(value["secret"])
        except ConfigurationError:
            return None
    return None


def _vpc(value: Any) -> Vpc | None:
    if not isinstance(value, Mapping) or set(value) != {"subnets", "security_groups"}:
        return None
    subnets, groups = _strings(value["subnets"]), _strings(value["security_groups"])
    if not subnets or not groups:
        return None
    ids = all(_AWS_ID.fullmatch(s) for s in subnets) and all(_AWS_ID.fullmatch(g) for g in groups)
    named = all(s.startswith("subnet-") for s in subnets) and all(
        g.startswith("sg-") for g in groups
    )
    return Vpc(subnets=subnets, security_groups=groups) if ids and named else None


def _subnet(value: Any) -> str | None:
    if isinstance(value, Mapping) and set(value) == {"subnet"}:
        subnet = _str(value["subnet"])
        if subnet and subnet.startswith("/subscriptions/") and "/subnets/" in subnet:
            return subnet
    return None


def _unenforced(value: Any) -> tuple[str, ...] | None:
    found = _strings(value) if value != [] else ()
    return found if found is not None and set(found) <= set(UNENFORCEABLE) else None


def _resource(value: Any) -> str | None:
    return _str(value)


# table -> key -> (Config field, parser, what a valid value looks like)
_Parser = Callable[[Any], Any]
_SCHEMA: dict[str, dict[str, tuple[str, _Parser, str]]] = {
    "": {
        "rollout": ("rollout", _choice(ROLLOUTS), f"one of {', '.join(ROLLOUTS)}"),
        "log_level": ("log_level", _choice(LOG_LEVELS), f"one of {', '.join(LOG_LEVELS)}"),
    },
    "app": {
        "name": ("name", _app_name, "1-24 lowercase letters, digits and hyphens, first a letter"),
        "metrics_namespace": ("metrics_namespace", _str, "a non-empty string"),
    },
    "aws": {
        "vpc": (
            "aws_vpc",
            _vpc,
            '{subnets = ["subnet-..."], security_groups = ["sg-..."]}, both non-empty',
        ),
        "secrets": ("aws_secrets", _choice(("secretsmanager", "ssm")), "secretsmanager or ssm"),
    },
    "azure": {
        "plan": ("azure_plan", _choice(PLANS), f"one of {', '.join(PLANS)}"),
        "vnet": ("azure_subnet", _subnet, '{subnet = "/subscriptions/.../subnets/NAME"}'),
        "key_vault": ("azure_key_vault", parse_vault, VAULT_FORMS),
        "unenforced": ("azure_unenforced", _unenforced, f"a list among {list(UNENFORCEABLE)}"),
    },
}
_MAPS = {
    "env": ("env", _env_value, 'a string or {secret = "name"}'),
    "resources": ("resources", _resource, "the name or ARN/resource id of the resource"),
}


def _label(stage: str | None, table: str) -> str:
    parts = [p for p in (f"stages.{stage}" if stage else "", table) if p]
    return "[" + ".".join(parts) + "]" if parts else "top level"


def _read(data: Mapping[str, Any], stage: str | None) -> Iterator[tuple[str, Any] | str]:
    """``(field, value)`` pairs for each valid setting of ``data``, and a message for each
    problem.
    """
    for table, value in data.items():
        if table in _SCHEMA[""]:
            yield from _setting("", table, value, stage)
        elif table in _SCHEMA and table:
            if not isinstance(value, Mapping):
                yield f"{_label(stage, table)}: must be a table, got {value!r}"
                continue
            for key, item in value.items():
                yield from _setting(table, key, item, stage)
        elif table in _MAPS:
            yield from _map(table, value, stage)
        elif table == "stages" and stage is None:
            if not isinstance(value, Mapping):
                yield f"[stages]: must hold one table per stage, got {value!r}"
        else:
            known = sorted({*_SCHEMA, *_MAPS, *_SCHEMA[""], *([] if stage else ["stages"])} - {""})
            yield f"{_label(stage, '')}: unknown key {table!r} (known: {', '.join(known)})"


def _setting(
    table: str, key: str, value: Any, stage: str | None
) -> Iterator[tuple[str, Any] | str]:
    spec = _SCHEMA[table].get(key)
    if spec is None:
        yield (f"{_label(stage, table)}: unknown key {key!r} (known: "
               f"{', '.join(sorted(_SCHEMA[table]))})")  # fmt: skip
        return
    field, parse, wanted = spec
    parsed = parse(value)
    if parsed is None:
        yield f"{_label(stage, table)}: key {key!r} must be {wanted}, got {value!r}"
    else:
        yield field, parsed


def _map(table: str, value: Any, stage: str | None) -> Iterator[tuple[str, Any] | str]:
    field, parse, wanted = _MAPS[table]
    if not isinstance(value, Mapping):
        yield f"{_label(stage, table)}: must be a table, got {value!r}"
        return
    out: dict[str, Any] = {}
    for key, item in value.items():
        parsed = parse(item)
        if table == "env" and not _ENV_NAME.fullmatch(key):
            yield f"{_label(stage, table)}: key {key!r} is not an environment variable name"
        elif parsed is None:
            yield f"{_label(stage, table)}: key {key!r} must be {wanted}, got {item!r}"
        else:
            out[key] = parsed
    yield field, out


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            raise ConfigurationError(f"{path}: reading it on Python 3.10 needs tomli") from None
    try:
        with path.open("rb") as file:
            data: dict[str, Any] = tomllib.load(file)
            return data
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid TOML: {exc}") from exc


def load_config(folder: Path, stage: str | None = None) -> Config:
    """The settings of ``stage`` (or of no stage) from ``folder/faaskit.toml``: the top-level
    tables, then the stage's tables over them (``env`` and ``resources`` merged by key).
    """
    path = folder / FILE
    data = _toml(path) if path.is_file() else {}
    where = path if path.is_file() else None
    stages = data.get("stages", {})
    problems: list[str] = []
    if stage is not None and not _STAGE.fullmatch(stage):
        problems.append(f"stage {stage!r} must be 1-10 lowercase letters and digits")
    elif stage is not None and (not isinstance(stages, Mapping) or stage not in stages):
        declared = ", ".join(sorted(stages)) if isinstance(stages, Mapping) else ""
        problems.append(f"stage {stage!r} is not declared ([stages.{stage}]; declared: "
                        f"{declared or 'none'})")  # fmt: skip
    values: dict[str, Any] = {}
    for found in _read(data, None):
        if isinstance(found, str):
            problems.append(found)
        else:
            values[found[0]] = found[1]
    if isinstance(stages, Mapping):
        for name, table in stages.items():
            if not isinstance(table, Mapping):
                problems.append(f"[stages.{name}]: must be a table, got {table!r}")
                continue
            for found in _read(table, name):
                if isinstance(found, str):
                    problems.append(found)
                elif name == stage:
                    field, value = found
                    merged = isinstance(value, dict) and isinstance(values.get(field), dict)
                    values[field] = {**values[field], **value} if merged else value
    if problems:
        lines = "\n  ".join(problems)
        raise ConfigurationError(f"{where or path}: {len(problems)} problem(s):\n  {lines}")
    return Config(path=where, stage=stage, **values)
