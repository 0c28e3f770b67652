"""Configuration, versions and stages (book ch. 2 and 8): one function whose settings come
from ``faaskit.toml`` and the handler declaration, shipped with a third-party dependency, and
released per stage.

- Configuration: app-wide ``[env]`` plus per-stage overrides (``[stages.dev.env]``,
  ``[stages.prod.env]``); ``memory``, ``timeout`` and ``env`` on the handler.
- Deployment package with a third-party dependency: ``humanize`` from ``requirements.txt`` is
  installed into ``package.zip`` (and the Azure project's requirements) by ``faaskit build``.
- Versions and aliases: ``faaskit build --stage prod`` publishes a version behind the ``live``
  alias of the prod stack and shifts traffic to it as a canary (``rollout = "canary10-5m"``, SAM
  ``AutoPublishAlias`` + ``DeploymentPreference``); ``dev`` deploys all at once.

    faaskit invoke samples/release_stages/app.py:status path=/status query:='{"bytes": "2048"}'
    faaskit build samples/release_stages/app.py --stage prod --target all --out build/
"""

from __future__ import annotations

import os

import faaskit


@faaskit.handler(
    faaskit.http("GET", "/status"), memory=256, timeout=10, env={"SIZE_FORMAT": "binary"}
)
def status(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, str]:
    """The stage's settings, and ``?bytes=`` in human units (the third-party dependency,
    imported on first use: a cold start that does not need it does not pay for it).
    """
    import humanize

    raw = req.query.get("bytes") or "0"
    if not raw.isdigit():
        raise faaskit.BadRequestError(f"bytes must be a whole number, got {raw!r}")
    binary = os.environ.get("SIZE_FORMAT") == "binary"
    return {
        "stage": os.environ.get("STAGE", "local"),
        "greeting": os.environ.get("GREETING", "Hello"),
        "size": humanize.naturalsize(int(raw), binary=binary),
    }
