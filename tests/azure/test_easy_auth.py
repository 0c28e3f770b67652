"""Only what the Azure platform vouches for decides ``req.principal`` and ``req.source_ip``.

A client can send ``X-MS-CLIENT-PRINCIPAL*`` and ``X-Forwarded-For`` headers of its own; the
principal headers count only with App Service Authentication on (``WEBSITE_AUTH_ENABLED``)
or the documented opt-in, and the address is the one the front end wrote.
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import os
from collections.abc import Iterator
from typing import Any
from unittest import mock

import azure.functions as func
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import faaskit
from faaskit_azure import _easy_auth
from faaskit_azure._easy_auth import AUTH_ENABLED, OPT_IN, client_ip
from faaskit_azure.http import AzureHttp
from tests.azure.test_http import AzureContext, call, captured, principal_header, request

CTX = faaskit.Context(request_id="inv-1", function_name="fn", platform="azure")
ADMIN = principal_header([{"typ": "oid", "val": "admin"}, {"typ": "roles", "val": "admin"}])
SPOOFS = [
    {"X-MS-CLIENT-PRINCIPAL-ID": "admin"},
    {"x-ms-client-principal-id": "admin", "x-ms-client-principal-idp": "aad"},
    {"X-Ms-Client-Principal": ADMIN},
    {"X-MS-CLIENT-PRINCIPAL": ADMIN, "X-MS-CLIENT-PRINCIPAL-ID": "admin"},
    {"X-MS-CLIENT-PRINCIPAL-NAME": "root", "X-MS-CLIENT-PRINCIPAL-ID": "0"},
    {"X-MS-CLIENT-PRINCIPAL": "%%% not base64"},  # ignored unvouched, never a 400
]


def decode(headers: dict[str, str]) -> faaskit.HttpRequest:
    raw = func.HttpRequest(
        method="GET", url="https://app.azurewebsites.net/api/x", headers=headers, body=b""
    )
    return AzureHttp().decode(raw, CTX)


@pytest.fixture(autouse=True)
def _platform_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No trust from the environment the tests run in; the once-per-process warning re-armed."""
    monkeypatch.delenv(AUTH_ENABLED, raising=False)
    monkeypatch.delenv(OPT_IN, raising=False)
    monkeypatch.setattr(_easy_auth, "_warned", False)
    yield


class TestPrincipalSpoofing:
    @pytest.mark.parametrize("headers", SPOOFS)
    def test_client_headers_never_make_a_principal_without_easy_auth(
        self, headers: dict[str, str]
    ) -> None:
        handler, seen = captured()
        response = call(handler, request(headers=headers))
        assert response.status_code == 204
        assert seen[0].principal is None
        assert seen[0].headers.get(next(iter(headers))) is not None  # still readable as headers

    @pytest.mark.parametrize("value", ["false", "False", "0", "1", "yes", "on", "", "truee", "t"])
    def test_only_a_true_website_auth_enabled_turns_trust_on(
        self, value: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(AUTH_ENABLED, value)
        assert decode({"x-ms-client-principal-id": "admin"}).principal is None

    @pytest.mark.parametrize("value", ["true", "True", "TRUE", " true\n", "\ttRuE "])
    def test_easy_auth_enabled_as_the_host_reads_it(
        self, value: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(AUTH_ENABLED, value)
        found = decode({"x-ms-client-principal": ADMIN, "x-ms-client-principal-id": "u-7"})
        assert found.principal is not None
        assert (found.principal.id, found.principal.provider) == ("u-7", "azure-app-service")

    @pytest.mark.parametrize(("value", "trusted"), [("1", True), ("true", True), ("0", False)])
    def test_the_self_hosted_opt_in(
        self, value: str, trusted: bool, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(OPT_IN, value)
        found = decode({"x-ms-client-principal-id": "svc-1"}).principal
        assert (found is not None and found.id == "svc-1") is trusted

    def test_a_malformed_vouched_principal_is_still_a_400(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(AUTH_ENABLED, "true")
        handler, seen = captured()
        req = request(headers=SPOOFS[-1])
        assert call(handler, req).status_code == 400
        assert not seen

    def test_deeply_nested_principal_json_is_a_400(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(AUTH_ENABLED, "true")
        nested = base64.b64encode(b"[" * 100_000 + b"]" * 100_000).decode()
        with pytest.raises(faaskit.BadRequestError):
            _ = decode({"x-ms-client-principal": nested}).principal


class TestWarning:
    def test_logged_once_per_process_when_spoofable_headers_arrive(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.WARNING, logger="faaskit.azure"):
            decode({"accept": "*/*"})
            assert not caplog.records
            for headers in SPOOFS:
                assert decode(headers).principal is None
        (record,) = caplog.records
        assert AUTH_ENABLED in record.getMessage()
        assert OPT_IN in record.getMessage()

    def test_not_logged_when_the_platform_vouches(
        self, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(AUTH_ENABLED, "true")
        with caplog.at_level(logging.WARNING, logger="faaskit.azure"):
            assert decode({"x-ms-client-principal-id": "u"}).principal is not None
        assert not caplog.records


_names = st.sampled_from(_easy_auth.PRINCIPAL_HEADERS).map(
    lambda name: "".join(c.upper() if i % 2 else c for i, c in enumerate(name))
)
_header_text = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=60)


@settings(max_examples=150, deadline=None)
@given(
    spoofed=st.dictionaries(_names | st.sampled_from(_easy_auth.PRINCIPAL_HEADERS), _header_text),
    setting=st.none()
    | st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=8),
)
def test_property_no_principal_unless_vouched(spoofed: dict[str, str], setting: Any) -> None:
    assume(setting is None or setting.strip().lower() != "true")
    env = {} if setting is None else {AUTH_ENABLED: setting}
    with mock.patch.dict(os.environ, env):
        assert decode(spoofed).principal is None


_ipv4 = st.ip_addresses(v=4).map(str)
_ipv6 = st.ip_addresses(v=6).map(str)
_port = st.integers(1, 65535)
_written = st.one_of(
    _ipv4,
    st.tuples(_ipv4, _port).map(lambda p: f"{p[0]}:{p[1]}"),
    _ipv6,
    st.tuples(_ipv6, _port).map(lambda p: f"[{p[0]}]:{p[1]}"),
)
_client_text = st.lists(
    st.one_of(_ipv4, _ipv6, st.text(st.characters(blacklist_characters=","), max_size=20)),
    max_size=4,
)


def _plain(entry: str) -> str:
    host = entry.rpartition(":")[0] if entry.count(":") == 1 else entry
    return str(ipaddress.ip_address(host.strip("[]").partition("]")[0]))


@settings(max_examples=200, deadline=None)
@given(forged=_client_text, peer=_written)
def test_property_address_is_the_hop_the_front_end_appended(forged: list[str], peer: str) -> None:
    headers = {"x-forwarded-for": ", ".join([*forged, peer])}
    assert decode(headers).source_ip == _plain(peer)


@settings(max_examples=200, deadline=None)
@given(forged=_client_text, written=_written, appended=_written)
def test_property_client_ip_written_by_the_front_end_wins(
    forged: list[str], written: str, appended: str
) -> None:
    headers = {"client-ip": written, "x-forwarded-for": ", ".join([*forged, appended])}
    assert decode(headers).source_ip == _plain(written)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["client-ip", "x-forwarded-for"]), st.text(max_size=40)))
def test_property_any_address_text_gives_a_string_or_none(headers: dict[str, str]) -> None:
    found = client_ip(headers)
    assert found is None or (isinstance(found, str) and found)


def test_the_full_worker_path_uses_the_platform_address() -> None:
    handler, seen = captured()
    req = request(
        headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.5:40000", "X-MS-CLIENT-PRINCIPAL-ID": "a"}
    )
    call(handler, req)
    assert (seen[0].source_ip, seen[0].principal) == ("203.0.113.5", None)
    assert AzureContext().invocation_id == seen[0].request_id
