"""Checks of the production settings (environment, concurrency, stage settings) per target:
whatever a cloud cannot honour is refused with a message naming the handler and the option,
never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from faaskit import Secret
from faaskit.adapter import Http
from faaskit.deploy._config import Config, load_config
from faaskit.deploy._model import App, Function, Settings, resource
from faaskit.exceptions import ConfigurationError

__all__ = ["check_config", "check_function", "configure", "environment"]

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Names the platforms or faaskit set themselves: a declared value would be ignored or break them.
_RESERVED_PREFIXES = (
    "AWS_", "LAMBDA_", "_", "FUNCTIONS_", "AZUREWEBJOBS", "WEBSITE_", "APPLICATIONINSIGHTS_",
    "FAASKIT_",
)  # fmt: skip
_AZURE_CORS = frozenset({"origins", "credentials"})
_MAX_CONCURRENCY = 1000
# Flex Consumption's maximumInstanceCount starts at 40.
_PLAN_MINIMUM = {"flex": 40}


def configure(app: App, settings: Settings | None = None, stage: str | None = None) -> Settings:
    """``settings`` holding the ``faaskit.toml`` settings of ``stage``, read beside the app
    module (unless ``settings`` already holds a configuration).
    """
    settings = settings or Settings()
    if settings.config != Config() and stage in (None, settings.config.stage):
        return settings
    return attrs.evolve(settings, config=load_config(Path(app.source).parent, stage))


def environment(fn: Function, settings: Settings) -> dict[str, Any]:
    """The function's environment: the ``[env]`` of ``faaskit.toml``, then its own ``env=``."""
    return {**settings.config.env, **fn.env}


def _check_env(env: Any) -> Iterator[str]:
    if not isinstance(env, Mapping):
        yield f"env must be a mapping of names to strings, got {env!r}"
        return
    for key, value in env.items():
        if not isinstance(key, str) or not _ENV_NAME.fullmatch(key):
            yield f"env name {key!r} is not an environment variable name"
        elif key.upper().startswith(_RESERVED_PREFIXES):
            yield f"env name {key!r} is reserved by the platform or faaskit"
        if not isinstance(value, (str, Secret)):
            yield (f"env {key!r} must be a string or faaskit.secret('name'), got {value!r} "
                   "(write numbers as strings)")  # fmt: skip


def _check_concurrency(value: Any) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_CONCURRENCY:
        yield f"concurrency must be an int from 1 to {_MAX_CONCURRENCY}, got {value!r}"


def _azure(fn: Function, settings: Settings) -> Iterator[str]:
    config = settings.config
    trigger = fn.trigger
    if trigger is None:
        yield (
            "has no trigger: an Azure function runs only from one (there is no direct "
            "invocation); declare a trigger, or build it with --target aws"
        )
    if isinstance(trigger, Http):
        if trigger.throttle and "throttle" not in config.azure_unenforced:
            yield (
                "option 'throttle' cannot be enforced by Azure Functions (no per-route rate "
                "limits without API Management); remove it, build with --target aws, or "
                f'acknowledge it in {config.where}: [azure] unenforced = ["throttle"]'
            )
        if trigger.caller_auth == "iam" and "iam" not in config.azure_unenforced:
            yield (
                "option auth='iam' (AWS IAM request signing) has no Azure Functions counterpart; "
                "build it with --target aws, declare jwt auth, or acknowledge it in "
                f'{config.where}: [azure] unenforced = ["iam"] (the route then answers 401 '
                "unless App Service Authentication vouches for the caller)"
            )
        if isinstance(trigger.cors, Mapping):
            for key in sorted(set(trigger.cors) - _AZURE_CORS):
                yield (
                    f"cors option {key!r} cannot be honoured on Azure (App Service CORS "
                    "takes only origins and credentials); remove it or build with --target aws"
                )
    secrets = [k for k, v in environment(fn, settings).items() if isinstance(v, Secret)]
    if secrets and not config.azure_key_vault:
        yield (
            f"env {secrets[0]!r} is a secret, which Azure reads from Key Vault: name the vault "
            f'in {config.where}: [azure] key_vault = "..."'
        )


def check_function(fn: Function, settings: Settings, targets: tuple[str, ...]) -> Iterator[str]:
    """The problems of ``fn``'s production settings for ``targets``."""
    yield from _check_env(fn.env)
    yield from _check_concurrency(fn.concurrency)
    if "azure" in targets:
        yield from _azure(fn, settings)


def check_config(app: App, settings: Settings, targets: tuple[str, ...]) -> Iterator[str]:
    """The problems of the app-wide settings for ``targets``, naming the stage and plan."""
    config = settings.config
    yield from (f"{config.where}: [env] {p}" for p in _check_env(config.env))
    for url in config.resources:
        try:
            resource(url)
        except ConfigurationError as exc:
            yield f"{config.where}: [resources] key {url!r}: {exc}"
    if "azure" not in targets:
        return
    stage = f"stage {config.stage!r}" if config.stage else "the default stage"
    plan = config.azure_plan
    if config.rollout != "all-at-once" and plan == "flex":
        yield (
            f"{stage}: rollout {config.rollout!r} needs a staging slot, which Azure plan "
            f"{plan!r} (Flex Consumption) does not have; use plan 'premium' or 'consumption' "
            "for this stage, or rollout 'all-at-once'"
        )
    if config.azure_subnet and plan == "consumption":
        yield (
            f"{stage}: VNet integration is not available on Azure plan {plan!r}; use "
            "plan 'flex' or 'premium' for this stage"
        )
    values = {fn.concurrency for fn in app.functions}
    if len(values) > 1:
        named = ", ".join(f"{fn.name!r}={fn.concurrency}" for fn in app.functions)
        yield (
            f"handlers {named}: Azure caps instances per Function App, not per function, so "
            "concurrency must be the same on every handler (or on none); build the others "
            "with --target aws"
        )
    low = _PLAN_MINIMUM.get(plan, 1)
    for limit in values - {None}:
        if limit is not None and limit < low:
            yield (f"{stage}: concurrency {limit} is below the least Azure plan {plan!r} "
                   f"accepts ({low} instances)")  # fmt: skip
