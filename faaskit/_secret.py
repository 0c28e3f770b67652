"""``faaskit.secret``: a reference to a secret kept by the cloud, never its value."""

from __future__ import annotations

import re

import attrs

from faaskit.exceptions import ConfigurationError

__all__ = ["Secret", "secret"]

# What both Secrets Manager (letters, digits, /_+=.@-) and Key Vault (letters, digits, -)
# accept: a name valid on one cloud is valid on the other.
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,126}$")


@attrs.frozen(kw_only=True)
class Secret:
    """A secret named ``name``: an AWS Secrets Manager secret (or SSM SecureString
    parameter) or an Azure Key Vault secret, read by the platform at run time.
    """

    name: str

    def __repr__(self) -> str:
        return f"faaskit.secret({self.name!r})"


def secret(name: str) -> Secret:
    """Declare an environment value held as a secret.

    ::

        @faaskit.handler(trigger, env={"DB_PASSWORD": faaskit.secret("db-password")})

    ``faaskit build`` turns it into a reference (Secrets Manager / Key Vault) with read
    permission for the function; the value never appears in a template or an artifact.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ConfigurationError(
            f"secret name {name!r} must start with a letter and hold only letters, digits and "
            "hyphens (1-127 characters, a name both Secrets Manager and Key Vault accept)"
        )
    return Secret(name=name)
