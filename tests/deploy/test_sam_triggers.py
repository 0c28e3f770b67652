"""The SAM template of the all-triggers app says what each handler declares: one event source
per trigger, its resources, its auth, throttling and CORS, and policies for exactly the
declared reads and writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faaskit._cron import parse
from faaskit._declarations import Blob, Events, Queue, Schedule, Stream, Topic
from faaskit._routes import Http
from faaskit.deploy import Function, Settings, load_app, resource
from tests.deploy.cron import aws_fires, ncrontab_fires
from tests.deploy.helpers import ALL_TRIGGERS, functions_of, load_yaml


@pytest.fixture(scope="module")
def declared() -> dict[str, Function]:
    app = load_app(str(ALL_TRIGGERS))
    return {f"{app.module}.{fn.attr}": fn for fn in app.functions}


@pytest.fixture(scope="module")
def template(built: Callable[[Path], Path]) -> dict[str, Any]:
    return load_yaml(built(ALL_TRIGGERS) / "aws" / "template.yaml")


def _pairs(template: dict[str, Any], declared: dict[str, Function], kind: type) -> list[Any]:
    out = []
    for resource_ in functions_of(template).values():
        fn = declared[resource_["Properties"]["Handler"]]
        if isinstance(fn.trigger, kind):
            out.append((fn, resource_["Properties"]))
    assert out, f"the all-triggers app declares no {kind.__name__} handler"
    return out


def _target(template: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    name = ref["Ref"] if "Ref" in ref else ref["Fn::GetAtt"][0]
    props: dict[str, Any] = template["Resources"][name]["Properties"]
    return props


def test_every_trigger_kind_and_auth_mode_is_declared(declared: dict[str, Function]) -> None:
    kinds = {type(fn.trigger) for fn in declared.values()}
    assert kinds == {Http, Blob, Queue, Topic, Schedule, Stream, Events}
    auths = {
        "jwt" if isinstance(fn.trigger.auth, dict) else (fn.trigger.auth or "none")
        for fn in declared.values()
        if isinstance(fn.trigger, Http)
    }
    assert auths == {"none", "iam", "api_key", "function", "jwt"}


def test_http_routes_methods_auth_and_throttling(
    template: dict[str, Any], declared: dict[str, Function]
) -> None:
    resources = template["Resources"]
    for fn, props in _pairs(template, declared, Http):
        trigger = fn.trigger
        assert isinstance(trigger, Http)
        events = list(props["Events"].values())
        assert sorted(e["Properties"]["Method"] for e in events) == sorted(trigger.methods)
        auth = trigger.auth
        for event in events:
            p = event["Properties"]
            assert p["Path"] == trigger.route
            if auth in ("api_key", "function"):
                assert event["Type"] == "Api"
                assert p["Auth"] == {"ApiKeyRequired": True}
                plan = resources[p["RestApiId"]["Ref"]]["Properties"]["Auth"]["UsagePlan"]
                quota = (trigger.throttle or {}).get("quota")
                if quota:
                    assert plan["Quota"]["Limit"] == quota["limit"]
                continue
            assert event["Type"] == "HttpApi"
            api = resources[p["ApiId"]["Ref"]]["Properties"]
            if auth == "iam":
                assert p["Auth"] == {"Authorizer": "AWS_IAM"}
                assert api["Auth"]["EnableIamAuthorizer"] is True
            elif isinstance(auth, dict):
                config = api["Auth"]["Authorizers"][p["Auth"]["Authorizer"]]["JwtConfiguration"]
                assert config == {
                    "issuer": auth["jwt"]["issuer"],
                    "audience": auth["jwt"]["audience"],
                }
            else:
                assert "Auth" not in p
            if trigger.throttle:
                assert p["RouteSettings"]["ThrottlingRateLimit"] == trigger.throttle["rate"]
                assert p["RouteSettings"]["ThrottlingBurstLimit"] == trigger.throttle["burst"]
            if trigger.cors:
                assert api["CorsConfiguration"]["AllowOrigins"]


def test_blob_triggers_declare_the_bucket_and_filter_by_prefix_and_suffix(
    template: dict[str, Any], declared: dict[str, Function]
) -> None:
    for fn, props in _pairs(template, declared, Blob):
        trigger = fn.trigger
        assert isinstance(trigger, Blob)
        (event,) = props["Events"].values()
        assert event["Type"] == "S3"
        assert _target(template, event["Properties"]["Bucket"])["BucketName"] == trigger.bucket
        wanted = {"created": "s3:ObjectCreated:", "deleted": "s3:ObjectRemoved:"}
        assert [e.rsplit(":", 1)[0] + ":" for e in event["Properties"]["Events"]] == [
            wanted[e] for e in trigger.events
        ]
        rules = event["Properties"].get("Filter", {}).get("S3Key", {}).get("Rules", [])
        assert {r["Name"]: r["Value"] for r in rules} == {
            k: v for k, v in (("prefix", trigger.prefix), ("suffix", trigger.suffix)) if v
        }


def test_queues_have_a_dead_letter_queue_and_report_partial_failures(
    template: dict[str, Any], declared: dict[str, Function]
) -> None:
    for fn, props in _pairs(template, declared, Queue):
        trigger = fn.trigger
        assert isinstance(trigger, Queue)
        (event,) = props["Events"].values()
        p = event["Properties"]
        assert event["Type"] == "SQS"
        assert p["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert p["BatchSize"] == (trigger.batch_size or 10)
        queue = _target(template, p["Queue"])
        assert queue["QueueName"] == trigger.name
        assert queue["VisibilityTimeout"] >= (fn.timeout or Settings().timeout)
        dlq = _target(template, queue["RedrivePolicy"]["deadLetterTargetArn"])
        assert dlq["QueueName"] != trigger.name
        assert queue["RedrivePolicy"]["maxReceiveCount"] == Settings().max_receive_count


def test_topics_subscribe_to_the_declared_topic(
    template: dict[str, Any], declared: dict[str, Function]
) -> None:
    for fn, props in _pairs(template, declared, Topic):
        (event,) = props["Events"].values()
        assert event["Type"] == "SNS"
        assert _target(template, event["Properties"]["Topic"])["TopicName"] == fn.trigger.name


def test_schedules_fire_when_the_declaration_says(
    template: dict[str, Any], declared: dict[str, Function]
) -> None:
    start = dt.datetime(2027, 3, 1)
    instants = [start + dt.timedelta(minutes=5 * i) for i in range(0, 40 * 24 * 12)]
    for fn, props in _pairs(template, declared, Schedule):
        (event,) = props["Events"].values()
        assert event["Type"] == "ScheduleV2"
        emitted = event["Properties"]["ScheduleExpression"]
        expression = fn.trigger.expression
        if expression.startswith(("rate(", "cron(")):
            assert parse(emitted) == parse(expression)
        else:
            for t in instants:
                assert aws_fires(emitted, t) == ncrontab_fires(expression, t), (expression, t)


def test_streams_start_where_declared_and_keep_failed_records(
    template: dict[str, Any], declared: dict[str, Function]
) -> None:
    for fn, props in _pairs(template, declared, Stream):
        trigger = fn.trigger
        assert isinstance(trigger, Stream)
        (event,) = props["Events"].values()
        p = event["Properties"]
        assert p["StartingPosition"] == trigger.starting_position
        assert p["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert p["DestinationConfig"]["OnFailure"]["Type"] == "SQS"
        if "/" in trigger.name:
            assert event["Type"] == "DynamoDB"
            assert p["Stream"]["Ref"] in template["Parameters"]
        else:
            assert event["Type"] == "Kinesis"
            assert _target(template, p["Stream"])["Name"] == trigger.name


def test_event_rules_carry_the_pattern(
    template: dict[str, Any], declared: dict[str, Function]
) -> None:
    for fn, props in _pairs(template, declared, Events):
        (event,) = props["Events"].values()
        assert event["Type"] == "EventBridgeRule"
        assert event["Properties"]["Pattern"] == dict(fn.trigger.pattern)


def test_policies_grant_exactly_what_each_handler_declares(
    template: dict[str, Any], declared: dict[str, Function]
) -> None:
    for props in functions_of(template).values():
        fn = declared[props["Properties"]["Handler"]]
        policies = props["Properties"].get("Policies", [])
        granted = {
            (name, next(iter(params.values())))
            for policy in policies
            if "Statement" not in policy
            for name, params in policy.items()
        }
        # Inline statements only add to declared writes what their policy template leaves out.
        extra = {
            statement["Resource"]["Fn::Sub"][1]["name"]
            for policy in policies
            if "Statement" in policy
            for statement in policy["Statement"]
        }
        assert extra <= {resource(url).name for url in fn.writes}, fn.name
        names = {value for _, value in granted}
        wanted = {resource(url).name for url in (*fn.reads, *fn.writes)}
        if isinstance(fn.trigger, Blob):
            wanted.add(fn.trigger.bucket)  # the handler reads the object that triggered it
        assert names == wanted, fn.name
        for url in fn.writes:
            res = resource(url)
            assert any(value == res.name and "Read" not in name for name, value in granted)
        for url in fn.reads:
            assert any(
                value == resource(url).name and "Write" not in name and "Send" not in name
                for name, value in granted
            )


def test_globals_and_per_handler_overrides(tmp_path: Path) -> None:
    from faaskit.deploy import build

    settings = Settings(memory=1024, timeout=45, architecture="arm64", tracing=False,
                        runtime="python3.12")  # fmt: skip
    build(str(ALL_TRIGGERS), target="aws", out=tmp_path / "out", settings=settings)
    template = load_yaml(tmp_path / "out" / "aws" / "template.yaml")
    glob = template["Globals"]["Function"]
    assert (glob["MemorySize"], glob["Timeout"], glob["Runtime"]) == (1024, 45, "python3.12")
    assert glob["Architectures"] == ["arm64"]
    assert glob["Tracing"] == "PassThrough"
    app = load_app(str(ALL_TRIGGERS))
    by_handler = {
        p["Properties"]["Handler"]: p["Properties"] for p in functions_of(template).values()
    }
    for fn in app.functions:
        props = by_handler[f"{app.module}.{fn.attr}"]
        assert props.get("MemorySize") == fn.memory
        assert props.get("Timeout") == fn.timeout
