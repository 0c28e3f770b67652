"""The Key Vault an app's secrets live in, as ``faaskit.toml`` names it (``[azure] key_vault``).

Three forms: the vault's name (a vault in the deployment's resource group), its resource id
(``/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>``),
or a table ``{name = "...", resource_group = "...", subscription = "..."}`` (``subscription``
optional: the deployment's).

Vault names: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["VAULT_FORMS", "KeyVault", "parse_vault"]

VAULT_FORMS = (
    'a vault name, its resource id, or {name = "...", resource_group = "..."} '
    "(subscription optional)"
)
_NAME = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$")
_GROUP = re.compile(r"^[-\w._()]{1,90}$")
_SUBSCRIPTION = re.compile(r"^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)"
    r"/providers/Microsoft\.KeyVault/vaults/(?P<name>[^/]+)$",
    re.IGNORECASE,
)


@attrs.frozen(kw_only=True)
class KeyVault:
    """A Key Vault: its ``name``, and its ``resource_group`` (and ``subscription``) when it is
    not in the deployment's own resource group.
    """

    name: str
    resource_group: str | None = None
    subscription: str | None = None

    def __str__(self) -> str:
        return self.name


def _valid(name: Any, group: Any = None, subscription: Any = None) -> KeyVault | None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return None
    if group is not None and not (isinstance(group, str) and _GROUP.fullmatch(group)):
        return None
    if subscription is not None and not (
        isinstance(subscription, str) and _SUBSCRIPTION.fullmatch(subscription)
    ):
        return None
    if subscription is not None and group is None:
        return None  # a subscription alone names no place
    return KeyVault(name=name, resource_group=group, subscription=subscription)


def parse_vault(value: Any) -> KeyVault | None:
    """The :class:`KeyVault` ``value`` names, or None when it is none of the three forms."""
    if isinstance(value, str):
        found = _ID.fullmatch(value)
        if found:
            return _valid(found["name"], found["group"], found["subscription"])
        return _valid(value)
    if isinstance(value, Mapping) and "name" in value:
        if set(value) - {"name", "resource_group", "subscription"}:
            return None
        return _valid(value["name"], value.get("resource_group"), value.get("subscription"))
    return None
