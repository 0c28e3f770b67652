"""``azure/azuredeploy.json``: every expression resolves, ``dependsOn`` is acyclic, role ids
are real built-in roles, each function's connection setting exists, every declared resource
is present, and each declared use gets exactly its role on exactly its resource.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import Settings, build, configure, load_app
from faaskit_azure.deploy import connections
from tests.deploy.arm import (
    BUILT_IN_ROLES,
    COSMOS_ROLES,
    Evaluator,
    grants_by_principal,
    role_assignments,
)
from tests.deploy.helpers import ALL_TRIGGERS, SAMPLES

AZURE_SAMPLES = list(SAMPLES)
SUBNET = "/subscriptions/0/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/s"


def _arm(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / "azure" / "azuredeploy.json").read_text())
    return loaded


def _site(template: dict[str, Any]) -> dict[str, Any]:
    (site,) = [r for r in template["resources"] if r["type"] == "Microsoft.Web/sites"]
    return site


def _settings(template: dict[str, Any]) -> dict[str, str]:
    return {
        s["name"]: s["value"] for s in _site(template)["properties"]["siteConfig"]["appSettings"]
    }


@pytest.mark.parametrize("app", AZURE_SAMPLES, ids=[p.parent.name for p in AZURE_SAMPLES])
def test_every_expression_resolves_and_dependencies_are_acyclic(
    app: Path, built: Callable[[Path], Path]
) -> None:
    template = _arm(built(app))
    ev = Evaluator(template)
    ev.walk(template["resources"])
    ev.walk(template["outputs"])
    assert ev.problems == []
    assert ev.cycle() is None
    assert ev.roles and set(ev.roles) <= {*BUILT_IN_ROLES, *COSMOS_ROLES}
    names = [(r["type"], str(ev.value(r["name"]))) for r in template["resources"]]
    assert len(names) == len(set(names))  # ARM refuses two resources of one id
    for res in template["resources"]:
        if res["type"] == "Microsoft.Authorization/roleAssignments":
            role_id = res["properties"]["roleDefinitionId"].split("'")[-2]
            assert res["properties"]["description"] == BUILT_IN_ROLES[role_id]


@pytest.mark.parametrize("app", AZURE_SAMPLES, ids=[p.parent.name for p in AZURE_SAMPLES])
def test_each_connection_the_bindings_name_has_an_identity_setting(
    app: Path, built: Callable[[Path], Path]
) -> None:
    loaded = load_app(str(app))
    settings = _settings(_arm(built(app)))
    for name in connections(loaded, configure(loaded)):
        suffixes = ("__accountName", "__fullyQualifiedNamespace", "__accountEndpoint")
        assert any(f"{name}{s}" in settings for s in suffixes), (name, sorted(settings))
        assert name not in settings  # identity, not a connection string


def test_every_declared_resource_is_present(built: Callable[[Path], Path]) -> None:
    template = _arm(built(ALL_TRIGGERS))
    ev = Evaluator(template)
    names = {(t.rsplit("/", 1)[-1], n.split("/")[-1]) for t, n in ev.declared}
    loaded = load_app(str(ALL_TRIGGERS))
    for fn in loaded.functions:
        trigger = fn.trigger
        kind = type(trigger).__name__
        if kind == "Blob":
            assert ("containers", trigger.bucket) in names  # type: ignore[union-attr]
        elif kind == "Queue":
            assert ("queues", trigger.name) in names  # type: ignore[union-attr]
        elif kind == "Topic":
            assert ("topics", trigger.name) in names  # type: ignore[union-attr]
            assert any(t == "subscriptions" for t, _ in names)
        elif kind == "Stream" and "/" not in trigger.name:  # type: ignore[union-attr]
            assert ("eventhubs", trigger.name) in names  # type: ignore[union-attr]
    types = {t for t, _ in ev.declared}
    assert {"Microsoft.Web/sites", "Microsoft.Web/serverfarms", "Microsoft.Storage/storageAccounts",
            "Microsoft.Insights/components"} <= types  # fmt: skip


RBAC_APP = """
import faaskit

@faaskit.handler(faaskit.queue("jobs"), reads=["azure://inbox"], writes=["azure://outbox",
                 "azure-queue://done"])
def work(message, ctx):
    return None
"""


def test_each_declared_use_gets_exactly_its_role_on_its_resource(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent(RBAC_APP), encoding="utf-8")
    build(str(tmp_path / "app.py"), target="azure", out=tmp_path / "out")
    granted = role_assignments(_arm(tmp_path / "out"))
    by_resource: dict[str, set[str]] = {}
    for role, scope in granted:
        by_resource.setdefault(scope.split(":", 2)[2].split("/")[-1], set()).add(role)
    assert by_resource["inbox"] == {"Storage Blob Data Reader"}
    assert by_resource["outbox"] == {"Storage Blob Data Contributor"}
    assert by_resource["done"] == {"Storage Queue Data Message Sender"}
    assert by_resource["jobs"] == {
        "Storage Queue Data Reader", "Storage Queue Data Message Processor",
    }  # fmt: skip
    account_roles = {
        r for r, s in granted if s.startswith("rid:Microsoft.Storage/storageAccounts:")
    }
    assert account_roles == {"Storage Blob Data Owner"}  # the host's own storage, nothing more


def test_the_staging_slot_can_do_what_production_does_and_no_more(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent(RBAC_APP), encoding="utf-8")
    (tmp_path / "faaskit.toml").write_text(
        '[stages.prod]\nrollout = "linear10-1m"\n[stages.prod.azure]\nplan = "premium"\n',
        encoding="utf-8",
    )
    build(str(tmp_path / "app.py"), target="azure", out=tmp_path / "out", stage="prod")
    template = _arm(tmp_path / "out")
    ev = Evaluator(template)
    ev.walk(template["resources"])
    assert ev.problems == [] and ev.cycle() is None
    by_identity = grants_by_principal(template)
    site = next(k for k in by_identity if k.startswith("rid:Microsoft.Web/sites:"))
    slot = next(k for k in by_identity if k.startswith("rid:Microsoft.Web/sites/slots:"))
    assert set(by_identity) == {site, slot} and slot.endswith("/staging")
    assert by_identity[slot] == by_identity[site]
    assert ("Storage Blob Data Reader", next(
        s for _, s in by_identity[slot] if s.endswith("/inbox"))) in by_identity[slot]  # fmt: skip
    (slot_res,) = [r for r in template["resources"] if r["type"] == "Microsoft.Web/sites/slots"]
    assert slot_res["identity"] == {"type": "SystemAssigned"}
    names = [str(ev.value(r["name"])) for r in template["resources"]
             if r["type"] == "Microsoft.Authorization/roleAssignments"]  # fmt: skip
    assert len(names) == len(set(names))
    # without a slot, production alone
    build(str(tmp_path / "app.py"), target="azure", out=tmp_path / "plain")
    assert list(grants_by_principal(_arm(tmp_path / "plain"))) == [site]


COSMOS_APP = """
import faaskit

@faaskit.handler(faaskit.stream("shop/orders"))
def changed(batch, ctx):
    return None
"""


@pytest.mark.parametrize("leases", [None, "checkpoints"])
def test_a_cosmos_trigger_reads_its_container_and_writes_only_its_leases(
    tmp_path: Path, leases: str | None
) -> None:
    (tmp_path / "app.py").write_text(COSMOS_APP, encoding="utf-8")
    (tmp_path / "faaskit.toml").write_text(
        '[stages.prod]\nrollout = "canary10-5m"\n[stages.prod.azure]\nplan = "premium"\n',
        encoding="utf-8",
    )
    azure = {"cosmosdb_leases": leases} if leases else {}
    build(str(tmp_path / "app.py"), target="azure", out=tmp_path / "out", stage="prod",
          settings=Settings(azure=azure))  # fmt: skip
    template = _arm(tmp_path / "out")
    ev = Evaluator(template)
    ev.walk(template["resources"])
    assert ev.problems == [] and ev.cycle() is None
    assert set(ev.roles) & set(COSMOS_ROLES)
    account = "rid:Microsoft.DocumentDB/databaseAccounts:<param cosmosAccountName>"
    lease = leases or "leases"
    by_identity = grants_by_principal(template)
    cosmos = {
        who: {g for g in grants if g[0].startswith("Cosmos DB")}
        for who, grants in by_identity.items()
    }
    expected = {
        ("Cosmos DB Built-in Data Reader", f"{account}/dbs/shop/colls/orders"),
        ("Cosmos DB Built-in Data Contributor", f"{account}/dbs/shop/colls/{lease}"),
    }
    assert len(cosmos) == 2 and all(found == expected for found in cosmos.values())
    containers = [str(ev.value(r["name"])) for r in template["resources"]
                  if r["type"].endswith("sqlDatabases/containers")]  # fmt: skip
    assert containers == [f"<param cosmosAccountName>/shop/{lease}"]
    settings = _settings(template)
    assert settings["CosmosDBConnection__accountEndpoint"].startswith("[format('https://{0}.doc")
    assert "CosmosDBConnection" not in settings


SECRET_APP = """
import faaskit

@faaskit.handler(faaskit.http("GET", "/"), env={"DB_PASSWORD": faaskit.secret("db-password"),
                                             "API_KEY": faaskit.secret("api-key")})
def home(req, ctx):
    return {}
"""


@pytest.mark.parametrize(
    "vault",
    [
        '{ name = "shared-kv", resource_group = "shared-rg" }',
        '"/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourceGroups/shared-rg/providers/'
        'Microsoft.KeyVault/vaults/shared-kv"',
    ],
)
def test_a_vault_in_another_resource_group_is_granted_through_a_nested_deployment(
    tmp_path: Path, vault: str
) -> None:
    (tmp_path / "app.py").write_text(SECRET_APP, encoding="utf-8")
    toml = f'[azure]\nkey_vault = {vault}\n[stages.prod]\nrollout = "canary10-5m"\n' \
        '[stages.prod.azure]\nplan = "premium"\n'  # fmt: skip
    (tmp_path / "faaskit.toml").write_text(toml, encoding="utf-8")
    build(str(tmp_path / "app.py"), target="azure", out=tmp_path / "out", stage="prod")
    template = _arm(tmp_path / "out")
    ev = Evaluator(template)
    ev.walk(template["resources"])
    assert ev.problems == [] and ev.cycle() is None
    assert set(ev.roles) <= set(BUILT_IN_ROLES)
    settings = _settings(template)
    assert settings["API_KEY"] == "@Microsoft.KeyVault(VaultName=shared-kv;SecretName=api-key)"
    (nested,) = [r for r in template["resources"] if r["type"] == "Microsoft.Resources/deployments"]
    assert nested["resourceGroup"] == "shared-rg"
    assert ("subscriptionId" in nested) == vault.startswith('"/subscriptions/')
    secrets = "rid:Microsoft.KeyVault/vaults/secrets:shared-kv"
    expected = {("Key Vault Secrets User", f"{secrets}/{name}@shared-rg")
                for name in ("api-key", "db-password")}  # fmt: skip
    by_identity = grants_by_principal(template)
    assert len(by_identity) == 2  # the app and its staging slot
    for grants in by_identity.values():
        assert {g for g in grants if g[0].startswith("Key Vault")} == expected
    # nothing in the deployment's own group names the vault
    outer = [r for r in template["resources"] if r is not nested]
    assert "shared-kv/" not in json.dumps(outer).replace("VaultName=shared-kv;", "")
    nested["properties"]["parameters"].popitem()  # an inner parameter left without a value
    broken = Evaluator(template)
    broken.walk(template["resources"])
    assert any("parameters do not match" in p for p in broken.problems)


def test_stage_settings_become_slot_auth_secrets_vnet_and_cors(tmp_path: Path) -> None:
    app = """
    import faaskit

    JWT = {"jwt": {"issuer": "https://login.example.com/", "audience": ["api://shop"]}}

    @faaskit.handler(faaskit.http("GET", "/me", auth=JWT, cors={"origins": ["https://a.example"]}),
                     env={"DB_PASSWORD": faaskit.secret("db-password"), "MODE": "live"})
    def me(req, ctx):
        return {}

    @faaskit.handler(faaskit.queue("jobs"))
    def job(message, ctx):
        return None
    """
    toml = """
    [app]
    name = "shop"
    metrics_namespace = "Shop"
    [azure]
    key_vault = "shop-vault"
    [stages.prod]
    rollout = "canary10-5m"
    [stages.prod.azure]
    plan = "premium"
    vnet = { subnet = "SUBNET" }
    """.replace("SUBNET", SUBNET)
    (tmp_path / "app.py").write_text(textwrap.dedent(app), encoding="utf-8")
    (tmp_path / "faaskit.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
    build(str(tmp_path / "app.py"), target="azure", out=tmp_path / "out", stage="prod")
    template = _arm(tmp_path / "out")
    ev = Evaluator(template)
    ev.walk(template["resources"])
    assert ev.problems == [] and ev.cycle() is None
    settings = _settings(template)
    assert (
        settings["DB_PASSWORD"]
        == "@Microsoft.KeyVault(VaultName=shop-vault;SecretName=db-password)"
    )
    assert settings["MODE"] == "live" and settings["FAASKIT_METRICS_NAMESPACE"] == "Shop"
    assert settings["FAASKIT_STAGE"] == "prod"
    secret = "rid:Microsoft.KeyVault/vaults/secrets:shop-vault/db-password"
    assert ("Key Vault Secrets User", secret) in role_assignments(template)
    site = _site(template)["properties"]
    assert site["virtualNetworkSubnetId"].endswith("/subnets/s")
    assert site["siteConfig"]["cors"] == {"allowedOrigins": ["https://a.example"],
                                          "supportCredentials": False}  # fmt: skip
    by_type = {r["type"]: r for r in template["resources"]}
    slot = by_type["Microsoft.Web/sites/slots"]
    slot_settings = {s["name"]: s["value"] for s in slot["properties"]["siteConfig"]["appSettings"]}
    assert slot_settings["AzureWebJobs.job.Disabled"] == "true"
    assert "AzureWebJobs.me.Disabled" not in slot_settings
    configs = [r for r in template["resources"] if r["type"] == "Microsoft.Web/sites/config"]
    sticky = next(c for c in configs if "slotConfigNames" in c["name"])
    assert sticky["properties"]["appSettingNames"] == ["AzureWebJobs.job.Disabled"]
    auth = next(c for c in configs if "authsettingsV2" in c["name"])["properties"]
    (provider,) = auth["identityProviders"]["customOpenIdConnectProviders"].values()
    assert provider["openIdConnectConfiguration"]["wellKnownOpenIdConfiguration"] == (
        "https://login.example.com/.well-known/openid-configuration"
    )
    assert provider["registration"]["clientId"] == "api://shop"
    text = (tmp_path / "out" / "azure" / "azuredeploy.json").read_text()
    assert "db-password" in text and "hunter2" not in text


def test_the_evaluator_finds_a_dangling_reference_and_a_cycle(
    built: Callable[[Path], Path],
) -> None:
    template = _arm(built(ALL_TRIGGERS))
    broken = json.loads(json.dumps(template))
    broken["resources"] = [
        r for r in broken["resources"] if not r["type"].endswith("blobServices/containers")
    ]
    ev = Evaluator(broken)
    ev.walk(broken["resources"])
    assert any("containers" in p for p in ev.problems)
    cyclic = json.loads(json.dumps(template))
    plan = next(r for r in cyclic["resources"] if r["type"] == "Microsoft.Web/serverfarms")
    plan["dependsOn"] = ["[resourceId('Microsoft.Web/sites', variables('functionAppName'))]"]
    assert Evaluator(cyclic).cycle() is not None
