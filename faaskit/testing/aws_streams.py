"""Realistic AWS stream events: Kinesis Data Streams and DynamoDB Streams.

Shapes follow the AWS documentation:
- Kinesis: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
- DynamoDB Streams: https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
- Attribute values: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from faaskit.testing._common import ACCOUNT, REGION, body_bytes, new_id

__all__ = ["dynamodb", "dynamodb_value", "kinesis"]


def kinesis(
    data: Any = "Hello from Kinesis!",
    *,
    stream: str = "my-stream",
    partition_key: str = "partition-1",
    records: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """A Kinesis Data Streams batch, one record per item of ``records`` (default ``[data]``)."""
    base = 49590338271490256608559692538361571095921575989136588898
    now = time.time()
    out = []
    for index, item in enumerate(records if records is not None else [data]):
        sequence = str(base + index)
        out.append(
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": partition_key,
                    "sequenceNumber": sequence,
                    "data": base64.b64encode(body_bytes(item)).decode("ascii"),
                    "approximateArrivalTimestamp": round(now, 3),
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"shardId-000000000000:{sequence}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": f"arn:aws:iam::{ACCOUNT}:role/lambda-role",
                "awsRegion": REGION,
                "eventSourceARN": f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{stream}",
            }
        )
    return {"Records": out}


def dynamodb_value(value: Any) -> dict[str, Any]:
    """A plain Python value as a DynamoDB attribute value (``{"S": ...}``, ``{"N": ...}``)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float | Decimal):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes):
        return {"B": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Mapping):
        return {"M": {str(k): dynamodb_value(v) for k, v in value.items()}}
    if isinstance(value, set | frozenset):
        items = sorted(value, key=str)
        if all(isinstance(i, str) for i in items):
            return {"SS": items}
        if all(isinstance(i, bytes) for i in items):
            return {"BS": [base64.b64encode(i).decode("ascii") for i in items]}
        return {"NS": [str(i) for i in items]}
    if isinstance(value, list | tuple):
        return {"L": [dynamodb_value(v) for v in value]}
    raise TypeError(f"cannot express {type(value).__name__} as a DynamoDB attribute value")


def dynamodb(
    new: Mapping[str, Any] | None = None,
    old: Mapping[str, Any] | None = None,
    *,
    table: str = "my-table",
    keys: Sequence[str] = ("id",),
    action: str | None = None,
) -> dict[str, Any]:
    """A DynamoDB Streams record (``NEW_AND_OLD_IMAGES``); the action follows the images."""
    if new is None and old is None:
        new = {"id": "item-1", "name": "example", "count": 1}
    name = action or ("INSERT" if old is None else "REMOVE" if new is None else "MODIFY")
    image = new if new is not None else old
    assert image is not None
    record: dict[str, Any] = {
        "ApproximateCreationDateTime": int(time.time()),
        "Keys": {k: dynamodb_value(image[k]) for k in keys if k in image},
        "SequenceNumber": "111000000000000000000001",
        "SizeBytes": len(json.dumps(dynamodb_value(dict(image)))),
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if new is not None:
        record["NewImage"] = dynamodb_value(dict(new))["M"]
    if old is not None:
        record["OldImage"] = dynamodb_value(dict(old))["M"]
    return {
        "Records": [
            {
                "eventID": new_id().replace("-", ""),
                "eventName": name.upper(),
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": REGION,
                "dynamodb": record,
                "eventSourceARN": _table_stream(table),
            }
        ]
    }


def _table_stream(table: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}/stream/2024-01-01T00:00:00.000"
