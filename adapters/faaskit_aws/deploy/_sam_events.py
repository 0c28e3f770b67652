"""Non-HTTP triggers as SAM event sources, with the resources they need and what they may do.

Nothing a trigger delivers is dropped after its retries; each failure path ends in an SQS queue
of the template (those declared here keep messages 14 days):

- queues: the source queue's redrive policy moves a message to ``<queue>-dlq`` after
  ``max_receive_count`` receives;
- streams (Kinesis, DynamoDB): the event source mapping's on-failure destination
  ``<Stream>FailedRecords`` gets the records that still fail after bisecting and retrying;
- asynchronous invocations (S3 notifications, SNS topics, schedules, EventBridge rules): the
  function's ``EventInvokeConfig`` sends an event that still fails after Lambda's retries (at most
  two) or outlives the event age limit to ``<Function>FailedEvents``;
- schedules and EventBridge rules additionally keep their event source's ``DeadLetterConfig``
  (a queue SAM creates) for events the scheduler or rule could not deliver to Lambda at all.

Policies: one SAM policy template per declared resource, plus an inline statement with what the
storage API does for a declared write that the template leaves out (``blobs(url).delete`` and
aborting a failed multipart upload for buckets, ``GetQueueUrl`` for queues).

SAM event source types (S3, SQS, SNS, ScheduleV2, Kinesis, DynamoDB, EventBridgeRule):
https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html
SAM ``EventInvokeConfig``:
https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventinvokeconfiguration.html
Lambda asynchronous invocation and its destinations:
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
SAM policy templates:
https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from faaskit.adapter import Blob, Events, Queue, Schedule, Stream, Topic, Trigger, to_aws
from faaskit.deploy._model import Resource
from faaskit_aws.deploy._sam_store import Store

__all__ = ["Resources", "policies"]

_S3_EVENTS = {"created": "s3:ObjectCreated:*", "deleted": "s3:ObjectRemoved:*"}
_PARTIAL = ["ReportBatchItemFailures"]
# (kind, read, write) -> SAM policy template and the parameter naming the resource.
_POLICIES: dict[tuple[str, bool, bool], tuple[str, str]] = {
    ("bucket", True, False): ("S3ReadPolicy", "BucketName"),
    ("bucket", False, True): ("S3WritePolicy", "BucketName"),
    ("bucket", True, True): ("S3CrudPolicy", "BucketName"),
    ("queue", True, False): ("SQSPollerPolicy", "QueueName"),
    ("queue", False, True): ("SQSSendMessagePolicy", "QueueName"),
    ("topic", False, True): ("SNSPublishMessagePolicy", "TopicName"),
    ("table", True, False): ("DynamoDBReadPolicy", "TableName"),
    ("table", False, True): ("DynamoDBWritePolicy", "TableName"),
    ("table", True, True): ("DynamoDBCrudPolicy", "TableName"),
    ("stream", True, False): ("KinesisStreamReadPolicy", "StreamName"),
    ("stream", False, True): ("KinesisCrudPolicy", "StreamName"),
    ("stream", True, True): ("KinesisCrudPolicy", "StreamName"),
    ("bus", False, True): ("EventBridgePutEventsPolicy", "EventBusName"),
}
# kind -> actions the storage API needs for a declared write beyond its SAM policy template, and
# the ARN they apply to. Multipart uploads themselves only need s3:PutObject.
_WRITE_EXTRAS: dict[str, tuple[list[str], str]] = {
    "bucket": (
        ["s3:DeleteObject", "s3:AbortMultipartUpload"],
        "arn:${AWS::Partition}:s3:::${name}/*",
    ),
    "queue": (
        ["sqs:GetQueueUrl"],
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${name}",
    ),
}
# Lambda retries a failed asynchronous invocation at most twice.
_ASYNC_RETRIES = 2


def policies(
    reads: Iterable[Resource],
    writes: Iterable[Resource],
    name_of: Callable[[str, str], Any] = lambda kind, name: name,
) -> list[dict[str, Any]]:
    """SAM policy templates granting exactly the declared reads and writes, on the resources'
    physical names (``name_of(kind, name)``).
    """
    access: dict[tuple[str, str], list[bool]] = {}
    for res, index in [(r, 0) for r in reads] + [(w, 1) for w in writes]:
        access.setdefault((res.kind, res.name), [False, False])[index] = True
    out: list[dict[str, Any]] = []
    for (kind, name), (read, write) in access.items():
        physical = name_of(kind, name)
        if kind == "queue" and read and write:
            out.append({"SQSPollerPolicy": {"QueueName": physical}})
            out.append({"SQSSendMessagePolicy": {"QueueName": physical}})
            continue
        template, param = _POLICIES[(kind, read, write)]
        out.append({template: {param: physical}})
    statements = [
        {
            "Effect": "Allow",
            "Action": _WRITE_EXTRAS[kind][0],
            "Resource": {"Fn::Sub": [_WRITE_EXTRAS[kind][1], {"name": name_of(kind, name)}]},
        }
        for (kind, name), (_, write) in access.items()
        if write and kind in _WRITE_EXTRAS
    ]
    if statements:
        out.append({"Version": "2012-10-17", "Statement": statements})
    return out


class Resources(Store):
    """The template's non-function resources, each declared once however many use it."""

    def _failures(self, name: str, suffix: str = "FailedRecords") -> dict[str, Any]:
        """An SQS on-failure destination so records that keep failing are kept, not dropped."""
        failed = self._id(name, suffix)
        self._add(failed, "AWS::SQS::Queue", {
            "MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True,
        })  # fmt: skip
        return {"OnFailure": {"Type": "SQS", "Destination": self._arn(failed)}}

    def invoke_config(self, trigger: Trigger, function: str) -> dict[str, Any] | None:
        """The ``EventInvokeConfig`` of ``function`` if ``trigger`` invokes it asynchronously:
        bounded retries, then the event goes to the function's failed-events queue.
        """
        if not isinstance(trigger, (Blob, Topic, Schedule, Events)):
            return None
        return {
            "MaximumRetryAttempts": min(self.settings.max_receive_count, _ASYNC_RETRIES),
            "DestinationConfig": self._failures(function, "FailedEvents"),
        }

    def event(self, trigger: Trigger, timeout: int) -> tuple[dict[str, Any], list[Resource]]:
        """The SAM event for ``trigger``, and the resources its handler may implicitly read."""
        if isinstance(trigger, Blob):
            bucket = self.bucket(trigger.bucket)
            props: dict[str, Any] = {
                "Bucket": bucket,
                "Events": [_S3_EVENTS[e] for e in trigger.events],
            }
            rules = [{"Name": k, "Value": v} for k, v in
                     (("prefix", trigger.prefix), ("suffix", trigger.suffix)) if v]  # fmt: skip
            if rules:
                props["Filter"] = {"S3Key": {"Rules": rules}}
            read = Resource(kind="bucket", name=trigger.bucket, url=f"s3://{trigger.bucket}")
            return {"Type": "S3", "Properties": props}, [read]
        if isinstance(trigger, Queue):
            size = trigger.batch_size or 10
            props = {
                "Queue": self.queue(trigger.name, timeout),
                "BatchSize": size,
                "FunctionResponseTypes": _PARTIAL,
            }
            if size > 10:
                props["MaximumBatchingWindowInSeconds"] = 1
            return {"Type": "SQS", "Properties": props}, []
        if isinstance(trigger, Topic):
            return {"Type": "SNS", "Properties": {"Topic": self.topic(trigger.name)}}, []
        if isinstance(trigger, Schedule):
            props = {
                "ScheduleExpression": to_aws(trigger.expression),
                "DeadLetterConfig": {"Type": "SQS"},
                "RetryPolicy": {"MaximumRetryAttempts": self.settings.max_receive_count},
            }
            return {"Type": "ScheduleV2", "Properties": props}, []
        if isinstance(trigger, Stream):
            return self._stream(trigger), []
        if isinstance(trigger, Events):
            props = {
                "Pattern": dict(trigger.pattern),
                "DeadLetterConfig": {"Type": "SQS"},
                "RetryPolicy": {"MaximumRetryAttempts": self.settings.max_receive_count},
            }
            if trigger.bus:
                props["EventBusName"] = trigger.bus
            return {"Type": "EventBridgeRule", "Properties": props}, []
        raise TypeError(f"no SAM event for {trigger!r}")  # pragma: no cover - validated before

    def _stream(self, trigger: Stream) -> dict[str, Any]:
        props: dict[str, Any] = {
            "StartingPosition": trigger.starting_position,
            "BatchSize": 100,
            "FunctionResponseTypes": _PARTIAL,
            "MaximumRetryAttempts": self.settings.max_receive_count,
            "BisectBatchOnFunctionError": True,
        }
        if "/" in trigger.name:
            table = trigger.name.split("/", 1)[1]
            param = self._id(table, "TableStreamArn")
            self.parameters.setdefault(param, {
                "Type": "String",
                "Description": f"Stream ARN of the DynamoDB table {table!r} (StreamViewType "
                "NEW_AND_OLD_IMAGES)",
            })  # fmt: skip
            props["Stream"] = {"Ref": param}
            props["DestinationConfig"] = self._failures(table)
            return {"Type": "DynamoDB", "Properties": props}
        props["Stream"] = self.stream(trigger.name)
        props["DestinationConfig"] = self._failures(trigger.name)
        return {"Type": "Kinesis", "Properties": props}
