"""Deprecated home of the app loader: use :mod:`faaskit.tooling.apps`, the one loader the CLI,
the builders, the dev server and the testing fixtures share. These names stay as aliases.
"""

from __future__ import annotations

from faaskit.tooling.apps import App, ensure_adapters, load_app, split_target

__all__ = ["App", "ensure_adapters", "load_app", "split_target"]
