"""The public surface: a sorted ``__all__`` whose names resolve, and a light import."""

from __future__ import annotations

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
