"""``sns://topic`` and ``events://bus`` for :mod:`faaskit.storage`, on boto3.

SNS ``Publish`` (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): the body is
the ``Message`` (text), ``subject`` the ``Subject``, attributes ``MessageAttributes`` typed
as for SQS, so an SQS queue subscribed with raw delivery, or a Lambda subscribed to the
topic, sees them as :attr:`Message.attributes`. A topic is named by its ARN or by its name,
whose ARN is built from the client's region and the caller's account (STS
``GetCallerIdentity``, which needs no permission), once per topic object.

EventBridge ``PutEvents``
(https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html): ``source``
is ``Source``, ``type`` ``DetailType``, ``data`` the ``Detail`` object, ``subject`` the one
entry of ``Resources``. ``PutEvents`` reports a refused entry in its answer, not as an
error; it is raised here as :class:`StorageError`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from faaskit.exceptions import StorageError
from faaskit.storage.backend import (
    AttributeValue,
    Body,
    BusEvent,
    EventBus,
    Location,
    Topic,
    check_subject,
)
from faaskit_aws._outgoing import text_message
from faaskit_aws._storage_clients import boto_errors, shared_client, translate

__all__ = ["EventBridgeBus", "SNSTopic", "event_bus", "topic"]


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class SNSTopic(Topic):
    """An SNS topic by ARN or name. FIFO topics (``.fifo``) get ``group_id`` and a fresh
    deduplication id per message.
    """

    def __init__(
        self,
        name: str,
        *,
        url: str | None = None,
        client: Any = None,
        group_id: str = "default",
        **options: Any,
    ) -> None:
        self.name = name
        self._url = url or f"sns://{name}"
        self._options = options
        self.client = client if client is not None else shared_client("sns", self._url, options)
        self.group_id = group_id
        self._arn = name if name.startswith("arn:") else None
        self._errors = boto_errors()

    @property
    def arn(self) -> str:
        """The topic's ARN (built on first use when the URL names the topic)."""
        if self._arn is None:
            region = str(self.client.meta.region_name)
            sts = shared_client("sts", self._url, self._options)
            try:
                account = sts.get_caller_identity()["Account"]
            except self._errors as exc:
                raise translate(exc, f"{self._url}: cannot find the account", "account") from exc
            self._arn = f"arn:{_partition(region)}:sns:{region}:{account}:{self.name}"
        return self._arn

    def publish(
        self,
        body: Body,
        *,
        attributes: Mapping[str, AttributeValue] | None = None,
        subject: str | None = None,
    ) -> str:
        """``Publish``; the message id SNS assigned."""
        request = text_message(body, attributes, self._url, body_field="Message", service="SNS")
        if check_subject(subject, self._url) is not None:
            request["Subject"] = subject
        if self.name.endswith(".fifo"):
            request["MessageGroupId"] = self.group_id
            request["MessageDeduplicationId"] = uuid.uuid4().hex
        try:
            sent = self.client.publish(TopicArn=self.arn, **request)
        except self._errors as exc:
            raise translate(exc, f"{self._url}: cannot publish", "topic") from exc
        return str(sent["MessageId"])


class EventBridgeBus(EventBus):
    """An EventBridge event bus by name or ARN (``events://default``: the default bus)."""

    def __init__(
        self, name: str, *, url: str | None = None, client: Any = None, **options: Any
    ) -> None:
        self.name = name
        self._url = url or f"events://{name}"
        self.client = client if client is not None else shared_client("events", self._url, options)
        self._errors = boto_errors()

    def _put(self, event: BusEvent) -> str:
        entry = {
            "Source": event.source,
            "DetailType": event.type,
            "Detail": json.dumps(dict(event.data), separators=(",", ":")),
            "EventBusName": self.name,
            "Time": event.time,
            "Resources": [event.subject] if event.subject else [],
        }
        try:
            sent = self.client.put_events(Entries=[entry])
        except self._errors as exc:
            raise translate(exc, f"{self._url}: cannot put an event", "event bus") from exc
        result = (sent.get("Entries") or [{}])[0]
        if sent.get("FailedEntryCount") or "EventId" not in result:
            raise StorageError(
                f"{self._url}: EventBridge refused the event from {event.source!r}: "
                f"{result.get('ErrorCode')}: {result.get('ErrorMessage')}"
            )
        return str(result["EventId"])


def topic(location: Location, **options: Any) -> SNSTopic:
    """The :class:`SNSTopic` for ``sns://name`` or ``sns://<topic ARN>``."""
    return SNSTopic(location.name, url=location.url, **options)


def event_bus(location: Location, **options: Any) -> EventBridgeBus:
    """The :class:`EventBridgeBus` for ``events://bus``."""
    return EventBridgeBus(location.name, url=location.url, **options)
