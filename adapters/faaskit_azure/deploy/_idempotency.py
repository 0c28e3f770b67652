"""Idempotency record stores on Azure: an ARM template with the lifecycle rule and access.

When an app's ``@faaskit.idempotent`` handlers keep records in ``azure://`` containers, the
build writes ``idempotency.json``: the storage account's management policy with one rule per
function deleting its records (block blobs under ``<container>/<prefix>``) a day or more
after they expire, and a "Storage Blob Data Contributor" role assignment on each container
for the function app's managed identity (used when the app reaches storage by identity;
with a connection string the account key already grants it).

Management policies: https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts/managementpolicies
Lifecycle rules: https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-overview
Built-in roles: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from faaskit.deploy._idempotency import RecordStore

__all__ = ["FILE", "idempotency_template"]

FILE = "idempotency.json"
BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
_PARAMETERS = {
    "storageAccountName": {
        "type": "string",
        "metadata": {"description": "The storage account holding the idempotency containers"},
    },
    "principalId": {
        "type": "string",
        "metadata": {"description": "Object id of the function app's managed identity"},
    },
}


def _rule(store: RecordStore) -> dict[str, Any]:
    digest = hashlib.sha256(store.prefix.encode()).hexdigest()[:12]
    return {
        "enabled": True,
        "name": f"faaskit-idempotency-{digest}",
        "type": "Lifecycle",
        "definition": {
            "filters": {
                "blobTypes": ["blockBlob"],
                "prefixMatch": [f"{store.resource.name}/{store.prefix}"],
            },
            "actions": {"baseBlob": {"delete": {"daysAfterModificationGreaterThan": store.days}}},
        },
    }


def _role(container: str) -> dict[str, Any]:
    scope = (
        "[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', "
        f"parameters('storageAccountName'), 'default', '{container}')]"
    )
    return {
        "type": "Microsoft.Authorization/roleAssignments",
        "apiVersion": "2022-04-01",
        "scope": scope,
        "name": f"[guid({scope}, parameters('principalId'), '{BLOB_DATA_CONTRIBUTOR}')]",
        "properties": {
            "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/"
            f"roleDefinitions', '{BLOB_DATA_CONTRIBUTOR}')]",
            "principalId": "[parameters('principalId')]",
            "principalType": "ServicePrincipal",
        },
    }


def idempotency_template(stores: Iterable[RecordStore]) -> dict[str, Any] | None:
    """The ARM template for the ``azure://`` record stores, or None when there are none."""
    mine = [store for store in stores if store.url.startswith("azure://")]
    if not mine:
        return None
    rules = {rule["name"]: rule for rule in map(_rule, mine)}
    policy = {
        "type": "Microsoft.Storage/storageAccounts/managementPolicies",
        "apiVersion": "2023-01-01",
        "name": "[concat(parameters('storageAccountName'), '/default')]",
        "properties": {"policy": {"rules": list(rules.values())}},
    }
    containers = sorted({store.resource.name for store in mine})
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": _PARAMETERS,
        "resources": [policy, *map(_role, containers)],
    }
