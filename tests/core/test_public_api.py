"""The public surface: a sorted ``__all__`` whose names resolve, and a light import."""

from __future__ import annotations

import importlib

import pytest

import faaskit
from tests.core.helpers import run_python


def test_all_is_sorted_and_unique() -> None:
    assert list(faaskit.__all__) == sorted(faaskit.__all__)
    assert len(set(faaskit.__all__)) == len(faaskit.__all__)


def test_every_public_name_resolves() -> None:
    for name in faaskit.__all__:
        assert getattr(faaskit, name) is not None, name
    assert set(faaskit.__all__) <= set(dir(faaskit))


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        faaskit.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("expected AttributeError")


def test_the_design_contract_names_exist() -> None:
    for name in (
        "handler",
        "Handler",
        "http",
        "blob",
        "queue",
        "topic",
        "schedule",
        "stream",
        "events",
        "HttpRequest",
        "Response",
        "Cookie",
        "Context",
        "Principal",
        "FaaskitError",
        "HTTPError",
        "UnsupportedEventError",
    ):
        assert name in faaskit.__all__, name


def test_import_faaskit_loads_no_cloud_sdk() -> None:
    code = (
        "import json, sys\n"
        "import faaskit\n"
        "@faaskit.handler(faaskit.http('GET', '/'))\n"
        "def home(req, ctx):\n"
        "    return {}\n"
        "heavy = ('boto3', 'botocore', 'azure', 'faaskit_aws', 'faaskit_azure')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    assert run_python(code) == []


# The exact public surface: adding or removing a name is a decision, made here on purpose.
PUBLIC = {
    "faaskit": (
        "AccessDenied BadRequestError BatchFailedError BatchResult BlobEvent BlobNotFound "
        "CloudEvent ConfigurationError Context Cookie Decoder FaaskitError ForbiddenError "
        "HTTPError Handler Headers HttpRequest IdempotencyInProgressError "
        "IdempotencyKeyReuseError InvalidEventError InvalidStorageRequest Message MessageBatch "
        "MethodNotAllowedError MetricError MultiDict NotFoundError PreconditionFailed Principal "
        "Record RecordBatch RequestValidationError Response ScheduleEvent Secret StorageError "
        "Trigger "
        "TriggerMismatchError UnauthorizedError UnsupportedEventError blob events handler http "
        "idempotent queue register_decoder schedule secret stream topic"
    ),
    "faaskit.adapter": (
        "Adapter BatchEntry Blob Context CookieHeaders Cookies Cron Decoder Events Http "
        "InvalidBody Pending Queue Rate Schedule Stream Topic Trigger ainvoke cold deferrable "
        "env_reader error_response invoke loads local_context maker parse_schedule "
        "record_folder shown take_cold_start to_aws to_ncrontab to_response unsupported "
        "writable"
    ),
    "faaskit.storage": (
        "AccessDenied BlobInfo BlobNotFound BlobStore EventBus FileBlobStore FileQueue "
        "InvalidStorageRequest Location PreconditionFailed QueueSender StorageError Topic blobs "
        "events queues topics"
    ),
    "faaskit.storage.backend": (
        "AttributeValue BlobInfo BlobStore Body BusEvent EventBus Location QueueSender Topic "
        "check_attributes check_key check_subject current_trace encode_body read_head reader "
        "store_url structure to_traceparent to_xray unquote_etag"
    ),
    "faaskit.telemetry": (
        "JsonFormatter MetricEntry MetricSink add_metric_observer level_from_environment "
        "log_fields log_metrics remove_metric_observer set_metric_sink"
    ),
    "faaskit_aws": "",
    "faaskit_azure": "function_app make_wrapper",
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_the_public_names_are_exactly_these(module: str) -> None:
    imported = importlib.import_module(module)
    assert list(imported.__all__) == PUBLIC[module].split()
    for name in imported.__all__:
        assert getattr(imported, name) is not None, f"{module}.{name}"
