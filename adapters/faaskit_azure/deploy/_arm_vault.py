"""Read access to secrets in a Key Vault outside the deployment's resource group.

A role assignment is created in the scope of the deployment that declares it, so reaching a
vault in another resource group (or subscription) takes a nested deployment
(``Microsoft.Resources/deployments`` with ``resourceGroup``/``subscriptionId``) whose inner
template assigns "Key Vault Secrets User" on each secret the app reads, to the identities
passed in as parameters (the app's, and the staging slot's when there is one).

Cross-scope deployments: https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-to-resource-group#deploy-to-multiple-resource-groups
Nested templates: https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates#nested-template
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from faaskit.deploy._vault import KeyVault
from faaskit_azure.deploy._arm_roles import ROLES, principal_id, principal_site

__all__ = ["vault_deployment"]

_ROLE = "Key Vault Secrets User"
_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parameter(slot: str | None) -> str:
    return "principalId" if slot is None else f"{slot}PrincipalId"


def _assignment(vault: str, secret: str, slot: str | None) -> dict[str, Any]:
    role_id = ROLES[_ROLE]
    scope = f"resourceId('Microsoft.KeyVault/vaults/secrets', {_q(vault)}, {_q(secret)})"
    principal = f"parameters('{_parameter(slot)}')"
    return {
        "type": "Microsoft.Authorization/roleAssignments",
        "apiVersion": "2022-04-01",
        "scope": f"[{scope}]",
        "name": f"[guid({scope}, {principal}, '{role_id}')]",
        "properties": {
            "roleDefinitionId": (
                f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{role_id}')]"
            ),
            "principalId": f"[{principal}]",
            "principalType": "ServicePrincipal",
            "description": _ROLE,
        },
    }


def vault_deployment(
    vault: KeyVault, secrets: Iterable[str], slots: Iterable[str | None]
) -> dict[str, Any]:
    """The nested deployment granting read on ``secrets`` of ``vault`` (in its own resource
    group) to the app's identity and each of ``slots``' (None: production).
    """
    chosen = list(slots)
    inner = [_assignment(vault.name, s, slot) for s in sorted(set(secrets)) for slot in chosen]
    body: dict[str, Any] = {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": f"[format('secrets-{{0}}', uniqueString(variables('functionAppName'), "
        f"{_q(vault.name)}))]",
        "resourceGroup": vault.resource_group,
    }
    if vault.subscription:
        body["subscriptionId"] = vault.subscription
    body["dependsOn"] = [f"[{principal_site(slot)}]" for slot in chosen]
    body["properties"] = {
        "mode": "Incremental",
        "expressionEvaluationOptions": {"scope": "inner"},
        "parameters": {_parameter(s): {"value": f"[{principal_id(s)}]"} for s in chosen},
        "template": {
            "$schema": _SCHEMA,
            "contentVersion": "1.0.0.0",
            "parameters": {_parameter(s): {"type": "string"} for s in chosen},
            "resources": inner,
        },
    }
    return body
