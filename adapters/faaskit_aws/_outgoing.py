"""The part of an outgoing SQS message or SNS publication the two services share: a UTF-8
text body and typed message attributes (``String``, ``Number``, ``Binary``), as in
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
and https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html .
"""

from __future__ import annotations

from collections.abc import Mapping

from faaskit.exceptions import InvalidStorageRequest
from faaskit.storage.backend import AttributeValue, Body, check_attributes, encode_body

__all__ = ["text_message"]


def text_message(
    body: Body,
    attributes: Mapping[str, AttributeValue] | None,
    url: str,
    *,
    body_field: str,
    service: str,
) -> dict[str, object]:
    """``{body_field: text}``, plus ``MessageAttributes`` when there are any.

    Raises :class:`InvalidStorageRequest` naming ``url`` when the body is not UTF-8 or an
    attribute is refused by :func:`check_attributes`.
    """
    data = encode_body(body, url)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidStorageRequest(
            f"{url}: {service} message bodies are text; these bytes are not UTF-8"
        ) from exc
    message: dict[str, object] = {body_field: text}
    checked = check_attributes(attributes, url)
    if checked:
        message["MessageAttributes"] = {k: _attribute(v) for k, v in checked.items()}
    return message


def _attribute(value: AttributeValue) -> dict[str, str | bytes]:
    if isinstance(value, bytes):
        return {"DataType": "Binary", "BinaryValue": value}
    if isinstance(value, str):
        return {"DataType": "String", "StringValue": value}
    return {"DataType": "Number", "StringValue": repr(value)}
