"""Idempotency record stores in the SAM template: lifecycle rules and permissions.

Each idempotent function may read, write and delete objects in its store's bucket (SAM's
``S3CrudPolicy`` plus the storage API's write extras, through :func:`policies`). Each store
bucket gets one lifecycle rule per function, expiring the function's records a day or more
after ``expires`` (S3 counts whole days), added to the bucket the template declares for the
store; an existing bucket named in ``faaskit.toml`` is left to its owner.

S3 lifecycle configuration in CloudFormation:
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-lifecycleconfig.html
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from faaskit.deploy._idempotency import RecordStore
from faaskit.deploy._model import logical_id

__all__ = ["lifecycle_resources"]


def _rule(store: RecordStore) -> dict[str, Any]:
    digest = hashlib.sha256(store.prefix.encode()).hexdigest()[:12]
    return {
        "Id": f"faaskit-idempotency-{digest}",
        "Status": "Enabled",
        "Prefix": store.prefix,
        "ExpirationInDays": store.days,
    }


def lifecycle_resources(stores: Iterable[RecordStore], resources: dict[str, Any]) -> dict[str, Any]:
    """``resources`` with a lifecycle rule on the bucket of every S3 record store."""
    out = dict(resources)
    for store in stores:
        if not store.url.startswith("s3://"):
            continue
        bucket = out.get(logical_id(store.resource.name, "Bucket"))
        if bucket is None or bucket.get("Type") != "AWS::S3::Bucket":
            continue  # an existing bucket named in faaskit.toml: its owner sets its lifecycle
        props = bucket.setdefault("Properties", {})
        rules = props.setdefault("LifecycleConfiguration", {}).setdefault("Rules", [])
        rule = _rule(store)
        if all(existing.get("Id") != rule["Id"] for existing in rules):
            rules.append(rule)
    return out
