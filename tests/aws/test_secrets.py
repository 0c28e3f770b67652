"""Declared secrets are read from Secrets Manager or SSM (a moto server here) into the
environment variables they were declared as; a missing one fails, naming it.
"""

from __future__ import annotations

import json

import boto3
import pytest

from faaskit.exceptions import ConfigurationError
from faaskit_aws._secrets import VARIABLE, load_secrets
from tests.services import MotoServer

pytestmark = pytest.mark.services


@pytest.fixture
def aws(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    for key, value in moto_server.env.items():
        monkeypatch.setenv(key, value)
    return moto_server


def _spec(store: str, names: dict[str, str]) -> str:
    return json.dumps({"store": store, "names": names})


def test_secrets_manager_values_fill_the_declared_variables(aws: MotoServer) -> None:
    boto3.client("secretsmanager").create_secret(Name="db-pass-sm", SecretString="hunter2")
    env = {VARIABLE: _spec("secretsmanager", {"DB_PASSWORD": "db-pass-sm"}), "KEEP": "1"}
    load_secrets(env)
    assert env == {"DB_PASSWORD": "hunter2", "KEEP": "1"}


def test_ssm_secure_strings_are_decrypted(aws: MotoServer) -> None:
    boto3.client("ssm").put_parameter(Name="api-token-ssm", Value="t0k3n", Type="SecureString")
    env = {VARIABLE: _spec("ssm", {"API_TOKEN": "api-token-ssm"})}
    load_secrets(env)
    assert env == {"API_TOKEN": "t0k3n"}


def test_a_missing_secret_fails_naming_it_and_is_retried(aws: MotoServer) -> None:
    boto3.client("secretsmanager").create_secret(Name="present-one", SecretString="v4lue")
    spec = _spec("secretsmanager", {"A": "present-one", "B": "absent-one"})
    env = {VARIABLE: spec}
    with pytest.raises(ConfigurationError, match="'absent-one' for environment variable 'B'") as e:
        load_secrets(env)
    assert "v4lue" not in str(e.value)
    assert env[VARIABLE] == spec  # the next cold start attempt reads them again


def test_nothing_declared_reads_nothing() -> None:
    env = {"X": "1"}
    load_secrets(env, client=object())
    assert env == {"X": "1"}
