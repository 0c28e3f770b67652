"""The runtime/tooling boundary, declared once.

Runtime is what runs inside a cloud function: the ``faaskit`` core, ``faaskit.storage`` and the
adapters' runtime modules. Tooling is everything that only runs on a developer's machine or in
CI: the CLI, build/deploy, the dev server, the testing helpers and runtime harnesses.
Deployment artifacts hold runtime code only (the builders copy :data:`RUNTIME_PACKAGES` minus
:data:`TOOLING`), runtime modules never import tooling, and the layering tests read both lists.
"""

from __future__ import annotations

__all__ = ["RUNTIME_PACKAGES", "TOOLING", "is_tooling", "tooling_parts"]

RUNTIME_PACKAGES = ("faaskit", "faaskit_aws", "faaskit_azure")
"""The top-level packages an artifact may ship (each without its tooling)."""

TOOLING = (
    "faaskit.__main__",
    "faaskit.cli",
    "faaskit.deploy",
    "faaskit.devserver",
    "faaskit.testing",
    "faaskit.tooling",
    "faaskit_aws.deploy",
    "faaskit_azure.deploy",
)
"""Tooling modules and packages (a package stands for everything under it)."""


def is_tooling(module: str) -> bool:
    """Whether the dotted module name is tooling (listed in :data:`TOOLING` or under one)."""
    return any(module == name or module.startswith(f"{name}.") for name in TOOLING)


def tooling_parts(package: str) -> tuple[str, ...]:
    """The tooling modules and sub-packages directly inside ``package``, by their names in it
    (``faaskit`` -> ``("__main__", "cli", "deploy", ...)``): what a build leaves out.
    """
    return tuple(
        child for parent, _, child in (n.rpartition(".") for n in TOOLING) if parent == package
    )
