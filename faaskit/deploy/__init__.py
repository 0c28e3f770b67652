"""Deploy artifacts for AWS and Azure, generated from the handlers' trigger declarations.

>>> from faaskit.deploy import build
>>> build("samples/hello_http/app.py", target="all", out="build")  # doctest: +SKIP

``build`` loads the app, checks it (every problem names its handler), then writes
``OUT/aws`` (SAM ``template.yaml`` and ``package.zip``) and/or ``OUT/azure`` (a Functions
project) all at once: the artifacts are built in a staging folder beside ``OUT`` and moved into
place only when everything succeeded, so a failed build leaves ``OUT`` as it was.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from faaskit.deploy._checks import configure
from faaskit.deploy._config import Config, load_config
from faaskit.deploy._loader import load_app
from faaskit.deploy._model import App, Function, Resource, Settings, resource
from faaskit.deploy._output import staged
from faaskit.deploy._validate import validate
from faaskit.exceptions import ConfigurationError

__all__ = [
    "TARGETS",
    "App",
    "Config",
    "Function",
    "Resource",
    "Settings",
    "build",
    "configure",
    "load_app",
    "load_config",
    "resource",
    "targets",
    "validate",
]

TARGETS = ("aws", "azure")
_BUILDERS = {"aws": "faaskit_aws.deploy", "azure": "faaskit_azure.deploy"}


def targets(target: str) -> tuple[str, ...]:
    """The targets ``target`` names: ``aws``, ``azure`` or ``all``."""
    if target == "all":
        return TARGETS
    if target not in TARGETS:
        raise ConfigurationError(f"unknown target {target!r}; use aws, azure or all")
    return (target,)


def build(
    app: str | App,
    *,
    target: str = "all",
    out: str | Path = "build",
    settings: Settings | None = None,
    cwd: Path | None = None,
    stage: str | None = None,
) -> dict[str, list[Path]]:
    """Build the deploy artifacts of ``app`` (a module name, a ``.py`` path or a loaded
    :class:`App`) for ``stage`` into ``out/<target>``; returns the files written, per target.
    """
    chosen = targets(target)
    loaded = app if isinstance(app, App) else load_app(app, cwd=cwd)
    settings = configure(loaded, settings, stage)
    validate(loaded, settings, chosen)
    out_dir = Path(cwd or ".") / out if not Path(out).is_absolute() else Path(out)
    out_dir = out_dir.resolve()
    builders: dict[str, Any] = {t: importlib.import_module(_BUILDERS[t]) for t in chosen}
    written: dict[str, list[Path]] = {}
    with staged(out_dir, chosen) as staging:
        for name in chosen:
            files: Sequence[Path] = builders[name].build(
                loaded, settings, staging / name, workdir=staging, skip=_skipped(out_dir, loaded)
            )
            written[name] = [out_dir / name / f.relative_to(staging / name) for f in files]
    return written


def _skipped(out_dir: Path, app: App) -> tuple[Path, ...]:
    """What the package leaves out: the output folder, or only the targets' folders in it when
    the app itself lives there (``--out .``).
    """
    if app.root.resolve().is_relative_to(out_dir):
        return tuple(out_dir / t for t in TARGETS)
    return (out_dir,)
