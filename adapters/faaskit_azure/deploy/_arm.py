"""``azuredeploy.json``: the ARM template of the app's Azure infrastructure.

It holds the Function App (system-assigned identity, identity-based connections) on its plan
(Flex Consumption by default; Premium or Consumption), its storage account with every declared
container and queue, Application Insights on a Log Analytics workspace, the Service Bus
namespace with its queues, topics and subscriptions, the Event Hubs namespace with its hubs,
the Cosmos DB lease containers, the Event Grid system topic and subscriptions (see
``_eventgrid``), app settings (environment, Key Vault references, ``FAASKIT_*``), CORS, App Service
Authentication for ``jwt`` routes, VNet integration, a staging slot for gradual rollouts (its
non-HTTP functions disabled by sticky settings) and one role assignment per declared use.
Resources in each deployment are named from ``uniqueString(resourceGroup().id, app-stage)``, so
two stages never share one.

ARM template reference: https://learn.microsoft.com/azure/templates/
Flex Consumption: https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to
App settings: https://learn.microsoft.com/azure/azure-functions/functions-app-settings
Key Vault references: https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
authsettingsV2: https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from faaskit import Secret
from faaskit.adapter import Blob, Queue, Stream, Topic
from faaskit.deploy._checks import environment
from faaskit.deploy._model import App, Function, Settings, resource

__all__ = ["FILE", "SLOT"]

FILE = "azuredeploy.json"
SLOT = "staging"
_LEVELS = {"DEBUG": "Debug", "INFO": "Information", "WARNING": "Warning", "ERROR": "Error"}
_PLANS = {
    "flex": {"name": "FC1", "tier": "FlexConsumption"},
    "premium": {"name": "EP1", "tier": "ElasticPremium"},
    "consumption": {"name": "Y1", "tier": "Dynamic"},
}
_SITE = "[resourceId('Microsoft.Web/sites', variables('functionAppName'))]"
_ACCOUNT = "resourceId('Microsoft.Storage/storageAccounts', variables('storageAccountName'))"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _child(kind: str, parent: str, name: str) -> str:
    """``resourceId`` of a child of the storage account / a namespace (no brackets)."""
    return f"resourceId({_q(kind)}, variables({_q(parent)}), {', '.join(map(_q, name.split('/')))})"


class _Arm:
    def __init__(self, app: App, settings: Settings) -> None:
        self.app, self.settings, self.config = app, settings, settings.config
        self.resources: dict[str, dict[str, Any]] = {}
        self.settings_values: dict[str, Any] = {}
        self.roles: dict[tuple[str, str], list[str]] = {}
        # secrets read from a Key Vault in another resource group
        self.vault_secrets: dict[str, None] = {}
        # (Cosmos DB data-plane role, database, container) -> what the assignment waits for
        self.cosmos: dict[tuple[str, str, str], tuple[str, ...]] = {}

    def add(
        self,
        rtype: str,
        name: str,
        props: dict[str, Any] | None = None,
        *,
        depends: tuple[str, ...] = (),
        api: str = "2023-01-01",
        **extra: Any,
    ) -> str:
        """Declare a resource once (``extra``: ``location``, ``sku``, ``kind``, ...)."""
        body: dict[str, Any] = {"type": rtype, "apiVersion": api, "name": name, **extra}
        if depends:
            body["dependsOn"] = list(depends)
        if props is not None:
            body["properties"] = props
        self.resources.setdefault(f"{rtype}|{name}", body)
        return name

    def grant(self, role: str, scope: str) -> None:
        self.roles.setdefault((role, scope), [f"[{scope}]"])

    def storage_child(self, service: str, name: str) -> str:
        """A container (``blob``) or queue (``queue``), created once; returns its id."""
        parent_kind = f"Microsoft.Storage/storageAccounts/{service}Services"
        kind = f"{parent_kind}/{'containers' if service == 'blob' else 'queues'}"
        self.add(parent_kind, "[format('{0}/default', variables('storageAccountName'))]", {},
                 depends=(f"[{_ACCOUNT}]",))  # fmt: skip
        parent = _child(parent_kind, "storageAccountName", "default")
        self.add(kind, f"[format('{{0}}/default/{name}', variables('storageAccountName'))]", {},
                 depends=(f"[{parent}]",))  # fmt: skip
        return _child(kind, "storageAccountName", f"default/{name}")

    def namespace(self, kind: str, var: str, sku: str) -> str:
        self.add(kind, f"[variables({_q(var)})]", {"minimumTlsVersion": "1.2"},
                 location="[parameters('location')]", sku={"name": sku},
                 api="2022-10-01-preview" if "ServiceBus" in kind else "2024-01-01")  # fmt: skip
        return f"resourceId({_q(kind)}, variables({_q(var)}))"

    def bus_entity(self, entity: str, name: str, subscription: str | None = None) -> str:
        ns = self.namespace("Microsoft.ServiceBus/namespaces", "serviceBusName", "Standard")
        kind = f"Microsoft.ServiceBus/namespaces/{entity}"
        self.add(kind, f"[format('{{0}}/{name}', variables('serviceBusName'))]",
                 {"maxDeliveryCount": self.settings.max_receive_count} if entity == "queues"
                 else {}, depends=(f"[{ns}]",), api="2022-10-01-preview")  # fmt: skip
        scope = _child(kind, "serviceBusName", name)
        if subscription is not None:
            self.add(f"{kind}/subscriptions",
                     f"[format('{{0}}/{name}/{subscription}', variables('serviceBusName'))]",
                     {"maxDeliveryCount": self.settings.max_receive_count},
                     depends=(f"[{scope}]",), api="2022-10-01-preview")  # fmt: skip
        return scope

    def event_hub(self, name: str) -> str:
        ns = self.namespace("Microsoft.EventHub/namespaces", "eventHubsName", "Standard")
        kind = "Microsoft.EventHub/namespaces/eventhubs"
        self.add(kind, f"[format('{{0}}/{name}', variables('eventHubsName'))]",
                 {"partitionCount": 4}, depends=(f"[{ns}]",), api="2024-01-01")  # fmt: skip
        return _child(kind, "eventHubsName", name)

    def service(self, key: str, name: str, default: str) -> str:
        value = self.settings.azure.get(key)
        if isinstance(value, Mapping):
            value = value.get(name)
        return default if value is None else str(value)

    def trigger(self, fn: Function) -> None:
        trigger = fn.trigger
        if isinstance(trigger, Blob):
            self.grant("Storage Blob Data Owner", self.storage_child("blob", trigger.bucket))
            self.grant("Storage Queue Data Contributor", _ACCOUNT)  # blob receipts, poison queue
        elif isinstance(trigger, Queue):
            if self.service("queue_service", trigger.name, "storage") == "storage":
                scope = self.storage_child("queue", trigger.name)
                self.storage_child("queue", f"{trigger.name}-poison")
                self.grant("Storage Queue Data Reader", scope)
                self.grant("Storage Queue Data Message Processor", scope)
            else:
                self.grant(
                    "Azure Service Bus Data Receiver", self.bus_entity("queues", trigger.name)
                )
        elif isinstance(trigger, Topic):
            sub = _subscription(fn)
            self.bus_entity("topics", trigger.name, sub)
            scope = _child("Microsoft.ServiceBus/namespaces/topics/subscriptions",
                           "serviceBusName", f"{trigger.name}/{sub}")  # fmt: skip
            self.grant("Azure Service Bus Data Receiver", scope)
        elif isinstance(trigger, Stream):
            if "/" in trigger.name:
                database, _, container = trigger.name.partition("/")
                leases = self.service("cosmosdb_leases", trigger.name, "leases")
                self.add("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
                         f"[format('{{0}}/{database}/{leases}', parameters('cosmosAccountName'))]",
                         {"resource": {"id": leases, "partitionKey": {
                             "paths": ["/id"], "kind": "Hash"}}},
                         api="2024-05-15")  # fmt: skip
                created = ("[resourceId('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/"
                           f"containers', parameters('cosmosAccountName'), '{database}', "
                           f"'{leases}')]")  # fmt: skip
                self.cosmos[("Cosmos DB Built-in Data Reader", database, container)] = ()
                self.cosmos[("Cosmos DB Built-in Data Contributor", database, leases)] = (created,)
            else:
                self.grant("Azure Event Hubs Data Receiver", self.event_hub(trigger.name))

    def uses(self, fn: Function) -> None:
        for url, write in [(u, False) for u in fn.reads] + [(u, True) for u in fn.writes]:
            res = resource(url)
            if res.kind == "bucket":
                role = "Storage Blob Data Contributor" if write else "Storage Blob Data Reader"
                self.grant(role, self.storage_child("blob", res.name))
            elif res.kind == "queue" and write:
                self.grant("Storage Queue Data Message Sender",
                           self.storage_child("queue", res.name))  # fmt: skip
            elif res.kind == "queue":
                scope = self.storage_child("queue", res.name)
                self.grant("Storage Queue Data Message Processor", scope)
            elif res.kind == "topic" and write:
                self.grant("Azure Service Bus Data Sender", self.bus_entity("topics", res.name))
            elif res.kind == "stream":
                role = "Azure Event Hubs Data Sender" if write else "Azure Event Hubs Data Receiver"
                self.grant(role, self.event_hub(res.name))

    def app_settings(self) -> list[dict[str, Any]]:
        config = self.config
        values: dict[str, Any] = {
            "AzureWebJobsStorage__accountName": "[variables('storageAccountName')]",
            "APPLICATIONINSIGHTS_CONNECTION_STRING": (
                "[reference(resourceId('Microsoft.Insights/components', "
                "variables('insightsName')), '2020-02-02').ConnectionString]"
            ),
            "FAASKIT_LOG_LEVEL": config.log_level,
        }
        if config.azure_plan != "flex":
            values["FUNCTIONS_EXTENSION_VERSION"] = "~4"
            values["FUNCTIONS_WORKER_RUNTIME"] = "python"
            values["WEBSITE_CONTENTSHARE"] = "[toLower(variables('functionAppName'))]"
            values["WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"] = (
                "[format('DefaultEndpointsProtocol=https;AccountName={0};AccountKey={1};"
                f"EndpointSuffix={{2}}', variables('storageAccountName'), listKeys({_ACCOUNT}, "
                "'2023-01-01').keys[0].value, environment().suffixes.storage)]"
            )
        if config.metrics_namespace:
            values["FAASKIT_METRICS_NAMESPACE"] = config.metrics_namespace
        if config.stage:
            values["FAASKIT_STAGE"] = config.stage
        if any("ServiceBus" in k for k in self.resources):
            values["ServiceBusConnection__fullyQualifiedNamespace"] = (
                "[format('{0}.servicebus.windows.net', variables('serviceBusName'))]"
            )
        if any("EventHub" in k for k in self.resources):
            values["EventHubConnection__fullyQualifiedNamespace"] = (
                "[format('{0}.servicebus.windows.net', variables('eventHubsName'))]"
            )
        if any("DocumentDB" in k for k in self.resources):
            values["CosmosDBConnection__accountEndpoint"] = (
                "[format('https://{0}.documents.azure.com:443/', parameters('cosmosAccountName'))]"
            )
        for fn in self.app.functions:
            for key, value in environment(fn, self.settings).items():
                if isinstance(value, Secret) and config.azure_key_vault is not None:
                    vault = config.azure_key_vault
                    values[key] = (
                        f"@Microsoft.KeyVault(VaultName={vault.name};SecretName={value.name})"
                    )
                    if vault.resource_group is not None:
                        self.vault_secrets[value.name] = None  # through _arm_vault
                        continue
                    names = f"{_q(vault.name)}, {_q(value.name)}"
                    scope = f"resourceId('Microsoft.KeyVault/vaults/secrets', {names})"
                    self.grant("Key Vault Secrets User", scope)
                else:
                    values[key] = value
        self.settings_values = values
        return [{"name": k, "value": v} for k, v in values.items()]


def _subscription(fn: Function) -> str:
    try:
        from faaskit_azure.message import subscription_name

        return subscription_name(fn.handler)
    except ImportError:  # pragma: no cover - azure-functions is a build dependency
        return fn.trigger.subscription or fn.name  # type: ignore[union-attr]


def _python(settings: Settings) -> str:
    return settings.runtime.removeprefix("python") or f"{sys.version_info[0]}.{sys.version_info[1]}"
