"""EventBridge-style pattern matching for the dev server's local event bus, checked against
the examples and rules of the EventBridge event-pattern documentation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from faaskit.devserver.patterns import matches
from faaskit.exceptions import ConfigurationError

EVENT: dict[str, Any] = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "111122223333",
    "time": "2017-12-22T18:43:48Z",
    "region": "us-west-1",
    "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    "detail": {
        "instance-id": "i-1234567890abcdef0",
        "state": "terminated",
        "c-count": 5,
        "d-count": 0.5,
        "source-ip": "10.0.0.12",
        "tags": ["blue", "prod"],
        "flag": True,
        "nothing": None,
        "location": {"city": "Seattle"},
        "FileName": "photo.PNG",
    },
}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"source": ["aws.ec2"]}, True),
        ({"source": ["aws.s3", "aws.ec2"]}, True),  # values in a list are alternatives
        ({"source": ["aws.s3"]}, False),
        ({"source": ["aws.ec2"], "detail-type": ["nope"]}, False),  # keys are all required
        ({"detail": {"state": ["terminated"]}}, True),
        ({"detail": {"location": {"city": ["Seattle"]}}}, True),
        ({"detail": {"tags": ["prod"]}}, True),  # an array field matches on any element
        ({"detail": {"tags": ["green"]}}, False),
        ({"detail": {"c-count": [5]}}, True),
        ({"detail": {"c-count": ["5"]}}, False),  # a number is not a string
        ({"detail": {"flag": [True]}}, True),
        ({"detail": {"flag": [1]}}, False),
        ({"detail": {"nothing": [None]}}, True),
        ({"detail": {"missing": [None]}}, False),  # null matches a null value, not absence
        ({"resources": [{"prefix": "arn:aws:ec2:"}]}, True),
        ({"time": [{"prefix": "2017-10-02"}]}, False),
        ({"detail": {"FileName": [{"suffix": ".png"}]}}, False),
        ({"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}}, True),
        ({"source": [{"prefix": {"equals-ignore-case": "AWS."}}]}, True),
        ({"detail": {"state": [{"equals-ignore-case": "TERMINATED"}]}}, True),
        ({"detail": {"state": [{"anything-but": "initializing"}]}}, True),
        ({"detail": {"state": [{"anything-but": ["stopped", "terminated"]}]}}, False),
        ({"detail": {"c-count": [{"anything-but": 5}]}}, False),
        ({"detail": {"c-count": [{"anything-but": [1, 2]}]}}, True),
        ({"region": [{"anything-but": {"prefix": "us-"}}]}, False),
        ({"detail": {"FileName": [{"anything-but": {"suffix": ".jpg"}}]}}, True),
        ({"detail": {"missing": [{"anything-but": "x"}]}}, False),  # needs the field
        ({"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}}, True),
        ({"detail": {"c-count": [{"numeric": [">", 5]}]}}, False),
        ({"detail": {"d-count": [{"numeric": ["<", 1]}]}}, True),
        ({"detail": {"c-count": [{"numeric": ["=", 5.0]}]}}, True),
        ({"detail": {"state": [{"numeric": [">", 0]}]}}, False),  # not a number
        ({"detail": {"state": [{"exists": True}]}}, True),
        ({"detail": {"missing": [{"exists": False}]}}, True),
        ({"detail": {"state": [{"exists": False}]}}, False),
        ({"detail": {"location": [{"exists": True}]}}, False),  # exists is for leaves
        ({"nowhere": {"deep": [{"exists": False}]}}, True),
        ({"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}, True),
        ({"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}, False),
        ({"detail": {"FileName": [{"wildcard": "photo.*"}]}}, True),
        ({"detail": {"FileName": [{"wildcard": "*.png"}]}}, False),
        ({"detail": {"instance-id": [{"wildcard": "i-?*"}]}}, False),  # only * is special
        ({"$or": [{"source": ["aws.s3"]}, {"detail": {"c-count": [5]}}]}, True),
        ({"$or": [{"source": ["aws.s3"]}, {"detail": {"c-count": [6]}}]}, False),
    ],
)
def test_patterns_match_as_eventbridge_documents(pattern: dict[str, Any], expected: bool) -> None:
    assert matches(pattern, EVENT) is expected


@pytest.mark.parametrize(
    ("pattern", "field"),
    [
        ({"source": "aws.ec2"}, "source"),  # a leaf must be a list
        ({"detail": {"c-count": [{"numeric": [">"]}]}}, "detail.c-count"),
        ({"detail": {"c-count": [{"numeric": ["~", 1]}]}}, "detail.c-count"),
        ({"detail": {"state": [{"exists": "yes"}]}}, "detail.state"),
        ({"detail": {"state": [{"regex": "x"}]}}, "detail.state"),
        ({"detail": {"state": [{"prefix": 3}]}}, "detail.state"),
        ({"detail": {"source-ip": [{"cidr": "nope"}]}}, "detail.source-ip"),
        ({"$or": []}, "$or"),
    ],
)
def test_malformed_patterns_name_the_field(pattern: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(f"'{field}'")):
        matches(pattern, EVENT)
