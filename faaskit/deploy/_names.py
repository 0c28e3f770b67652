"""Physical resource names: the app's logical names (``sqs://orders``) scoped to the app and the
stage (``shop-prod-orders``), or the existing resources ``faaskit.toml`` names instead.

Two stages of one app in one account or subscription share no physical name. The templates
pass the mapping to the functions in ``FAASKIT_RESOURCES`` (see ``faaskit.storage._names``), so
the code keeps its logical URLs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

import attrs

from faaskit.deploy._model import App, Settings, resource

__all__ = ["VARIABLE", "Names", "key", "names_for"]

VARIABLE = "FAASKIT_RESOURCES"
_MAX = {"bucket": 63, "queue": 80, "topic": 256, "stream": 128, "table": 255}


def key(kind: str, name: str) -> str:
    """The mapping key of a logical resource: ``queue:orders``."""
    return f"{kind}:{name}"


def _scoped(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` characters, ending in a digest of the whole when cut."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9].rstrip('-')}-{digest}"


@attrs.frozen(kw_only=True)
class Names:
    """The physical name of each logical resource: ``prefix-name`` (``name`` when unscoped) for
    those created, the configured name for ``existing`` ones.
    """

    prefix: str = ""
    existing: Mapping[str, str] = attrs.field(factory=dict)

    def is_existing(self, kind: str, name: str) -> bool:
        """Whether ``faaskit.toml`` names an existing resource for it (nothing is created)."""
        return key(kind, name) in self.existing

    def physical(self, kind: str, name: str, *, reserve: int = 0) -> str:
        """The physical name; ``reserve`` characters are kept free for a suffix the cloud
        needs (an account id for globally named buckets, ``-dlq``, ...).
        """
        found = self.existing.get(key(kind, name))
        if found is not None:
            return found
        full = f"{self.prefix}-{name}" if self.prefix else name
        return _scoped(full, _MAX.get(kind, 63) - reserve)


def _default_app_name(app: App) -> str:
    base = app.module.rsplit(".", 1)[-1] if app.module != "app" else Path(app.source).parent.name
    text = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
    return (text if text[:1].isalpha() else f"app-{text}")[:24].rstrip("-") or "app"


def _existing_name(value: str) -> str:
    """The resource name in an ARN or resource id (the part after the last ``:`` or ``/``)."""
    return re.split(r"[:/]", value.rstrip("/"))[-1]


def names_for(app: App, settings: Settings) -> Names:
    """The naming scheme of ``app`` in the configured stage: unscoped without an ``[app] name``
    and a stage (names as declared), else ``app-stage-name``.
    """
    config = settings.config
    existing = {}
    for url, value in config.resources.items():
        res = resource(url)
        existing[key(res.kind, res.name)] = _existing_name(value)
    parts = [config.name or (_default_app_name(app) if config.stage else ""), config.stage or ""]
    return Names(prefix="-".join(p for p in parts if p), existing=existing)
