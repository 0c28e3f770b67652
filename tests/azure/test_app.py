"""faaskit_azure.function_app: registration table, bindings and worker-valid wrappers."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import subprocess
import sys
import textwrap
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import azure.functions as func
import pytest

import faaskit
import faaskit_azure
from faaskit._trigger import Trigger
from faaskit_azure.app import FAMILIES, collect
from faaskit_azure.wrapper import make_wrapper
from tests.core.helpers import run_python

ROOT = Path(__file__).resolve().parents[2]
PY313 = Path(os.environ.get("FAASKIT_PY313", "/tmp/py313/bin/python"))


@faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
def get_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, str]:
    return {"id": req.path_params["item_id"]}


@faaskit.handler(faaskit.http(["POST", "PUT"], "/files/{path+}", auth="function"), name="upload")
async def put_file(req: faaskit.HttpRequest, ctx: faaskit.Context) -> str:
    return req.path_params["path"]


@faaskit.handler(faaskit.http("ANY", "/anything"))
def anything(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
    return None


def module(name: str, **attributes: Any) -> types.ModuleType:
    made = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(made, key, value)
    return made


def bindings(app: func.FunctionApp) -> dict[str, list[dict[str, Any]]]:
    return {
        str(f.get_function_name()): [json.loads(b) for b in f.get_raw_bindings()]
        for f in app.get_functions()
    }


def functions(app: func.FunctionApp) -> dict[str, Any]:
    return {str(f.get_function_name()): f.get_user_function() for f in app.get_functions()}


class TestCollect:
    def test_modules_handlers_and_lists(self) -> None:
        mod = module("handlers", get_item=get_item, helper=len, again=get_item)
        assert collect([mod, [put_file, (anything,)], get_item]) == [get_item, put_file, anything]

    def test_module_without_handlers(self) -> None:
        with pytest.raises(faaskit.ConfigurationError, match="empty_mod"):
            collect([module("empty_mod", x=1)])

    def test_not_a_handler(self) -> None:
        with pytest.raises(faaskit.ConfigurationError, match="handlers and modules"):
            collect([lambda event, ctx: None])


class TestFunctionApp:
    def test_http_bindings(self) -> None:
        app = faaskit_azure.function_app(module("h", a=get_item, b=put_file, c=anything))
        assert isinstance(app, func.FunctionApp)
        found = bindings(app)
        assert set(found) == {"get_item", "upload", "anything"}
        trigger, output = found["get_item"]
        assert trigger == {
            "direction": "IN",
            "type": "httpTrigger",
            "name": "req",
            "methods": ["GET"],
            "authLevel": "ANONYMOUS",
            "route": "items/{item_id}",
        }
        assert output == {"direction": "OUT", "type": "http", "name": "$return"}
        upload = found["upload"][0]
        assert (upload["route"], upload["methods"], upload["authLevel"]) == (
            "files/{*path}",
            ["POST", "PUT"],
            "FUNCTION",
        )
        assert "methods" not in found["anything"][0]

    def test_wrapper_signature_matches_what_the_worker_reads(self) -> None:
        for name, wrapper in functions(faaskit_azure.function_app(get_item, put_file)).items():
            signature = inspect.signature(wrapper)
            assert list(signature.parameters) == ["req", "context"], name
            hints = typing.get_type_hints(wrapper)
            assert hints == {
                "req": func.HttpRequest,
                "context": func.Context,
                "return": func.HttpResponse,
            }
            assert {p.name: p.annotation for p in signature.parameters.values()} == {
                k: v for k, v in hints.items() if k != "return"
            }
            assert signature.return_annotation is func.HttpResponse
            assert wrapper.__name__ == name
        wrappers = functions(faaskit_azure.function_app(get_item, put_file))
        assert not inspect.iscoroutinefunction(wrappers["get_item"])
        assert inspect.iscoroutinefunction(wrappers["upload"])

    def test_registered_wrappers_answer_requests(self) -> None:
        wrappers = functions(faaskit_azure.function_app(get_item, put_file))
        req = func.HttpRequest(
            method="GET",
            url="https://h/api/items/3",
            headers={},
            route_params={"item_id": "3"},
            body=b"",
        )
        response = wrappers["get_item"](req=req, context=None)
        assert json.loads(response.get_body()) == {"id": "3"}
        upload = func.HttpRequest(
            method="PUT", url="https://h/api/files/a/b", route_params={"path": "a/b"}, body=b"x"
        )
        response = asyncio.run(wrappers["upload"](upload, None))
        assert (response.status_code, response.get_body()) == (200, b"a/b")

    def test_options(self) -> None:
        app = faaskit_azure.function_app(get_item, auth_level="function", route_prefix="")
        assert app.auth_level is func.AuthLevel.FUNCTION
        (function,) = app.get_functions()  # the library refuses a second get_functions()
        assert json.loads(function.get_raw_bindings()[0])["authLevel"] == "FUNCTION"
        req = func.HttpRequest(method="GET", url="https://h/items/3", body=b"")
        response = function.get_user_function()(req=req, context=None)
        assert json.loads(response.get_body()) == {"id": "3"}

    def test_existing_app(self) -> None:
        existing = func.FunctionApp()
        assert faaskit_azure.function_app(get_item, app=existing) is existing
        assert set(bindings(existing)) == {"get_item"}

    def test_bad_auth_level(self) -> None:
        with pytest.raises(faaskit.ConfigurationError, match="auth_level"):
            faaskit_azure.function_app(get_item, auth_level="everyone")

    def test_handler_without_trigger_is_named(self) -> None:
        @faaskit.handler
        def bare(event: Any, ctx: faaskit.Context) -> None:
            return None

        with pytest.raises(faaskit.ConfigurationError, match="'bare' has no trigger"):
            faaskit_azure.function_app(bare)

    def test_duplicate_names(self) -> None:
        @faaskit.handler(faaskit.http("GET", "/other"), name="get_item")
        def other(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
            return None

        with pytest.raises(faaskit.ConfigurationError, match="two handlers are named 'get_item'"):
            faaskit_azure.function_app(get_item, other)

    def test_family_table_dispatch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        class Custom(Trigger):
            kind: ClassVar[str] = "custom"

        calls: list[tuple[Any, Any, Mapping[str, Any]]] = []
        family = module("fake_custom_family")
        family.register = lambda app, handler, options: calls.append((app, handler, options))
        monkeypatch.setitem(sys.modules, "fake_custom_family", family)
        monkeypatch.setitem(FAMILIES, "custom", "fake_custom_family")
        handler = faaskit.handler(Custom(), name="custom_fn")(lambda event, ctx: None)
        app = faaskit_azure.function_app(handler, connection="Storage")
        ((got_app, got_handler, options),) = calls
        assert (got_app, got_handler) == (app, handler)
        assert options["connection"] == "Storage"
        assert options["auth_level"] is func.AuthLevel.ANONYMOUS
        assert options["route_prefix"] == "api"
        with pytest.raises(TypeError):
            options["connection"] = "other"  # type: ignore[index]

    def test_unknown_kind(self, monkeypatch: pytest.MonkeyPatch) -> None:
        class Odd(Trigger):
            kind: ClassVar[str] = "odd"

        handler = faaskit.handler(Odd(), name="odd_fn")(lambda event, ctx: None)
        with pytest.raises(faaskit.ConfigurationError, match=r"'odd_fn'.*odd"):
            faaskit_azure.function_app(handler)
        monkeypatch.setitem(FAMILIES, "odd", "faaskit_azure.no_such_family")
        with pytest.raises(faaskit.ConfigurationError, match="'odd_fn'"):
            faaskit_azure.function_app(handler)


class TestMakeWrapper:
    def test_signature_and_call(self) -> None:
        seen: list[dict[str, Any]] = []
        wrapper = make_wrapper(
            "fn", [("msg", func.QueueMessage)], None, lambda **kw: seen.append(kw) or "done"
        )
        parameters = inspect.signature(wrapper).parameters
        assert {name: p.annotation for name, p in parameters.items()} == {
            "msg": func.QueueMessage,
            "context": func.Context,
        }
        assert "return" not in typing.get_type_hints(wrapper)
        assert wrapper("m", "c") == "done"
        assert wrapper(msg="m2", context="c2") == "done"
        assert seen == [{"msg": "m", "context": "c"}, {"msg": "m2", "context": "c2"}]

    def test_async(self) -> None:
        async def call(**kwargs: Any) -> Any:
            return kwargs["req"]

        wrapper = make_wrapper(
            "fn", [("req", func.HttpRequest)], func.HttpResponse, call, is_async=True
        )
        assert inspect.iscoroutinefunction(wrapper)
        assert asyncio.run(wrapper("r", None)) == "r"

    @pytest.mark.parametrize("params", [[("context", str)], [("a", str), ("a", str)]])
    def test_refuses_bad_binding_names(self, params: list[tuple[str, Any]]) -> None:
        with pytest.raises(ValueError, match="binding names"):
            make_wrapper("fn", params, None, lambda **kw: None)


def _run(script: str, python: str = sys.executable, cwd: Path = ROOT) -> str:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'adapters'}"}
    result = subprocess.run(
        [python, "-c", script], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_lazy_imports() -> None:
    out = _run(
        textwrap.dedent(
            """
            import sys, faaskit, faaskit_azure
            print(any(m == "azure" or m.startswith("azure.") for m in sys.modules))
            @faaskit.handler(faaskit.http("GET", "/x"))
            def x(req, ctx): return None
            faaskit_azure.function_app(x)
            families = ("blob", "message", "event", "schedule", "stream")
            print(sorted(f for f in families if f"faaskit_azure.{f}" in sys.modules))
            """
        )
    )
    assert out.split("\n")[:2] == ["False", "[]"]


@pytest.mark.runtime
@pytest.mark.skipif(not PY313.exists(), reason=f"no Python 3.13 worker at {PY313}")
def test_the_real_worker_indexes_the_app(tmp_path: Path) -> None:
    """The Python worker's own indexing (azure-functions-runtime) accepts every wrapper."""
    (tmp_path / "function_app.py").write_text(
        textwrap.dedent(
            """
            import faaskit, faaskit_azure

            @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
            def get_item(req, ctx):
                return {"id": req.path_params["item_id"]}

            @faaskit.handler(faaskit.http("POST", "/files/{path+}"))
            async def upload(req, ctx):
                return None

            app = faaskit_azure.function_app(get_item, upload)
            """
        )
    )
    script = textwrap.dedent(
        """
        import json
        from azure_functions_runtime.bindings import meta
        from azure_functions_runtime.functions import Registry
        from azure_functions_runtime.loader import index_function_app, process_indexed_function
        from tests.protos import FunctionRpc_pb2 as protos

        meta.load_binding_registry()
        registry = Registry()
        process_indexed_function(protos, registry, index_function_app("function_app.py"), ".")
        print(json.dumps({
            fi.name: [fi.is_async, fi.requires_context, fi.is_http_func,
                      {k: v.binding_name for k, v in fi.input_types.items()},
                      fi.return_type.binding_name]
            for fi in registry._functions.values()
        }))
        """
    )
    env_path = f"{tmp_path}{os.pathsep}{ROOT}{os.pathsep}{ROOT / 'adapters'}"
    result = subprocess.run(
        [str(PY313), "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": env_path},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    indexed = json.loads(result.stdout.strip().splitlines()[-1])
    assert indexed == {
        "get_item": [False, True, True, {"req": "httpTrigger"}, "http"],
        "upload": [True, True, True, {"req": "httpTrigger"}, "http"],
    }


def test_an_app_without_http_functions_does_not_warn_about_auth_levels() -> None:
    code = (
        "import json, sys, io, logging\n"
        "sys.stderr = io.StringIO()\n"
        "import faaskit, faaskit_azure\n"
        "@faaskit.handler(faaskit.queue('orders'))\n"
        "def on_order(message, ctx): pass\n"
        "app = faaskit_azure.function_app(on_order)\n"
        "app.get_functions()\n"
        "print(json.dumps([sys.stderr.getvalue(), len(logging.getLogger().handlers)]))\n"
    )
    assert run_python(code) == ["", 0]
