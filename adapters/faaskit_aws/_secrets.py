"""Secrets named by the template in ``FAASKIT_SECRETS``, read once per process into the
environment variables they were declared as (``env={"DB_PASSWORD": faaskit.secret(...)}``).

The template holds only the secrets' names; the values come from Secrets Manager
(``GetSecretValue``) or SSM Parameter Store (``GetParameter`` with decryption) at cold start,
so they never appear in the template, the function configuration, the package or a log.
https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from typing import Any

from faaskit.exceptions import ConfigurationError

__all__ = ["VARIABLE", "load_secrets"]

VARIABLE = "FAASKIT_SECRETS"


def _value(client: Any, store: str, name: str) -> str:
    if store == "ssm":
        found = client.get_parameter(Name=name, WithDecryption=True)
        return str(found["Parameter"]["Value"])
    found = client.get_secret_value(SecretId=name)
    if "SecretString" not in found:
        raise ConfigurationError(f"secret {name!r} holds binary data; store it as a string")
    return str(found["SecretString"])


def load_secrets(environ: MutableMapping[str, str] | None = None, client: Any = None) -> None:
    """Set each declared secret's environment variable from its store; ``FAASKIT_SECRETS``
    is removed once every one was read. A secret that cannot be read raises, naming it (never
    its value), and is tried again on the next import: the function never runs without it.
    """
    env = os.environ if environ is None else environ
    spec = env.get(VARIABLE)
    if not spec:
        return
    try:
        declared = json.loads(spec)
        store, names = declared["store"], dict(declared["names"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"{VARIABLE} is malformed: {exc}") from None
    if client is None:
        import boto3

        client = boto3.client("ssm" if store == "ssm" else "secretsmanager")
    for variable, name in names.items():
        try:
            env[variable] = _value(client, store, name)
        except ConfigurationError:
            raise
        except Exception as exc:
            raise ConfigurationError(
                f"cannot read secret {name!r} for environment variable {variable!r} from "
                f"{store}: {type(exc).__name__}"
            ) from exc
    del env[VARIABLE]
