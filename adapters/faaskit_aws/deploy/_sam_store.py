"""The storage resources of a SAM template: buckets, queues (each with its dead-letter queue),
topics, streams and tables, created once each under stage-scoped physical names, or referenced
when ``faaskit.toml`` names existing ones; every created one is listed in the outputs.

Resource types: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from faaskit.deploy._model import Resource, Settings, logical_id
from faaskit.deploy._names import Names, key

__all__ = ["Store"]

_ARNS = {
    "bucket": "arn:${AWS::Partition}:s3:::${name}",
    "queue": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${name}",
    "topic": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${name}",
    "stream": "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${name}",
}
# S3 bucket names are global: a scoped bucket ends in the account id (13 characters with "-").
_ACCOUNT = "-${AWS::AccountId}"
_ACCOUNT_CHARS = 13
_PRIVATE_BUCKET = {
    "PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True, "BlockPublicPolicy": True,
        "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    },
    "BucketEncryption": {"ServerSideEncryptionConfiguration": [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}},
    ]},
}  # fmt: skip


class Store:
    """Declares each storage resource once however many functions use it."""

    def __init__(self, settings: Settings, names: Names | None = None) -> None:
        self.settings = settings
        self.names = names or Names()
        self.resources: dict[str, Any] = {}
        self.parameters: dict[str, Any] = {}
        self._owners: dict[str, tuple[str, str]] = {}
        self._physical: dict[str, Any] = {}
        self._created: dict[str, tuple[str, str]] = {}

    def _id(self, name: str, suffix: str) -> str:
        """The logical id of resource ``name``: ``orders-1`` and ``orders1`` get different ones."""
        wanted = logical_id(name, suffix)
        if self._owners.setdefault(wanted, (name, suffix)) == (name, suffix):
            return wanted
        digest = hashlib.sha256(name.encode()).hexdigest()[:8].upper()
        unique = logical_id(name, f"X{digest}{suffix}")
        self._owners.setdefault(unique, (name, suffix))
        return unique

    def _add(self, name: str, kind: str, props: dict[str, Any]) -> dict[str, Any]:
        self.resources.setdefault(name, {"Type": kind, "Properties": props})
        return {"Ref": name}

    def _arn(self, name: str) -> dict[str, Any]:
        return {"Fn::GetAtt": [name, "Arn"]}

    def name_of(self, kind: str, name: str) -> Any:
        """The physical name (a string, or ``Fn::Sub`` for account-scoped buckets)."""
        found = key(kind, name)
        if found not in self._physical:
            if kind == "bucket" and self.names.prefix and not self.names.is_existing(kind, name):
                scoped = self.names.physical(kind, name, reserve=_ACCOUNT_CHARS)
                self._physical[found] = {"Fn::Sub": scoped + _ACCOUNT}
            else:
                self._physical[found] = self.names.physical(kind, name, reserve=4)
        return self._physical[found]

    def arn_of(self, kind: str, name: str) -> Any:
        """The ARN of a bucket, queue, topic or stream, by its physical name."""
        return {"Fn::Sub": [_ARNS[kind], {"name": self.name_of(kind, name)}]}

    def _created_as(self, kind: str, name: str, logical: str) -> bool:
        """Record ``logical`` as the resource of ``kind:name``; False when it is existing."""
        if self.names.is_existing(kind, name):
            return False
        self._created.setdefault(key(kind, name), (logical, kind))
        return True

    def bucket(self, name: str) -> dict[str, Any] | None:
        """``Ref`` of the bucket (created here), or None for an existing one."""
        bucket = self._id(name, "Bucket")
        if not self._created_as("bucket", name, bucket):
            return None
        return self._add(bucket, "AWS::S3::Bucket", {
            "BucketName": self.name_of("bucket", name), **_PRIVATE_BUCKET,
        })  # fmt: skip

    def queue(self, name: str, timeout: int) -> Any:
        """The ARN of the queue (created here, with its dead-letter queue, unless existing)."""
        queue_id = self._id(name, "Queue")
        if not self._created_as("queue", name, queue_id):
            return self.arn_of("queue", name)
        physical = self.name_of("queue", name)
        dlq_id = self._id(name, "DeadLetterQueue")
        self._add(dlq_id, "AWS::SQS::Queue", {
            "QueueName": f"{physical}-dlq",
            "MessageRetentionPeriod": 1209600,
            "SqsManagedSseEnabled": True,
        })  # fmt: skip
        self._add(queue_id, "AWS::SQS::Queue", {
            "QueueName": physical,
            "VisibilityTimeout": min(6 * timeout, 43200),
            "SqsManagedSseEnabled": True,
            "RedrivePolicy": {
                "deadLetterTargetArn": self._arn(dlq_id),
                "maxReceiveCount": self.settings.max_receive_count,
            },
        })  # fmt: skip
        return self._arn(queue_id)

    def topic(self, name: str) -> Any:
        """``Ref`` (the ARN) of the topic, created here unless existing."""
        topic_id = self._id(name, "Topic")
        if not self._created_as("topic", name, topic_id):
            return self.arn_of("topic", name)
        return self._add(topic_id, "AWS::SNS::Topic", {"TopicName": self.name_of("topic", name)})

    def stream(self, name: str) -> Any:
        """The ARN of the Kinesis stream, created here unless existing."""
        stream_id = self._id(name, "Stream")
        if not self._created_as("stream", name, stream_id):
            return self.arn_of("stream", name)
        self._add(stream_id, "AWS::Kinesis::Stream", {
            "Name": self.name_of("stream", name),
            "StreamModeDetails": {"StreamMode": "ON_DEMAND"},
            "StreamEncryption": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
        })  # fmt: skip
        return self._arn(stream_id)

    def table(self, name: str) -> None:
        """A DynamoDB table keyed by the string ``id`` (list an existing table with another
        key schema under ``[resources]``).
        """
        table_id = self._id(name, "Table")
        if self._created_as("table", name, table_id):
            self._add(table_id, "AWS::DynamoDB::Table", {
                "TableName": self.name_of("table", name),
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "SSESpecification": {"SSEEnabled": True},
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            })  # fmt: skip

    def declare(self, res: Resource) -> None:
        """Create the resource a function reads or writes (event buses are not created)."""
        if res.kind == "bucket":
            self.bucket(res.name)
        elif res.kind == "queue":
            self.queue(res.name, self.settings.timeout)
        elif res.kind == "topic":
            self.topic(res.name)
        elif res.kind == "stream":
            self.stream(res.name)
        elif res.kind == "table":
            self.table(res.name)

    def mapping(self) -> Any:
        """``FAASKIT_RESOURCES``: logical name -> physical name, for the names that differ."""
        pairs = {k: self.name_of(*k.split(":", 1)) for k in sorted(self._physical)}
        pairs = {k: v for k, v in pairs.items() if v != k.split(":", 1)[1]}
        if not pairs:
            return None
        text = {k: v["Fn::Sub"] if isinstance(v, dict) else v for k, v in pairs.items()}
        dumped = json.dumps(text, sort_keys=True, separators=(",", ":"))
        return {"Fn::Sub": dumped} if any(isinstance(v, dict) for v in pairs.values()) else dumped

    def outputs(self) -> dict[str, Any]:
        """Every created resource's physical name (queues: URL; topics, streams: ARN)."""
        out: dict[str, Any] = {}
        for found, (logical, kind) in sorted(self._created.items()):
            value: Any = {"Ref": logical}
            if kind == "stream":
                value = self._arn(logical)
            out[logical] = {"Description": f"{kind} {found.split(':', 1)[1]}", "Value": value}
        return out
