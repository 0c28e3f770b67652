"""The text body and typed attributes shared by SQS sends and SNS publications."""

from __future__ import annotations

import pytest

from faaskit.exceptions import InvalidStorageRequest
from faaskit_aws._outgoing import text_message


def test_body_and_each_attribute_type() -> None:
    message = text_message(
        "héllo",
        {"s": "x", "i": 3, "f": 1.5, "b": b"\x00\xff"},
        "sqs://q",
        body_field="MessageBody",
        service="SQS",
    )
    assert message == {
        "MessageBody": "héllo",
        "MessageAttributes": {
            "s": {"DataType": "String", "StringValue": "x"},
            "i": {"DataType": "Number", "StringValue": "3"},
            "f": {"DataType": "Number", "StringValue": "1.5"},
            "b": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
        },
    }


@pytest.mark.parametrize("attributes", [None, {}])
def test_no_attributes_no_field(attributes: dict[str, str] | None) -> None:
    message = text_message(b"{}", attributes, "sns://t", body_field="Message", service="SNS")
    assert message == {"Message": "{}"}


def test_bytes_that_are_not_utf8_name_the_url_and_service() -> None:
    with pytest.raises(InvalidStorageRequest, match=r"sns://t: SNS .* not UTF-8"):
        text_message(b"\xff", None, "sns://t", body_field="Message", service="SNS")


def test_refused_attribute_names_the_url() -> None:
    with pytest.raises(InvalidStorageRequest, match="sqs://q"):
        text_message("x", {"a": object()}, "sqs://q", body_field="MessageBody", service="SQS")  # type: ignore[dict-item]
