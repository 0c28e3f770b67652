"""The whole ``azuredeploy.json``: parameters, names, the Function App and its plan, storage,
monitoring, authentication, CORS, staging slot and role assignments (see ``_arm``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit.adapter import Http
from faaskit.deploy._model import App, Settings
from faaskit.deploy._names import names_for
from faaskit.deploy._validate import auth_mode
from faaskit_azure.deploy._arm import _ACCOUNT, _PLANS, _SITE, SLOT, _Arm, _python
from faaskit_azure.deploy._arm_cosmos import cosmos_role_assignment
from faaskit_azure.deploy._arm_roles import role_assignment
from faaskit_azure.deploy._arm_vault import vault_deployment
from faaskit_azure.deploy._eventgrid import parameters as grid_parameters
from faaskit_azure.deploy._eventgrid import subscriptions

__all__ = ["swap_command", "template"]

_WEB = "2023-12-01"


def _cors(app: App) -> dict[str, Any] | None:
    origins: list[str] = []
    credentials = False
    for fn in app.functions:
        cors = fn.trigger.cors if isinstance(fn.trigger, Http) else None
        if not cors:
            continue
        spec = cors if isinstance(cors, Mapping) else {}
        found = spec.get("origins", ["*"])
        for origin in [found] if isinstance(found, str) else found:
            if origin not in origins:
                origins.append(str(origin))
        credentials = credentials or bool(spec.get("credentials"))
    return {"allowedOrigins": origins, "supportCredentials": credentials} if origins else None


def _auth(app: App) -> dict[str, Any] | None:
    """authsettingsV2 validating the ``jwt`` routes' tokens (one OpenID provider per issuer);
    anonymous requests still reach the routes that declare no auth, and faaskit refuses a
    ``jwt`` route's request without a principal the platform vouched for.
    """
    providers: dict[str, list[str]] = {}
    for fn in app.functions:
        if isinstance(fn.trigger, Http):
            mode, options = auth_mode(fn.trigger.auth)
            if mode == "jwt":
                audiences = providers.setdefault(str(options["issuer"]), [])
                audiences.extend(a for a in options["audience"] if a not in audiences)
    if not providers:
        return None
    custom = {
        f"jwt{index}": {
            "enabled": True,
            "registration": {"clientId": audiences[0]},
            "openIdConnectConfiguration": {
                "wellKnownOpenIdConfiguration": issuer.rstrip("/")
                + "/.well-known/openid-configuration"
            },
            "login": {"scopes": []},
        }
        for index, (issuer, audiences) in enumerate(sorted(providers.items()), 1)
    }
    return {
        "platform": {"enabled": True},
        "globalValidation": {"requireAuthentication": False,
                             "unauthenticatedClientAction": "AllowAnonymous"},
        "identityProviders": {"customOpenIdConnectProviders": custom},
        "login": {"tokenStore": {"enabled": False}},
    }  # fmt: skip


def _site_properties(arm: _Arm, app_settings: list[dict[str, Any]]) -> dict[str, Any]:
    config, settings = arm.config, arm.settings
    limit = {fn.concurrency for fn in arm.app.functions if fn.concurrency is not None}
    site_config: dict[str, Any] = {
        "appSettings": app_settings, "ftpsState": "Disabled", "minTlsVersion": "1.2",
        "http20Enabled": True,
    }  # fmt: skip
    cors = _cors(arm.app)
    if cors:
        site_config["cors"] = cors
    props: dict[str, Any] = {
        "serverFarmId": "[resourceId('Microsoft.Web/serverfarms', variables('planName'))]",
        "httpsOnly": True,
        "siteConfig": site_config,
    }
    if config.azure_plan == "flex":
        props["functionAppConfig"] = {
            "deployment": {"storage": {
                "type": "blobContainer",
                "value": "[format('{0}app-package', reference("
                f"{_ACCOUNT}, '2023-01-01').primaryEndpoints.blob)]",
                "authentication": {"type": "SystemAssignedIdentity"},
            }},
            "scaleAndConcurrency": {"maximumInstanceCount": min(limit) if limit else 100,
                                    "instanceMemoryMB": 2048},
            "runtime": {"name": "python", "version": _python(settings)},
        }  # fmt: skip
        arm.grant("Storage Blob Data Owner", arm.storage_child("blob", "app-package"))
    else:
        site_config["linuxFxVersion"] = f"Python|{_python(settings)}"
        if limit:
            site_config["functionAppScaleLimit"] = min(limit)
    if config.azure_subnet:
        props["virtualNetworkSubnetId"] = config.azure_subnet
        props["vnetRouteAllEnabled"] = True
    return props


def template(app: App, settings: Settings) -> dict[str, Any]:
    """The ARM template as plain data (validate the app for Azure first)."""
    arm = _Arm(app, settings)
    config = settings.config
    for fn in app.functions:
        arm.trigger(fn)
        arm.uses(fn)
    arm.grant("Storage Blob Data Owner", _ACCOUNT)  # the host's own leases and keys
    app_settings = arm.app_settings()
    prefix = names_for(app, settings).prefix or app.module.split(".")[-1].replace("_", "-")
    location = "[parameters('location')]"
    arm.add("Microsoft.Storage/storageAccounts", "[variables('storageAccountName')]", {
        "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
        "supportsHttpsTrafficOnly": True,
        "allowSharedKeyAccess": config.azure_plan != "flex",
    }, sku={"name": "Standard_LRS"}, kind="StorageV2", location=location)  # fmt: skip
    arm.add("Microsoft.OperationalInsights/workspaces", "[variables('workspaceName')]",
            {"retentionInDays": 30, "sku": {"name": "PerGB2018"}},
            api="2022-10-01", location=location)  # fmt: skip
    workspace = (
        "[resourceId('Microsoft.OperationalInsights/workspaces', variables('workspaceName'))]"
    )
    arm.add("Microsoft.Insights/components", "[variables('insightsName')]", {
        "Application_Type": "web", "WorkspaceResourceId": workspace,
    }, kind="web", api="2020-02-02", depends=(workspace,), location=location)  # fmt: skip
    plan = _PLANS[config.azure_plan]
    arm.add("Microsoft.Web/serverfarms", "[variables('planName')]", {"reserved": True},
            sku=plan, kind="functionapp", api=_WEB, location=location)  # fmt: skip
    depends = (
        "[resourceId('Microsoft.Web/serverfarms', variables('planName'))]",
        "[resourceId('Microsoft.Insights/components', variables('insightsName'))]",
        f"[{_ACCOUNT}]",
    )
    site = _site_properties(arm, app_settings)
    arm.add("Microsoft.Web/sites", "[variables('functionAppName')]", site,
            kind="functionapp,linux", identity={"type": "SystemAssigned"}, api=_WEB,
            depends=depends, location=location)  # fmt: skip
    auth = _auth(app)
    if auth:
        arm.add("Microsoft.Web/sites/config",
                "[format('{0}/authsettingsV2', variables('functionAppName'))]", auth,
                depends=(_SITE,), api=_WEB)  # fmt: skip
    if config.rollout != "all-at-once":
        _slot(arm, site, depends)
    grid = subscriptions(app, settings)
    for res in grid:
        arm.resources[f"{res['type']}|{res['name']}"] = res
    slots = (None, SLOT) if config.rollout != "all-at-once" else (None,)
    for (role, scope), _ in arm.roles.items():
        extra = [f"[{scope}]"] if scope != "subscription()" and "KeyVault" not in scope else []
        for slot in slots:
            arm.resources[f"role|{role}|{scope}|{slot}"] = role_assignment(
                role, scope, extra, slot=slot
            )
    if arm.vault_secrets and config.azure_key_vault is not None:
        nested = vault_deployment(config.azure_key_vault, arm.vault_secrets, slots)
        arm.resources["vault|deployment"] = nested
    for (role, database, container), waits in arm.cosmos.items():
        for slot in slots:
            arm.resources[f"cosmos|{role}|{database}/{container}|{slot}"] = cosmos_role_assignment(
                role, database, container, list(waits), slot=slot
            )
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {**_parameters(arm, prefix), **grid_parameters(grid)},
        "variables": {
            "suffix": f"[uniqueString(resourceGroup().id, '{prefix}')]",
            "functionAppName": "[parameters('functionAppName')]",
            "storageAccountName": "[format('st{0}', variables('suffix'))]",
            "planName": "[format('plan-{0}', variables('functionAppName'))]",
            "insightsName": "[format('appi-{0}', variables('functionAppName'))]",
            "workspaceName": "[format('log-{0}', variables('functionAppName'))]",
            "serviceBusName": "[format('sb-{0}', variables('functionAppName'))]",
            "eventHubsName": "[format('evh-{0}', variables('functionAppName'))]",
            "storageTopicName": "[format('evgt-{0}', variables('storageAccountName'))]",
        },
        "resources": list(arm.resources.values()),
        "outputs": {
            "functionAppName": {"type": "string", "value": "[variables('functionAppName')]"},
            "storageAccountName": {"type": "string", "value": "[variables('storageAccountName')]"},
        },
    }


def _parameters(arm: _Arm, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
        "functionAppName": {
            "type": "string",
            "defaultValue": f"[format('{prefix}-{{0}}', uniqueString(resourceGroup().id, "
            f"'{prefix}'))]",
            "metadata": {"description": "The Function App's name (globally unique)"},
        },
    }
    if any("DocumentDB" in key for key in arm.resources):
        out["cosmosAccountName"] = {
            "type": "string",
            "metadata": {"description": "The Cosmos DB account holding the watched containers"},
        }
    return out


def _slot(arm: _Arm, site: dict[str, Any], depends: tuple[str, ...]) -> None:
    """The staging slot, where the non-HTTP functions stay disabled (sticky settings)."""
    disabled = [
        f"AzureWebJobs.{fn.name}.Disabled" for fn in arm.app.functions
        if not isinstance(fn.trigger, Http)
    ]  # fmt: skip
    slot_site = dict(site)
    slot_site["siteConfig"] = {**site["siteConfig"], "appSettings": [
        *site["siteConfig"]["appSettings"], *({"name": n, "value": "true"} for n in disabled),
    ]}  # fmt: skip
    slot_site.pop("functionAppConfig", None)
    arm.add("Microsoft.Web/sites/slots", f"[format('{{0}}/{SLOT}', variables('functionAppName'))]",
            slot_site, kind="functionapp,linux", identity={"type": "SystemAssigned"}, api=_WEB,
            location="[parameters('location')]", depends=(*depends, _SITE))  # fmt: skip
    arm.add("Microsoft.Web/sites/config",
            "[format('{0}/slotConfigNames', variables('functionAppName'))]",
            {"appSettingNames": disabled}, depends=(_SITE,), api=_WEB)  # fmt: skip


def swap_command(function_app: str, resource_group: str = "<resource-group>") -> str:
    """The command that swaps the staging slot into production."""
    return (f"az functionapp deployment slot swap --resource-group {resource_group} --name "
            f"{function_app} --slot {SLOT} --target-slot production")  # fmt: skip
