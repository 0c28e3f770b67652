"""Security (book ch. 7): least privilege, a VPC, secrets and cross-account access.

- Least privilege: ``reads=`` names the one bucket the function may read, so the SAM policy
  allows ``s3:GetObject``/``ListBucket`` on it and nothing else (on Azure, the managed
  identity gets a read role on that container only).
- Secrets: ``DB_PASSWORD`` is ``faaskit.secret("db-password")``: Secrets Manager on AWS, Key
  Vault (``[azure] key_vault``) on Azure; the value never appears in a template.
- VPC: ``[aws] vpc`` (subnets, security groups) and ``[azure] vnet`` in ``faaskit.toml``.
- Cross-account access: the partner's bucket lives in another AWS account; ``[resources]``
  maps the logical ``s3://partner-reports`` to its ARN, and the policy grants exactly that.
- Only callers with a JWT from the declared issuer and audience reach the handler.

    faaskit serve samples/secure_access/app.py
    curl -H "Authorization: Bearer $(faaskit token samples/secure_access/app.py --sub ada)" \\
        localhost:3000/reports/2026-q1.csv
    faaskit build samples/secure_access/app.py --target all --out build/
"""

from __future__ import annotations

import os

import faaskit
from faaskit import storage

PARTNER = "partner-reports"
AUTH = {"jwt": {"issuer": "https://auth.example.com/", "audience": ["reports"]}}

_BLOBS = {"aws": "s3", "azure": "azure"}


@faaskit.handler(
    faaskit.http("GET", "/reports/{name}", auth=AUTH),
    reads=[f"s3://{PARTNER}"],
    env={"DB_PASSWORD": faaskit.secret("db-password")},
)
def report(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    """One CSV report of the partner's bucket, for a signed-in caller."""
    if not os.environ.get("DB_PASSWORD"):
        raise faaskit.HTTPError(503, "the database secret is not configured")
    name = req.path_params["name"]
    if not name.endswith(".csv"):
        raise faaskit.NotFoundError(f"no report {name!r}")
    store = storage.blobs(f"{_BLOBS.get(ctx.platform, 's3')}://{PARTNER}")
    try:
        data = store.get(name)
    except storage.BlobNotFound:
        raise faaskit.NotFoundError(f"no report {name!r}") from None
    ctx.log.info("report %s read by %s", name, req.principal.id if req.principal else None)
    return faaskit.Response(data, content_type="text/csv")
