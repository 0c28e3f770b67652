"""Least privilege on Azure: the Function App's managed identity gets one built-in role per
declared use, scoped to the resource it names (a container, a queue, a Service Bus entity, an
Event Hub, a Key Vault secret), never the account or namespace when a narrower scope exists.

A staging slot has its own system-assigned identity (the slot's code runs as it until the
swap, when the identities stay with their slots): it gets the same role assignments as
production, and no other.

Built-in role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
Identity-based connections for triggers and bindings (the roles each one needs):
https://learn.microsoft.com/azure/azure-functions/functions-reference#grant-permission-to-the-identity
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ROLES", "principal_id", "principal_site", "role_assignment"]

ROLES: Mapping[str, str] = {
    "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
    "Storage Queue Data Reader": "19e7f393-937e-4f77-808e-94535e297925",
    "Storage Queue Data Message Processor": "8a0f0c08-91a1-4084-bc3d-661d67233fed",
    "Storage Queue Data Message Sender": "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
    "Azure Service Bus Data Receiver": "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
    "Azure Service Bus Data Sender": "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
    "Azure Event Hubs Data Receiver": "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
    "Azure Event Hubs Data Sender": "2b629674-e913-4c01-ae53-ef4638d8f975",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
}
_API = "2022-04-01"


def role_assignment(
    role: str, scope: str, depends: list[str], *, slot: str | None = None
) -> dict[str, Any]:
    """A role assignment of ``role`` to the Function App's identity (or to its deployment
    ``slot``'s own system-assigned identity) on ``scope`` (an ARM expression body naming the
    resource, e.g. ``resourceId('Microsoft.Storage/...', ...)``).
    """
    role_id = ROLES[role]
    site = principal_site(slot)
    who = "variables('functionAppName')" if slot is None else (
        f"format('{{0}}/{slot}', variables('functionAppName'))"
    )  # fmt: skip
    return {
        "type": "Microsoft.Authorization/roleAssignments",
        "apiVersion": _API,
        "scope": f"[{scope}]",
        "name": f"[guid({scope}, {who}, '{role_id}')]",
        "dependsOn": [f"[{site}]", *depends],
        "properties": {
            "roleDefinitionId": (
                f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{role_id}')]"
            ),
            "principalId": f"[{principal_id(slot)}]",
            "principalType": "ServicePrincipal",
            "description": role,
        },
    }


def principal_site(slot: str | None = None) -> str:
    """The resource id expression of the Function App, or of its deployment ``slot``."""
    if slot is None:
        return "resourceId('Microsoft.Web/sites', variables('functionAppName'))"
    return f"resourceId('Microsoft.Web/sites/slots', variables('functionAppName'), '{slot}')"


def principal_id(slot: str | None = None) -> str:
    """The expression of the object id of the app's (or ``slot``'s) system-assigned identity."""
    return f"reference({principal_site(slot)}, '2023-12-01', 'full').identity.principalId"
