"""What a deployment is made of: the app, its functions, the resources they use, the settings."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

from faaskit import Handler, Trigger
from faaskit.deploy._config import Config
from faaskit.exceptions import ConfigurationError

__all__ = ["App", "Function", "Resource", "Settings", "logical_id", "resource"]

# URL scheme -> resource kind. Both clouds' storage URL schemes name the same kinds, so one
# declaration grants the matching permission wherever the app is deployed.
SCHEMES: Mapping[str, str] = {
    "s3": "bucket",
    "azure": "bucket",
    "sqs": "queue",
    "azure-queue": "queue",
    "sns": "topic",
    "servicebus": "topic",
    "servicebus-topic": "topic",
    "dynamodb": "table",
    "kinesis": "stream",
    "eventhub": "stream",
    "events": "bus",
    "eventgrid": "bus",
}


@attrs.frozen(kw_only=True)
class Resource:
    """A resource a function reads or writes: ``kind`` (``bucket``, ``queue``, ``topic``,
    ``table``, ``stream``, ``bus``) and its ``name``.
    """

    kind: str
    name: str
    url: str


def resource(url: str) -> Resource:
    """Parse ``s3://bucket``, ``sqs://queue``, ``sns://topic``, ``dynamodb://table``,
    ``kinesis://stream``, ``events://bus`` (and the Azure schemes) into a :class:`Resource`.
    """
    scheme, sep, rest = str(url).partition("://")
    name = rest.split("/", 1)[0]
    if not sep or scheme not in SCHEMES or not name:
        raise ConfigurationError(
            f"cannot read resource {url!r}; write scheme://name with a scheme among "
            f"{', '.join(sorted(SCHEMES))}"
        )
    return Resource(kind=SCHEMES[scheme], name=name, url=url)


@attrs.frozen(kw_only=True)
class Function:
    """One deployed function: the ``attr`` it is found under in the app module, its deployed
    ``name``, its trigger and its declared resources and limits.
    """

    name: str
    attr: str
    trigger: Trigger | None
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    memory: int | None = None
    timeout: int | None = None
    env: Mapping[str, Any] = attrs.field(factory=dict)
    concurrency: int | None = None
    handler: Handler | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def of(cls, attr: str, handler: Handler) -> Function:
        """The function for ``handler``, found as ``attr`` in the app module."""
        return cls(
            name=handler.name,
            attr=attr,
            trigger=handler.trigger,
            reads=tuple(getattr(handler, "reads", ())),
            writes=tuple(getattr(handler, "writes", ())),
            memory=getattr(handler, "memory", None),
            timeout=getattr(handler, "timeout", None),
            env=getattr(handler, "env", None) or {},
            concurrency=getattr(handler, "concurrency", None),
            handler=handler,
        )


@attrs.frozen(kw_only=True)
class App:
    """A loaded app: the importable ``module`` name, the ``root`` folder shipped with it (only
    its ``include`` entries when given), the ``source`` file, and its functions in declaration
    order.
    """

    module: str
    root: Path
    include: tuple[str, ...] = ()
    source: str
    functions: tuple[Function, ...]
    loaded: ModuleType | None = attrs.field(default=None, eq=False, repr=False)
    requirements: tuple[str, ...] = ()


def _default_runtime() -> str:
    return f"python{sys.version_info.major}.{sys.version_info.minor}"


@attrs.frozen(kw_only=True)
class Settings:
    """App-wide deployment settings; every one is overridable (``faaskit build --memory ...``).

    ``memory`` (MB), ``timeout`` (s), ``runtime``, ``architecture`` (``x86_64``/``arm64``) and
    ``tracing`` become SAM ``Globals``; ``max_receive_count`` is how many deliveries a queue
    message gets before it goes to the dead-letter (poison) queue; ``include_boto3`` ships boto3
    in the Lambda package; ``pip_args`` are passed to ``pip install``; ``azure`` holds the
    ``faaskit_azure.function_app`` options written into ``function_app.py``; ``config`` holds
    the stage's ``faaskit.toml`` settings.
    """

    runtime: str = attrs.field(factory=_default_runtime)
    memory: int = 512
    timeout: int = 30
    architecture: str = attrs.field(default="x86_64")

    @runtime.validator
    def _check_runtime(self, _: object, value: str) -> None:
        if not re.fullmatch(r"python3\.\d+", value):
            raise ConfigurationError(f"runtime must look like python3.12, got {value!r}")

    @architecture.validator
    def _check_architecture(self, _: object, value: str) -> None:
        if value not in ("x86_64", "arm64"):
            raise ConfigurationError(f"architecture must be x86_64 or arm64, got {value!r}")

    tracing: bool = True
    max_receive_count: int = 5
    include_boto3: bool = False
    pip_args: tuple[str, ...] = ()
    route_prefix: str = ""
    azure: Mapping[str, Any] = attrs.field(factory=dict)
    config: Config = attrs.field(factory=Config)


def logical_id(name: str, suffix: str = "") -> str:
    """A CloudFormation logical id (alphanumeric) for ``name``: ``get-item`` -> ``GetItem``."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    base = "".join(w[:1].upper() + w[1:] for w in words) or "Resource"
    if base[0].isdigit():
        base = f"R{base}"
    return f"{base}{suffix}"
