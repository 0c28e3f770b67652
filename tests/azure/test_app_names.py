"""faaskit_azure.app: function names and routes the Functions host accepts, and clashes."""

from __future__ import annotations

from typing import Any

import pytest

import faaskit
import faaskit_azure


def _http(name: str) -> Any:
    return faaskit.handler(faaskit.http("GET", "/x"), name=name)(lambda req, ctx: None)


# The host validates names with ^[a-z][a-z0-9_\-]{0,127}$(?<!^host$), case-insensitive
# (azure-functions-host Utility.FunctionNameValidationRegex); a bad name fails the whole app.
@pytest.mark.parametrize("name", ["_private", "résumé", "a" * 129, "my.func", "1st", "host"])
def test_a_name_the_functions_host_rejects_is_a_configuration_error(name: str) -> None:
    handler = _http(name)
    with pytest.raises(faaskit.ConfigurationError, match="not a valid Azure function name") as err:
        faaskit_azure.function_app(handler)
    assert repr(name) in str(err.value)


@pytest.mark.parametrize("name", ["a", "get_item", "Get-Item2", "h" * 128, "hosting"])
def test_a_name_the_functions_host_accepts_registers(name: str) -> None:
    app = faaskit_azure.function_app(_http(name))
    assert [f.get_function_name() for f in app.get_functions()] == [name]


def test_names_that_differ_only_in_case_clash_as_they_do_in_the_host() -> None:
    with pytest.raises(faaskit.ConfigurationError, match="unique"):
        faaskit_azure.function_app(_http("Orders"), _http("orders"))


# The host keeps /admin for its management API and refuses a function route under it
# ("The specified route conflicts with one or more built in routes"), whatever routePrefix is.
@pytest.mark.parametrize("route", ["/admin", "/admin/users", "/Admin/{id}"])
def test_a_route_under_admin_is_a_configuration_error(route: str) -> None:
    handler = faaskit.handler(faaskit.http("GET", route), name="panel")(lambda req, ctx: None)
    with pytest.raises(faaskit.ConfigurationError, match=r"'panel'.*admin"):
        faaskit_azure.function_app(handler)
