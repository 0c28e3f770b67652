"""A small IAM evaluator for the roles samtranslator writes: does a function's role allow an
action on a resource ARN? Enough for identity policies made only of ``Allow`` statements with
``Action``/``Resource`` wildcards (no conditions, no ``NotAction``), which is what the SAM policy
templates and faaskit's inline statements are.

IAM policy evaluation: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
PSEUDO = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT}


def resolve(value: Any, resources: dict[str, Any]) -> str:
    """A policy ``Resource`` value as a plain ARN: ``Fn::Sub`` is substituted, ``Fn::GetAtt``
    of an SQS queue's ``Arn`` becomes the queue's ARN.
    """
    if isinstance(value, str):
        return value
    if "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        text, names = (sub, {}) if isinstance(sub, str) else sub
        known = {**PSEUDO, **{k: resolve(v, resources) for k, v in names.items()}}
        return re.sub(r"\$\{([^}]+)\}", lambda m: known[m.group(1)], text)
    if "Fn::GetAtt" in value:
        name, attribute = value["Fn::GetAtt"]
        assert attribute == "Arn" and resources[name]["Type"] == "AWS::SQS::Queue", value
        return queue_arn(resources[name]["Properties"].get("QueueName", name))
    if "Ref" in value:
        return str(value["Ref"])
    raise AssertionError(f"cannot resolve {value!r}")


def physical_names(template: dict[str, Any]) -> dict[str, str]:
    """``kind:name`` -> physical name, as the functions read it from ``FAASKIT_RESOURCES``."""
    variables = template["Globals"]["Function"].get("Environment", {}).get("Variables", {})
    found = variables.get("FAASKIT_RESOURCES")
    if found is None:
        return {}
    mapping: dict[str, str] = json.loads(resolve(found, template["Resources"]))
    return mapping


def queue_arn(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(plain: dict[str, Any], function: str) -> Iterator[dict[str, Any]]:
    """The inline statements of the role samtranslator made for ``function`` (managed policies,
    such as basic execution, are left out).
    """
    resources = plain["Resources"]
    role = resources[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    for policy in resources[role]["Properties"].get("Policies", []):
        for statement in _listed(policy["PolicyDocument"]["Statement"]):
            assert statement["Effect"] == "Allow" and set(statement) <= {
                "Effect", "Action", "Resource", "Sid",
            }, statement  # fmt: skip
            yield {
                "Action": _listed(statement["Action"]),
                "Resource": [resolve(r, resources) for r in _listed(statement["Resource"])],
            }


def allows(plain: dict[str, Any], function: str, action: str, arn: str) -> bool:
    """Whether ``function``'s role allows ``action`` on ``arn``."""
    return any(
        any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in s["Action"])
        and any(fnmatch.fnmatchcase(arn, r) for r in s["Resource"])
        for s in statements(plain, function)
    )
