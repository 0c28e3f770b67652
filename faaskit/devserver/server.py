"""``DevServer``: one app served locally, HTTP plus local triggers, started and stopped as a
unit (from ``faaskit serve`` or from a test).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from faaskit import Handler
from faaskit.adapter import Http
from faaskit.devserver.gate import Gate
from faaskit.devserver.http import HttpBridge, Route, make_server
from faaskit.devserver.keys import LocalKeys, declared_issuer
from faaskit.devserver.local import LocalCloud
from faaskit.devserver.triggers import TriggerLoop
from faaskit.exceptions import ConfigurationError
from faaskit.tooling.apps import App

__all__ = ["DevServer"]

log = logging.getLogger("faaskit.serve")


class DevServer:
    """Serve ``app`` on ``host:port`` through ``platform``'s adapter, with local triggers.

    ``runtime="lambda"`` sends each HTTP request to the handler running inside the real
    Lambda runtime interface client (one runtime per handler, started on first use).
    """

    def __init__(
        self,
        app: App,
        *,
        platform: str = "aws",
        host: str = "127.0.0.1",
        port: int = 3000,
        data: str | Path = ".faaskit/local",
        runtime: str | None = None,
        interval: float = 0.25,
        retry_delay: float = 1.0,
        max_attempts: int | None = None,
    ) -> None:
        if platform not in ("aws", "azure"):
            raise ConfigurationError(f"unknown platform {platform!r}; use aws or azure")
        if runtime not in (None, "lambda"):
            raise ConfigurationError(f"unknown runtime {runtime!r}; the only one is 'lambda'")
        if runtime == "lambda" and platform != "aws":
            raise ConfigurationError("--runtime lambda runs the AWS path: use --platform aws")
        self.app = app
        self.platform = platform
        self.cloud = LocalCloud(data)
        routes = [
            Route(handler=h, trigger=h.trigger) for h in app.handlers if isinstance(h.trigger, Http)
        ]
        self._runtimes: dict[str, Any] = {}
        self._lock = threading.Lock()
        call = self._lambda_call if runtime == "lambda" else None
        self.keys = LocalKeys(data)
        self.bridge = HttpBridge(
            routes, platform, call=call, gate=Gate(self.keys, platform), openapi=self.openapi
        )
        self._saved_env: dict[str, str | None] = {}
        try:
            self.http = make_server(self.bridge, host, port)
        except OSError as exc:
            raise ConfigurationError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                "choose another port with --port"
            ) from exc
        self.triggers = TriggerLoop(
            self.cloud,
            app.handlers,
            platform,
            interval=interval,
            retry_delay=retry_delay,
            max_attempts=max_attempts,
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        host, port = self.http.server_address[:2]
        return f"http://{host!s}:{port}"

    def _lambda_call(self, handler: Handler, event: Any) -> Any:
        from faaskit.testing.lambda_runtime import LambdaRuntime

        with self._lock:
            runtime = self._runtimes.get(handler.name)
            if runtime is None:
                faaskit_root = Path(__file__).resolve().parents[2]
                log.info("starting the Lambda runtime client for %s ...", handler.name)
                runtime = LambdaRuntime(
                    f"{self.app.name}.{self.app.attribute(handler)}",
                    task_root=self.app.root,
                    function_name=handler.name,
                    python_path=[faaskit_root, faaskit_root / "adapters"],
                    stream_output=True,
                ).start()
                self._runtimes[handler.name] = runtime
        return runtime.invoke(event)

    def describe(self) -> list[str]:
        """Lines saying what is served where."""
        lines = [f"faaskit dev server ({self.platform}) for {self.app.where}"]
        for route in self.bridge.routes:
            methods = ",".join(route.trigger.methods)
            prefix = "/api" if self.platform == "azure" else ""
            lines.append(
                f"  http      {methods:<8} {self.url}{prefix}{route.trigger.route}"
                f"  -> {route.handler.name}"
            )
        for handler in self.app.handlers:
            trigger: Any = handler.trigger
            kind = type(trigger).__name__
            if kind == "Blob":
                where = self.cloud.bucket_dir(trigger.bucket) / (trigger.prefix or "")
                lines.append(f"  blob      put files in {where}  -> {handler.name}")
            elif kind in ("Queue", "Topic"):
                where = self.cloud.queue_dir(trigger.name)
                lines.append(f"  {kind.lower():<9} send to {where.as_uri()}  -> {handler.name}")
            elif kind == "Schedule":
                tick = next(t for t in self.triggers.ticks if t.handler is handler)
                lines.append(
                    f"  schedule  {trigger.expression} (next {tick.due:%Y-%m-%d %H:%M:%S}Z)"
                    f"  -> {handler.name}"
                )
            elif kind == "Stream":
                where = self.cloud.stream_dir(trigger.name)
                lines.append(f"  stream    add records to {where}  -> {handler.name}")
            elif kind == "Events":
                where = self.cloud.events_dir()
                pattern = json.dumps(dict(trigger.pattern), separators=(",", ":"))
                lines.append(
                    f"  events    put events in {where} matching {pattern}  -> {handler.name}"
                )
            elif trigger is None:
                lines.append(
                    f"  any       (no local source; use faaskit invoke)  -> {handler.name}"
                )
        if len(lines) == 1:
            lines.append("  (the app holds no handlers)")
        return lines + self._auth_lines()

    def _auth_lines(self) -> list[str]:
        from faaskit.deploy._validate import auth_mode

        modes = {auth_mode(r.trigger.auth)[0] for r in self.bridge.routes}
        lines: list[str] = []
        if modes & {"jwt", "iam"}:
            lines.append("  auth      jwt/iam routes take 'Authorization: Bearer TOKEN'; mint one")
            lines.append("            with: faaskit token --sub NAME [--claim k=v ...]")
        if modes & {"api_key", "function"}:
            header = "x-functions-key (or ?code=)" if self.platform == "azure" else "x-api-key"
            keys = ", ".join(self.keys.api_keys())
            lines.append(f"  auth      api-key routes take {header}: {keys}")
        return lines

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI 3.1 document of the app's HTTP routes (served at ``/openapi.json``)."""
        from faaskit.devserver.openapi import document, title_of

        return document(self.app.handlers, title=title_of(self.app))

    def token(self, sub: str, **claims: Any) -> str:
        """A bearer token this server accepts on the app's JWT routes (tests, ``faaskit
        token``): the declared issuer and every declared audience.
        """
        issuer, audience = declared_issuer([r.trigger for r in self.bridge.routes])
        return self.keys.mint(sub, issuer=issuer, audience=audience, claims=claims)

    def start(self) -> DevServer:
        """Serve in background threads (returns at once)."""
        if self.platform == "azure":
            # App Service Authentication is on: the principal headers come from the server.
            import os

            self._saved_env = {"WEBSITE_AUTH_ENABLED": os.environ.get("WEBSITE_AUTH_ENABLED")}
            os.environ["WEBSITE_AUTH_ENABLED"] = "true"
        self.cloud.install()
        self.triggers.start()
        self._thread = threading.Thread(
            target=self.http.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="faaskit-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, stop the triggers and any runtime clients."""
        self.http.shutdown()
        self.http.server_close()
        self.triggers.stop()
        for runtime in self._runtimes.values():
            runtime.close()
        self._runtimes.clear()
        self.cloud.uninstall()
        import os

        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_env = {}

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
