"""``faaskit.toml``: stages override the app-wide settings; every bad key or value is reported
at once, naming the file, the table and the key.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import faaskit
from faaskit.deploy import Config, load_config
from faaskit.deploy._config import Vpc
from faaskit.deploy._vault import KeyVault
from faaskit.exceptions import ConfigurationError

FULL = """
rollout = "all-at-once"
log_level = "INFO"
[app]
name = "shop"
metrics_namespace = "Shop"
[env]
GREETING = "hello"
DB_PASSWORD = { secret = "db-password" }
[aws]
vpc = { subnets = ["subnet-0a1b2c3d", "subnet-0a1b2c3e"], security_groups = ["sg-0a1b2c3d"] }
[azure]
plan = "premium"
key_vault = "shop-vault"
[resources]
"sqs://orders" = "arn:aws:sqs:eu-west-1:123456789012:orders"
[stages.prod]
rollout = "canary10-5m"
log_level = "WARNING"
[stages.prod.env]
GREETING = "welcome"
[stages.prod.aws]
secrets = "ssm"
[stages.dev]
"""


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "faaskit.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config()


def test_the_top_level_settings_without_a_stage(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, FULL))
    assert config.name == "shop" and config.metrics_namespace == "Shop"
    assert config.env == {"GREETING": "hello", "DB_PASSWORD": faaskit.secret("db-password")}
    assert config.aws_vpc == Vpc(
        subnets=("subnet-0a1b2c3d", "subnet-0a1b2c3e"), security_groups=("sg-0a1b2c3d",)
    )
    assert config.azure_plan == "premium" and config.azure_key_vault == KeyVault(name="shop-vault")
    assert config.rollout == "all-at-once" and config.aws_secrets == "secretsmanager"
    assert config.resources == {"sqs://orders": "arn:aws:sqs:eu-west-1:123456789012:orders"}


def test_a_stage_overrides_and_merges_the_environment(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, FULL), "prod")
    assert config.stage == "prod"
    assert (config.rollout, config.log_level, config.aws_secrets) == (
        "canary10-5m",
        "WARNING",
        "ssm",
    )
    assert config.env == {"GREETING": "welcome", "DB_PASSWORD": faaskit.secret("db-password")}
    assert config.name == "shop"
    assert load_config(tmp_path, "dev").rollout == "all-at-once"


def test_every_problem_names_the_file_table_and_key(tmp_path: Path) -> None:
    _write(
        tmp_path,
        """
        log_level = "LOUD"
        [app]
        name = "Shop Online"
        region = "eu"
        [env]
        PORT = 8080
        [aws]
        vcp = { subnets = ["s"] }
        [azure]
        plan = "dedicated"
        [stages.prod.aws]
        vpc = { subnets = [] , security_groups = ["sg"] }
        [stages.prod.typo]
        x = 1
    """,
    )
    with pytest.raises(ConfigurationError) as caught:
        load_config(tmp_path, "prod")
    message = str(caught.value)
    assert str(tmp_path / "faaskit.toml") in message
    assert "8 problem(s)" in message, message
    for needle in (
        "top level: key 'log_level' must be one of DEBUG",
        "[app]: key 'name' must be",
        "[app]: unknown key 'region'",
        "[env]: key 'PORT' must be a string",
        "[aws]: unknown key 'vcp'",
        "[azure]: key 'plan' must be one of flex, premium, consumption, got 'dedicated'",
        "[stages.prod.aws]: key 'vpc' must be",
        "[stages.prod]: unknown key 'typo'",
    ):
        assert needle in message, needle


def test_an_undeclared_stage_is_refused_listing_the_declared_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"stage 'prd' is not declared.*dev, prod"):
        load_config(_write(tmp_path, FULL), "prd")
    with pytest.raises(ConfigurationError, match="stage 'Prod!' must be"):
        load_config(tmp_path, "Prod!")


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    _write(tmp_path, "[app\nname = 1\n")
    with pytest.raises(ConfigurationError, match=r"faaskit\.toml: not valid TOML"):
        load_config(tmp_path)


def test_a_secret_with_an_invalid_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"\[env\]: key 'TOKEN' must be"):
        load_config(_write(tmp_path, '[env]\nTOKEN = { secret = "no spaces allowed" }\n'))
    with pytest.raises(ConfigurationError, match="secret name"):
        faaskit.secret("bad name")


SUB = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"shop-vault"', KeyVault(name="shop-vault")),
        (f'"/subscriptions/{SUB}/resourceGroups/shared-rg/providers/Microsoft.KeyVault/vaults/kv1"',
         KeyVault(name="kv1", resource_group="shared-rg", subscription=SUB)),
        ('{ name = "kv1", resource_group = "shared-rg" }',
         KeyVault(name="kv1", resource_group="shared-rg")),
        (f'{{ name = "kv1", resource_group = "shared-rg", subscription = "{SUB}" }}',
         KeyVault(name="kv1", resource_group="shared-rg", subscription=SUB)),
    ],
)  # fmt: skip
def test_a_key_vault_by_name_resource_id_or_table(
    tmp_path: Path, value: str, expected: KeyVault
) -> None:
    _write(tmp_path, f"[azure]\nkey_vault = {value}\n")
    assert load_config(tmp_path).azure_key_vault == expected


@pytest.mark.parametrize(
    "value",
    [
        '"k"',  # too short
        '"shop--vault"',
        '{ resource_group = "shared-rg" }',
        '{ name = "kv1", group = "shared-rg" }',
        f'{{ name = "kv1", subscription = "{SUB}" }}',
        '"/subscriptions/x/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/kv1"',
        '"/subscriptions/not-a-guid/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv1"',
    ],
)
def test_a_bad_key_vault_is_refused_naming_the_forms(tmp_path: Path, value: str) -> None:
    _write(tmp_path, f"[azure]\nkey_vault = {value}\n")
    with pytest.raises(
        ConfigurationError, match=r"\[azure\]: key 'key_vault' must be a vault name"
    ):
        load_config(tmp_path)
