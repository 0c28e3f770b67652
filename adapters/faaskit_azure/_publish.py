"""``servicebus-topic://topic`` and ``eventgrid://host`` for :mod:`faaskit.storage`.

Both are sent over the services' REST APIs with the standard library (no SDK to load):

- Service Bus "Send Message"
  (https://learn.microsoft.com/rest/api/servicebus/send-message-to-queue): ``POST
  https://<namespace>/<topic>/messages``; ``subject`` goes in ``BrokerProperties`` as
  ``Label`` (the ``Subject`` of AMQP), attributes as custom-property headers (strings
  JSON-quoted, numbers bare). Authorised by a SAS token signed with the connection string's
  key (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas), or by a
  Microsoft Entra token (``azure-identity``) when only
  ``ServiceBusConnection__fullyQualifiedNamespace`` is set. The connection string is
  ``connection_string=`` or the ``ServiceBusConnection`` setting the Functions Service Bus
  binding uses.
- Event Grid "Publish Events" (https://learn.microsoft.com/azure/event-grid/post-to-custom-topic):
  ``POST https://<topic host>/api/events`` with one CloudEvents 1.0 event
  (``application/cloudevents-batch+json``; the topic's input schema must be CloudEvents);
  ``aeg-sas-key`` from ``key=`` or the ``FAASKIT_EVENTGRID_KEY`` setting, or an Entra token.

``endpoint=`` replaces the service's base URL (a private endpoint, or a loopback test server).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import os
import time
import urllib.parse
import uuid
from collections.abc import Mapping
from typing import Any

from faaskit.exceptions import (
    AccessDenied,
    BlobNotFound,
    ConfigurationError,
    InvalidStorageRequest,
    StorageError,
)
from faaskit.storage.backend import (
    AttributeValue,
    Body,
    BusEvent,
    EventBus,
    Location,
    Topic,
    check_attributes,
    check_subject,
    current_trace,
    encode_body,
    structure,
    to_traceparent,
)

__all__ = ["EventGridTopic", "ServiceBusTopic", "event_bus", "topic"]

SERVICE_BUS_SETTING = "ServiceBusConnection"
EVENT_GRID_KEY_SETTING = "FAASKIT_EVENTGRID_KEY"
TOKEN_LIFETIME = 3600


def _post(url: str, body: bytes, headers: Mapping[str, str], where: str, timeout: float) -> int:
    """POST with ``http.client``, which keeps header names as given (``urllib`` would
    capitalise them, and Service Bus takes custom-property names from them).
    """
    import http.client

    parts = urllib.parse.urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = connection_class(parts.netloc, timeout=timeout)
    try:
        connection.request("POST", target, body=body, headers=dict(headers))
        response = connection.getresponse()
        text = response.read()[:300].decode("utf-8", "replace")
    except OSError as exc:
        raise StorageError(f"{where}: {exc}") from exc
    finally:
        connection.close()
    if response.status < 300:
        return response.status
    detail = f"{response.status} {response.reason}: {text}"
    if response.status in (401, 403):
        raise AccessDenied(f"{where}: access denied: {detail}")
    if response.status == 404:
        raise BlobNotFound(f"{where}: no such topic: {detail}")
    raise StorageError(f"{where}: {detail}")


def _entra_token(scope: str, credential: Any, where: str) -> str:
    if credential is None:
        try:
            identity = importlib.import_module("azure.identity")
        except ModuleNotFoundError as exc:
            raise ConfigurationError(
                f"{where}: identity-based access needs azure-identity"
            ) from exc
        credential = identity.DefaultAzureCredential()
    return str(credential.get_token(scope).token)


def _parse_connection_string(value: str, where: str) -> dict[str, str]:
    fields = dict(part.split("=", 1) for part in value.strip().strip(";").split(";") if "=" in part)
    if "Endpoint" not in fields:
        raise ConfigurationError(f"{where}: the Service Bus connection string has no Endpoint")
    return fields


def sas_token(resource: str, key_name: str, key: str, expiry: int) -> str:
    """A Service Bus SAS token for ``resource`` (its HTTPS URL), valid until ``expiry``."""
    encoded = urllib.parse.quote_plus(resource)
    signed = hmac.new(key.encode(), f"{encoded}\n{expiry}".encode(), hashlib.sha256).digest()
    signature = urllib.parse.quote_plus(base64.b64encode(signed).decode("ascii"))
    return f"SharedAccessSignature sr={encoded}&sig={signature}&se={expiry}&skn={key_name}"


class ServiceBusTopic(Topic):
    """A Service Bus topic, sent to over HTTPS."""

    def __init__(
        self,
        name: str,
        *,
        url: str | None = None,
        connection_string: str | None = None,
        endpoint: str | None = None,
        credential: Any = None,
        timeout: float = 30.0,
    ) -> None:
        self.name = name
        self._url = url or f"servicebus-topic://{name}"
        self.timeout = timeout
        self._credential = credential
        self._sas: tuple[str, str] | None = None
        connection_string = connection_string or os.environ.get(SERVICE_BUS_SETTING)
        namespace = os.environ.get(f"{SERVICE_BUS_SETTING}__fullyQualifiedNamespace")
        if connection_string:
            fields = _parse_connection_string(connection_string, self._url)
            host = urllib.parse.urlsplit(fields["Endpoint"]).hostname or ""
            if "SharedAccessKeyName" in fields and "SharedAccessKey" in fields:
                self._sas = (fields["SharedAccessKeyName"], fields["SharedAccessKey"])
        elif namespace:
            host = namespace
        elif endpoint is None:
            raise ConfigurationError(
                f"{self._url}: no Service Bus namespace configured: set {SERVICE_BUS_SETTING} "
                f"(a connection string) or {SERVICE_BUS_SETTING}__fullyQualifiedNamespace, or "
                "pass connection_string="
            )
        else:
            host = urllib.parse.urlsplit(endpoint).hostname or ""
        self.resource = f"https://{host}/{name}"
        self.endpoint = (endpoint or f"https://{host}").rstrip("/") + f"/{name}/messages"

    def _authorization(self) -> str:
        if self._sas is not None:
            key_name, key = self._sas
            return sas_token(self.resource, key_name, key, int(time.time()) + TOKEN_LIFETIME)
        token = _entra_token("https://servicebus.azure.net/.default", self._credential, self._url)
        return f"Bearer {token}"

    def publish(
        self,
        body: Body,
        *,
        attributes: Mapping[str, AttributeValue] | None = None,
        subject: str | None = None,
    ) -> str:
        """Send one message to the topic; the message id (chosen here, as ``MessageId``)."""
        data = encode_body(body, self._url)
        message_id = uuid.uuid4().hex
        broker: dict[str, Any] = {"MessageId": message_id}
        if check_subject(subject, self._url) is not None:
            broker["Label"] = subject
        headers = {
            "Authorization": self._authorization(),
            "BrokerProperties": json.dumps(broker),
            "Content-Type": "application/json"
            if isinstance(body, (Mapping, list))
            else "application/octet-stream",
        }
        for name, value in check_attributes(attributes, self._url).items():
            if isinstance(value, bytes):
                raise InvalidStorageRequest(
                    f"{self._url}: Service Bus properties sent over HTTPS cannot hold bytes "
                    f"({name!r}); send text (base64) instead"
                )
            headers[name] = json.dumps(value)
        trace = to_traceparent(current_trace())
        if trace is not None and not any(key.lower() == "traceparent" for key in headers):
            # the subscriber's Message.trace_id; Service Bus tracing reads the same property
            headers["traceparent"] = json.dumps(trace)
        _post(self.endpoint, data, headers, f"{self._url}: cannot publish", self.timeout)
        return message_id


class EventGridTopic(EventBus):
    """An Event Grid topic (CloudEvents 1.0 input schema), by its endpoint's host name."""

    def __init__(
        self,
        host: str,
        *,
        url: str | None = None,
        key: str | None = None,
        endpoint: str | None = None,
        credential: Any = None,
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self._url = url or f"eventgrid://{host}"
        self.key = key or os.environ.get(EVENT_GRID_KEY_SETTING)
        self._credential = credential
        self.timeout = timeout
        self.endpoint = endpoint or f"https://{host}/api/events?api-version=2018-01-01"

    def _put(self, event: BusEvent) -> str:
        document = structure(
            id=event.id,
            source=event.source,
            type=event.type,
            subject=event.subject,
            time=event.time,
            data=dict(event.data),
        )
        headers = {"Content-Type": "application/cloudevents-batch+json; charset=utf-8"}
        if self.key:
            headers["aeg-sas-key"] = self.key
        else:
            token = _entra_token(
                "https://eventgrid.azure.net/.default", self._credential, self._url
            )
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps([document]).encode("utf-8")
        _post(self.endpoint, body, headers, f"{self._url}: cannot put an event", self.timeout)
        return event.id


def topic(location: Location, **options: Any) -> ServiceBusTopic:
    """The :class:`ServiceBusTopic` for ``servicebus-topic://name``."""
    return ServiceBusTopic(location.name, url=location.url, **options)


def event_bus(location: Location, **options: Any) -> EventGridTopic:
    """The :class:`EventGridTopic` for ``eventgrid://<topic host>``."""
    return EventGridTopic(location.name, url=location.url, **options)
