"""Azure deploy artifacts: a Functions project folder (Python v2 programming model).

``function_app.py`` imports the app and calls :func:`faaskit_azure.function_app` once; the
bindings (HTTP routes and auth levels, NCRONTAB schedules, blob paths, queue and connection
names) come from the handlers' declarations when the worker indexes it.
Project layout and files:
https://learn.microsoft.com/azure/azure-functions/functions-reference-python#folder-structure
host.json: https://learn.microsoft.com/azure/azure-functions/functions-host-json
local.settings.json: https://learn.microsoft.com/azure/azure-functions/functions-develop-local#local-settings-file
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from faaskit.adapter import Queue, Stream, Topic
from faaskit.deploy._compile import matches_runtime, precompile
from faaskit.deploy._idempotency import record_stores
from faaskit.deploy._model import App, Settings, resource
from faaskit.deploy._output import dump_json
from faaskit.deploy._package import (
    FAASKIT_REQUIREMENTS,
    checks_hashes,
    copy_app,
    copy_runtime,
    is_option,
    map_option_paths,
    map_requirement_path,
    requirement_name,
)
from faaskit.exceptions import ConfigurationError
from faaskit_azure.deploy._arm import FILE as ARM_FILE
from faaskit_azure.deploy._azuredeploy import template as arm_template
from faaskit_azure.deploy._idempotency import FILE as RECORDS_FILE
from faaskit_azure.deploy._idempotency import idempotency_template
from faaskit_azure.deploy._publish import publish_settings

__all__ = ["FILES", "build", "connections", "function_app_source", "host_json"]

FILES = ("function_app.py", "host.json", "requirements.txt", "local.settings.json", ".funcignore")
BUNDLE = {"id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)"}
_DEFAULT_CONNECTIONS = {
    "storage": "AzureWebJobsStorage",
    "servicebus": "ServiceBusConnection",
    "eventhub": "EventHubConnection",
    "cosmosdb": "CosmosDBConnection",
}
_FUNCIGNORE = (
    ".git*", ".vscode", ".venv", "local.settings.json", "test", "tests", ARM_FILE,
)  # fmt: skip
# byte code is published only when the build wrote it for the runtime's Python version
_BYTE_CODE = ("__pycache__", "*.pyc")
# Python logging level -> host.json log level (ILogger categories).
_HOST_LEVELS = {"DEBUG": "Debug", "INFO": "Information", "WARNING": "Warning", "ERROR": "Error"}
_RESERVED_MODULES = frozenset({"function_app", "faaskit", "faaskit_azure", "azure"})


def _options(app: App, settings: Settings) -> dict[str, Any]:
    options = {"route_prefix": settings.route_prefix, **dict(settings.azure)}
    for key, value in options.items():
        try:
            ast.literal_eval(repr(value))
        except (ValueError, SyntaxError):
            raise ConfigurationError(
                f"azure option {key}={value!r} must be a literal (str, number, bool, dict, list)"
            ) from None
    return options


def function_app_source(app: App, settings: Settings) -> str:
    """The text of ``function_app.py``: import the app, make the ``FunctionApp`` once."""
    if app.module.split(".")[0] in _RESERVED_MODULES:
        raise ConfigurationError(f"app module {app.module!r} clashes with the Azure entry point")
    arguments = "".join(f", {k}={v!r}" for k, v in _options(app, settings).items())
    return (
        f'"""Azure Functions entry point for the faaskit app {app.module!r} '
        '(written by faaskit build)."""\n\n'
        "import faaskit_azure\n"
        f"import {app.module} as handlers\n\n"
        f"app = faaskit_azure.function_app(handlers{arguments})\n"
    )


def _service(settings: Settings, key: str, name: str, default: str) -> str:
    value = settings.azure.get(key)
    if isinstance(value, Mapping):
        return str(value.get(name, default))
    return default if value is None else str(value)


def _guess_connections(app: App, settings: Settings) -> set[str]:
    wanted = {"storage"}
    for fn in app.functions:
        trigger = fn.trigger
        if isinstance(trigger, Topic):
            wanted.add("servicebus")
        elif isinstance(trigger, Queue):
            wanted.add(_service(settings, "queue_service", trigger.name, "storage"))
        elif isinstance(trigger, Stream):
            default = "cosmosdb" if "/" in trigger.name else "eventhub"
            wanted.add(_service(settings, "stream_service", trigger.name, default))
    chosen = settings.azure.get("connections") or {}
    return {str(chosen.get(s, _DEFAULT_CONNECTIONS[s])) for s in wanted}


def connections(app: App, settings: Settings) -> set[str]:
    """The app settings the bindings name as connections (``AzureWebJobsStorage`` always).

    Read from the ``FunctionApp`` itself when ``azure-functions`` is installed here, else
    worked out from the declarations.
    """
    try:
        import azure.functions  # noqa: F401
    except ImportError:
        return _guess_connections(app, settings)
    from faaskit_azure.app import function_app

    built = function_app(*[fn.handler for fn in app.functions], **_options(app, settings))
    found = {"AzureWebJobsStorage"}
    for function in built.get_functions():
        for binding in function.get_bindings():
            name = getattr(binding, "connection", None)
            if isinstance(name, str) and name:
                found.add(name)
    return found


def host_json(app: App, settings: Settings) -> dict[str, Any]:
    """``host.json``: extension bundle v4, function timeout, route prefix, batch settings."""
    timeout = max([fn.timeout or settings.timeout for fn in app.functions])
    minutes, seconds = divmod(timeout, 60)
    extensions: dict[str, Any] = {"http": {"routePrefix": settings.route_prefix}}
    queues = [fn.trigger for fn in app.functions if isinstance(fn.trigger, Queue)]
    storage = [q for q in queues if _service(settings, "queue_service", q.name, "storage")
               == "storage"]  # fmt: skip
    bus = [q for q in queues if q not in storage]
    if storage:
        size = max(q.batch_size or 16 for q in storage)
        extensions["queues"] = {
            "batchSize": min(size, 32),
            "maxDequeueCount": settings.max_receive_count,
        }
    if bus or any(isinstance(fn.trigger, Topic) for fn in app.functions):
        size = max([q.batch_size or 100 for q in bus] or [100])
        extensions["serviceBus"] = {"maxConcurrentCalls": 16, "maxMessageBatchSize": size}
    level = _HOST_LEVELS[settings.config.log_level]
    return {
        "version": "2.0",
        "logging": {
            # the functions' own lines (category Function.<name>.User) at the stage's level
            "logLevel": {"default": "Warning", "Host.Results": "Information", "Function": level},
            "applicationInsights": {
                "samplingSettings": {"isEnabled": True, "excludedTypes": "Request;Trace"}
            },
        },
        "extensionBundle": BUNDLE,
        "functionTimeout": f"{minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}",
        "extensions": extensions,
    }


def _requirements(app: App, project: Path | None = None) -> str:
    """The project's ``requirements.txt``: what the entry point needs, then the app's lines
    (pip options such as ``--index-url`` or ``-c constraints.txt`` copied as they are; pip reads
    their relative paths from the project root, which holds the copied app files).

    A ``-c``/``-f`` path or a path requirement that the project would not hold (outside the
    app folder, or not copied into ``project``) is refused.
    """
    lines = ["azure-functions", *FAASKIT_REQUIREMENTS]
    kinds = {resource(url).kind for fn in app.functions for url in (*fn.reads, *fn.writes)}
    if "bucket" in kinds:
        lines.append("azure-storage-blob")
    if "queue" in kinds:
        lines.append("azure-storage-queue")
    if kinds & {"bucket", "queue"}:
        # azuredeploy.json connects through the app's managed identity
        # (AzureWebJobsStorage__accountName), which the storage clients sign in with.
        lines.append("azure-identity")
    if checks_hashes(app.requirements):
        _require_hashed(lines, app.requirements)
        lines = []  # the app's own hashed lines provide them
    names = {requirement_name(line) for line in lines}
    for line in app.requirements:
        if _FILE_URL.search(line):
            raise ConfigurationError(
                f"requirements line {line!r}: a file: URL names this machine, which the Azure "
                "build cannot read; use a path inside the app folder instead"
            )
        check = partial(_in_project, app, project, line)
        if is_option(line):
            map_option_paths(line, check)
            lines.append(line)
        elif requirement_name(line) not in names:
            map_requirement_path(line, check)
            lines.append(line)
    return "\n".join(lines) + "\n"


# also glued to a short option (-ffile:...) or quoted
_FILE_URL = re.compile(r"(?:^-[A-Za-z]|^|[\s=@\"'])file:", re.IGNORECASE)


def _require_hashed(needed: list[str], requirements: tuple[str, ...]) -> None:
    """In hash-checking mode pip refuses any requirement without hashes, so what the entry
    point needs must come from the app's own (hashed) lines; refused when some are missing.
    """
    pins = {requirement_name(line): line for line in requirements if not is_option(line)}
    missing = [
        line for line in needed
        if requirement_name(line) not in pins or _below(pins[requirement_name(line)], line)
    ]  # fmt: skip
    if missing:
        raise ConfigurationError(
            "requirements.txt uses hashes (--hash), so pip would refuse the unhashed "
            f"requirements the Azure project needs: add {', '.join(missing)} with their "
            "hashes to it, or drop the hashes"
        )


def _below(pinned: str, needed: str) -> bool:
    """Whether the ``==`` pin of ``pinned`` is older than the ``>=`` floor of ``needed``
    (``attrs==23.1.0`` for ``attrs>=23.2``); hash-checking mode makes every pin exact.
    """
    floor = re.search(r">=\s*(\d+(?:\.\d+)*)", needed)
    pin = re.search(r"==\s*(\d+(?:\.\d+)*)", pinned)
    if floor is None or pin is None:
        return False
    release = [int(part) for part in pin.group(1).split(".")]
    wanted = [int(part) for part in floor.group(1).split(".")]
    return release < wanted


def _in_project(app: App, project: Path | None, line: str, path: str) -> str:
    """``path`` (relative to the app root) when the generated project holds it."""
    rel: Path | None = None
    if not Path(path).is_absolute():
        full = (app.root / path).resolve()
        if full.is_relative_to(app.root.resolve()):
            rel = full.relative_to(app.root.resolve())
    copied = rel is not None and (
        (project / rel).exists()
        if project is not None
        else not app.include or (bool(rel.parts) and rel.parts[0] in app.include)
    )
    if not copied:
        raise ConfigurationError(
            f"requirements line {line!r}: {path!r} would not be inside the generated Azure "
            "Functions project (the remote build runs pip there); use a path inside the "
            + ("app package " + repr(app.include[0]) if app.include else "app folder")
            + " or a URL"
        )
    return path


def build(app: App, settings: Settings, out: Path, *, workdir: Path,
          skip: tuple[Path, ...] = ()) -> list[Path]:  # fmt: skip
    """Write the Functions project into ``out``; returns the files faaskit wrote (not the
    copied app code). When this interpreter is the runtime's version every module gets
    unchecked-hash byte code, published with the project (the Functions host runs the code from
    a read-only package on Linux plans, where Python cannot write ``__pycache__``).
    """
    del workdir
    compiled = matches_runtime(settings.runtime)
    out.mkdir(parents=True, exist_ok=True)
    copy_app(app, out, skip=skip)
    copy_runtime("faaskit", out)
    copy_runtime("faaskit_azure", out)
    settings_values: dict[str, str] = {
        "FUNCTIONS_WORKER_RUNTIME": "python",
        "AzureWebJobsStorage": "UseDevelopmentStorage=true",
        "AzureWebJobsFeatureFlags": "EnableWorkerIndexing",
    }
    for name in sorted(connections(app, settings) | publish_settings(app)):
        settings_values.setdefault(name, "")
    texts = {
        "function_app.py": function_app_source(app, settings),
        "host.json": dump_json(host_json(app, settings)),
        "requirements.txt": _requirements(app, out),
        "local.settings.json": dump_json({"IsEncrypted": False, "Values": settings_values}),
        ".funcignore": "\n".join(_FUNCIGNORE + (() if compiled else _BYTE_CODE)) + "\n",
    }
    texts[ARM_FILE] = dump_json(arm_template(app, settings))
    records = idempotency_template(record_stores(app))
    if records is not None:
        texts[RECORDS_FILE] = dump_json(records)
    for name, text in texts.items():
        (out / name).write_text(text, encoding="utf-8")
    if compiled:
        precompile(out)
    return [out / name for name in texts]
