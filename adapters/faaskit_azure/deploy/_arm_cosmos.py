"""Cosmos DB data-plane access for the Function App's identity.

Cosmos DB authorizes reads and writes of items with its own role system, not Azure RBAC: a
``Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments`` resource on the account gives a
principal one of the account's ``sqlRoleDefinitions``, scoped to the account, a database
(``/dbs/<db>``) or a container (``/dbs/<db>/colls/<container>``). A Cosmos DB trigger reads
the watched container's change feed (Built-in Data Reader, on that container) and keeps its
checkpoints in the leases container (Built-in Data Contributor, on that container only).

Role-based access: https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac
Built-in role definitions: https://learn.microsoft.com/azure/cosmos-db/nosql/security/reference-data-plane-roles
Trigger permissions: https://learn.microsoft.com/azure/azure-functions/functions-bindings-cosmosdb-v2#grant-permission-to-the-identity
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit_azure.deploy._arm_roles import principal_id, principal_site

__all__ = ["COSMOS_ROLES", "cosmos_role_assignment"]

COSMOS_ROLES: Mapping[str, str] = {
    "Cosmos DB Built-in Data Reader": "00000000-0000-0000-0000-000000000001",
    "Cosmos DB Built-in Data Contributor": "00000000-0000-0000-0000-000000000002",
}
_API = "2024-05-15"
_ACCOUNT = "parameters('cosmosAccountName')"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def cosmos_role_assignment(
    role: str, database: str, container: str, depends: list[str], *, slot: str | None = None
) -> dict[str, Any]:
    """``role`` on one container of the ``cosmosAccountName`` account, for the app's identity
    (or its ``slot``'s).
    """
    role_id = COSMOS_ROLES[role]
    account_id = f"resourceId('Microsoft.DocumentDB/databaseAccounts', {_ACCOUNT})"
    scope = f"format('{{0}}/dbs/{{1}}/colls/{{2}}', {account_id}, {_q(database)}, {_q(container)})"
    site = principal_site(slot)
    return {
        "type": "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments",
        "apiVersion": _API,
        "name": f"[format('{{0}}/{{1}}', {_ACCOUNT}, guid({scope}, {site}, '{role_id}'))]",
        "dependsOn": [f"[{site}]", *depends],
        "properties": {
            "roleDefinitionId": (
                "[resourceId('Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions', "
                f"{_ACCOUNT}, '{role_id}')]"
            ),
            "principalId": f"[{principal_id(slot)}]",
            "scope": f"[{scope}]",
        },
    }
