"""AWS deploy artifacts: a SAM ``template.yaml`` and a reproducible Lambda ``package.zip``.

One ``AWS::Serverless::Function`` per handler, whose ``Handler`` is the faaskit handler object
itself (``module.attr``: a ``faaskit.Handler`` is a valid Lambda handler), with one event source
per trigger, least-privilege policies from the handler's ``reads``/``writes`` and, when the trigger
invokes it asynchronously, an ``EventInvokeConfig`` whose on-failure destination keeps the events
that still fail after Lambda's retries (the failure paths are listed in ``_sam_events``).
SAM specification: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification.html
Lambda deployment packages with dependencies for the Lambda platform:
https://docs.aws.amazon.com/lambda/latest/dg/python-package.html
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from faaskit.adapter import Http
from faaskit.deploy._compile import matches_runtime, precompile
from faaskit.deploy._idempotency import record_stores, store_resources
from faaskit.deploy._layer import Dependencies, drop_shadowed
from faaskit.deploy._model import App, Function, Settings, logical_id, resource
from faaskit.deploy._names import VARIABLE as NAMES_VARIABLE
from faaskit.deploy._names import names_for
from faaskit.deploy._output import dump_yaml, write_zip
from faaskit.deploy._package import (
    FAASKIT_REQUIREMENTS,
    checks_hashes,
    copy_app,
    copy_runtime,
    is_option,
    requirement_name,
)
from faaskit_aws.deploy._idempotency import lifecycle_resources
from faaskit_aws.deploy._sam_config import function_settings, global_settings, secret_statements
from faaskit_aws.deploy._sam_events import Resources, policies
from faaskit_aws.deploy._sam_http import HttpApis

__all__ = ["PACKAGE", "TEMPLATE", "build", "package", "template"]

TEMPLATE = "template.yaml"
PACKAGE = "package.zip"
_PLATFORMS = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}
_RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer", "jmespath"})
_EVENT_NAMES = {"blob": "Blob", "schedule": "Schedule", "stream": "Stream", "event": "Events"}


def _function(fn: Function, app: App, apis: HttpApis, resources: Resources,
              settings: Settings) -> dict[str, Any]:  # fmt: skip
    trigger = fn.trigger
    timeout = fn.timeout or settings.timeout
    implied: list[Any] = []
    events: dict[str, Any] = {}
    if isinstance(trigger, Http):
        events = apis.events(trigger)
    elif trigger is not None:  # none: invoked directly or by other services
        event, implied = resources.event(trigger, timeout)
        kind = _EVENT_NAMES.get(trigger.kind) or type(trigger).__name__
        events = {kind: event}
    reads = [*implied, *(resource(url) for url in fn.reads)]
    props: dict[str, Any] = {
        "Handler": f"{app.module}.{fn.attr}",
        "Description": f"faaskit handler {fn.name}",
    }
    if events:
        props["Events"] = events
    invoke_config = resources.invoke_config(trigger, fn.name) if trigger else None
    if invoke_config is not None:
        props["EventInvokeConfig"] = invoke_config
    writes = [resource(url) for url in fn.writes]
    stores = store_resources(fn)  # idempotency records: read, written and deleted
    for declared in [*reads, *writes, *stores]:
        resources.declare(declared)
    granted = policies([*reads, *stores], [*writes, *stores], resources.name_of)
    secrets = secret_statements(fn, settings)
    if secrets:
        granted.append({"Version": "2012-10-17", "Statement": secrets})
    if granted:
        props["Policies"] = granted
    props.update(function_settings(fn, settings))
    if fn.memory is not None:
        props["MemorySize"] = fn.memory
    if fn.timeout is not None:
        props["Timeout"] = fn.timeout
    return {"Type": "AWS::Serverless::Function", "Properties": props}


def template(
    app: App, settings: Settings | None = None, *, code_uri: str = PACKAGE
) -> dict[str, Any]:
    """The SAM template for ``app`` as plain data (validate the app first)."""
    settings = settings or Settings()
    apis = HttpApis()
    resources = Resources(settings, names_for(app, settings))
    functions = {
        logical_id(fn.name, "Function"): _function(fn, app, apis, resources, settings)
        for fn in app.functions
    }
    out: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": f"faaskit app {app.module}",
        "Globals": {
            "Function": {
                "Runtime": settings.runtime,
                "CodeUri": code_uri,
                "MemorySize": settings.memory,
                "Timeout": settings.timeout,
                "Architectures": [settings.architecture],
                "Tracing": "Active" if settings.tracing else "PassThrough",
                **global_settings(settings),
            }
        },
    }
    mapping = resources.mapping()
    if mapping is not None:
        out["Globals"]["Function"]["Environment"]["Variables"][NAMES_VARIABLE] = mapping
    if resources.parameters:
        out["Parameters"] = resources.parameters
    out["Resources"] = lifecycle_resources(
        record_stores(app), {**functions, **apis.resources(), **resources.resources}
    )
    outputs = {**apis.outputs(), **resources.outputs()}
    if outputs:
        out["Outputs"] = outputs
    return out


def _dependencies(app: App, settings: Settings, workdir: Path) -> Dependencies:
    """What the package needs besides the app and faaskit's runtime, built for the Lambda
    platform: faaskit's requirements and the app's (boto3 left out unless
    ``settings.include_boto3``).
    """
    deps = Dependencies(platform=_PLATFORMS[settings.architecture],
                        python_version=settings.runtime.removeprefix("python"),
                        extra_args=settings.pip_args, workdir=workdir)  # fmt: skip
    for requirement in FAASKIT_REQUIREMENTS:
        deps.pure(requirement)
    # pip option lines (--index-url, -c, -f, ...) are kept as they are: only requirements
    # of packages the Lambda runtime provides are left out
    wanted = [
        line for line in app.requirements
        if settings.include_boto3 or is_option(line)
        or requirement_name(line) not in _RUNTIME_PROVIDED
    ]  # fmt: skip
    # In hash-checking mode pip refuses a requirement without hashes: boto3 (unless pinned
    # there) goes on its own, first, through the app's index options, so that the hashed run
    # after it replaces whatever it also pinned.
    alone = settings.include_boto3 and checks_hashes(wanted)
    if alone and "boto3" not in {requirement_name(line) for line in wanted}:
        options = [
            line for line in wanted
            if is_option(line) and not line.lstrip().startswith(("-r", "--requirement"))
            and "--require-hashes" not in line.split()
        ]  # fmt: skip
        deps.pip([*options, "boto3"], base=app.root)
    if settings.include_boto3 and not alone:
        wanted.append("boto3")
    deps.pip(wanted, base=app.root)
    return deps


def package(app: App, settings: Settings, zip_path: Path, *, workdir: Path,
            skip: tuple[Path, ...] = ()) -> None:  # fmt: skip
    """Write the Lambda deployment package: app code, faaskit, faaskit_aws and dependencies
    built for the Lambda platform, with byte code when this interpreter is the runtime's
    version. The dependencies come as one cached layer (``faaskit.deploy._layer``): an
    unchanged rebuild compresses and compiles only the app and faaskit's runtime.
    """
    compiled = matches_runtime(settings.runtime)
    layer = _dependencies(app, settings, workdir).layer(compiled=compiled)
    folder = workdir / "lambda-package"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy_app(app, folder, skip=skip)
    copy_runtime("faaskit", folder)
    copy_runtime("faaskit_aws", folder)
    drop_shadowed(folder, layer)
    if compiled:
        precompile(folder)
    write_zip(folder, zip_path, layer=layer)
    shutil.rmtree(folder)


def build(app: App, settings: Settings, out: Path, *, workdir: Path,
          skip: tuple[Path, ...] = ()) -> list[Path]:  # fmt: skip
    """Write ``template.yaml`` and ``package.zip`` into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    (out / TEMPLATE).write_text(dump_yaml(template(app, settings)), encoding="utf-8")
    package(app, settings, out / PACKAGE, workdir=workdir, skip=skip)
    return [out / TEMPLATE, out / PACKAGE]
