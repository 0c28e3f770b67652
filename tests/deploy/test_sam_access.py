"""What each deployed function may do once samtranslator has made its IAM role, and where its
failed events go.

Access: every storage operation behind a declared read or write is allowed on that resource and
nothing of the other kind is (IAM actions per API call from the Service Authorization Reference:
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html,
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html).
Failures: a function Lambda invokes asynchronously (S3, SNS, EventBridge Scheduler and rules)
sends an event that still fails after its retries to an SQS queue of the template, which its
role may send to.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faaskit._declarations import Blob, Events, Schedule, Topic
from faaskit.deploy import Function, Settings, load_app, resource
from tests.deploy.helpers import SAMPLES, functions_of, load_yaml, sam_transform
from tests.deploy.iam import ACCOUNT, REGION, allows, physical_names, queue_arn, resolve

# kind -> (IAM actions behind the storage API's reads, behind its writes) and the ARNs they act on.
# Blob reads: GetObject/HeadObject (s3:GetObject), ListObjectsV2 (s3:ListBucket, on the bucket).
# Blob writes: PutObject and multipart uploads (s3:PutObject), AbortMultipartUpload, DeleteObject.
# Queue writes: GetQueueUrl, SendMessage and SendMessageBatch (both sqs:SendMessage).
READS = {
    "bucket": [("s3:GetObject", "{arn}/some/key.csv"), ("s3:ListBucket", "{arn}")],
    "queue": [("sqs:ReceiveMessage", "{arn}"), ("sqs:DeleteMessage", "{arn}")],
}
WRITES = {
    "bucket": [
        ("s3:PutObject", "{arn}/some/key.csv"),
        ("s3:DeleteObject", "{arn}/some/key.csv"),
        ("s3:AbortMultipartUpload", "{arn}/some/key.csv"),
    ],
    "queue": [("sqs:GetQueueUrl", "{arn}"), ("sqs:SendMessage", "{arn}")],
    "topic": [("sns:Publish", "{arn}")],
}
ASYNC = (Blob, Topic, Schedule, Events)

ACCESS_APP = """
import faaskit

@faaskit.handler(faaskit.http("POST", "/archive"), writes=["s3://archive-bucket/reports/"])
def archive(req, ctx):
    faaskit.storage.blobs("s3://archive-bucket/reports/").delete("old.csv")

@faaskit.handler(faaskit.http("GET", "/read"), reads=["s3://read-bucket"])
def read(req, ctx):
    return None

@faaskit.handler(
    faaskit.http("PUT", "/both"), reads=["s3://both-bucket", "sqs://both-queue"],
    writes=["s3://both-bucket", "sqs://both-queue"],
)
def both(req, ctx):
    return None

@faaskit.handler(faaskit.blob("in-bucket"), writes=["sqs://out-queue", "sns://out-topic"])
def convert(event, ctx):
    return None
"""


def _arn(kind: str, name: str) -> str:
    if kind == "bucket":
        return f"arn:aws:s3:::{name}"
    if kind == "queue":
        return queue_arn(name)
    return f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"


def _declared(fn: Function) -> dict[tuple[str, str], set[str]]:
    """(kind, name) -> which of read/write ``fn`` may do, the triggering bucket included."""
    out: dict[tuple[str, str], set[str]] = {}
    for mode, urls in (("read", fn.reads), ("write", fn.writes)):
        for url in urls:
            res = resource(url)
            out.setdefault((res.kind, res.name), set()).add(mode)
    if isinstance(fn.trigger, Blob):
        out.setdefault(("bucket", fn.trigger.bucket), set()).add("read")
    return out


def _lambda_id(template: dict[str, Any], fn: Function, module: str) -> str:
    (found,) = [
        key
        for key, value in functions_of(template).items()
        if value["Properties"]["Handler"] == f"{module}.{fn.attr}"
    ]
    return found


def _check_access(template: dict[str, Any], module: str, functions: tuple[Function, ...]) -> int:
    plain = sam_transform(template)
    mapping = physical_names(template)
    checked = 0
    for fn in functions:
        function = _lambda_id(template, fn, module)
        for (kind, name), modes in _declared(fn).items():
            arn = _arn(kind, mapping.get(f"{kind}:{name}", name))
            for mode, table in (("read", READS), ("write", WRITES)):
                for action, target in table.get(kind, []):
                    wanted = mode in modes
                    got = allows(plain, function, action, target.format(arn=arn))
                    assert got == wanted, (fn.name, mode, action, name)
                    checked += 1
    return checked


@pytest.mark.parametrize("app", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_each_declared_access_allows_its_storage_calls_and_no_others(
    app: Path, built: Callable[[Path], Path]
) -> None:
    loaded = load_app(str(app))
    template = load_yaml(built(app) / "aws" / "template.yaml")
    _check_access(template, loaded.module, loaded.functions)


def test_reads_writes_and_both_on_buckets_and_queues(tmp_path: Path) -> None:
    from faaskit_aws.deploy import template

    path = tmp_path / "access_app.py"
    path.write_text(textwrap.dedent(ACCESS_APP), encoding="utf-8")
    loaded = load_app(str(path))
    made = template(loaded)
    assert _check_access(made, loaded.module, loaded.functions) >= 20
    plain = sam_transform(made)
    fn = next(f for f in loaded.functions if f.attr == "archive")
    archive = _lambda_id(made, fn, loaded.module)
    # The write reaches the bucket's objects, not other buckets.
    assert not allows(plain, archive, "s3:DeleteObject", "arn:aws:s3:::read-bucket/x")


def _failure_destination(plain: dict[str, Any], function: str) -> dict[str, Any] | None:
    configs = [
        r["Properties"]
        for r in plain["Resources"].values()
        if r["Type"] == "AWS::Lambda::EventInvokeConfig"
        and r["Properties"]["FunctionName"] == {"Ref": function}
    ]
    assert len(configs) <= 1
    return configs[0] if configs else None


@pytest.mark.parametrize("app", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_asynchronously_invoked_functions_keep_events_that_keep_failing(
    app: Path, built: Callable[[Path], Path]
) -> None:
    loaded = load_app(str(app))
    template = load_yaml(built(app) / "aws" / "template.yaml")
    plain = sam_transform(template)
    resources = plain["Resources"]
    for fn in loaded.functions:
        function = _lambda_id(template, fn, loaded.module)
        config = _failure_destination(plain, function)
        if not isinstance(fn.trigger, ASYNC):
            # HTTP is synchronous; queues and streams keep failures through their mappings.
            assert config is None, fn.name
            continue
        assert config is not None, f"{fn.name}: failed asynchronous events would be dropped"
        assert 0 <= config["MaximumRetryAttempts"] <= Settings().max_receive_count
        target = config["DestinationConfig"]["OnFailure"]["Destination"]
        queue = resources[target["Fn::GetAtt"][0]]
        assert queue["Type"] == "AWS::SQS::Queue"
        # Kept longer than SQS's 4-day default: time to notice and replay.
        assert queue["Properties"]["MessageRetentionPeriod"] > 4 * 24 * 3600
        assert allows(plain, function, "sqs:SendMessage", resolve(target, resources)), fn.name


def test_schedules_and_rules_also_keep_events_they_cannot_deliver(
    built: Callable[[Path], Path],
) -> None:
    all_triggers = next(p for p in SAMPLES if p.parent.name == "deploy_all_triggers")
    loaded = load_app(str(all_triggers))
    template = load_yaml(built(all_triggers) / "aws" / "template.yaml")
    kinds = set()
    for fn in loaded.functions:
        if isinstance(fn.trigger, (Schedule, Events)):
            props = template["Resources"][_lambda_id(template, fn, loaded.module)]["Properties"]
            (event,) = props["Events"].values()
            assert event["Properties"]["DeadLetterConfig"]["Type"] == "SQS"
            assert "OnFailure" in props["EventInvokeConfig"]["DestinationConfig"]
            kinds.add(type(fn.trigger))
    assert kinds == {Schedule, Events}
