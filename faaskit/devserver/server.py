"""``DevServer``: one app served locally, HTTP plus local triggers, started and stopped as a
unit (from ``faaskit serve`` or from a test).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from faaskit._handler import Handler
from faaskit._routes import Http
from faaskit.devserver.apps import App
from faaskit.devserver.http import HttpBridge, Route, make_server
from faaskit.devserver.local import LocalCloud
from faaskit.devserver.triggers import TriggerLoop
from faaskit.exceptions import ConfigurationError

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
        self.bridge = HttpBridge(routes, platform, call=call)
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
                attribute = next(n for n, v in vars(self.app.module).items() if v is handler)
                root = Path(self.app.module.__file__ or ".").resolve().parent
                for _ in self.app.module.__name__.split(".")[1:]:
                    root = root.parent
                faaskit_root = Path(__file__).resolve().parents[2]
                log.info("starting the Lambda runtime client for %s ...", handler.name)
                runtime = LambdaRuntime(
                    f"{self.app.module.__name__}.{attribute}",
                    task_root=root,
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
        return lines

    def start(self) -> DevServer:
        """Serve in background threads (returns at once)."""
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

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
