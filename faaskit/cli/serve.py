"""``faaskit serve APP``: a local dev server for an app's handlers, on either cloud's path."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from faaskit.cli._common import add_debug
from faaskit.cli._logs import add_log_format, local_metrics, setup_logging

__all__ = ["add_parser", "run"]

_EPILOG = """\
HTTP handlers answer on http://HOST:PORT (on azure also under /api). Local triggers live in
the data folder (--data): put a file in blobs/<bucket>/ to fire blob handlers, send a message
to queues/<name>/ (faaskit.storage.queues('file://...').send(...)) to fire queue handlers;
failed messages are retried, then moved to dead-letter/<name>/. Put a file (one record; a
.jsonl file: one per line) in streams/<name>/ to fire that stream's handlers, in order (aws: a
Kinesis batch that resumes from the failed record; azure: an Event Hubs delivery); put an
event {"source": ..., "detail-type": ..., "detail": {...}} in events/ to fire every
faaskit.events handler whose pattern matches it (aws: EventBridge; azure: Event Grid); failed
records and events are retried, then moved to dead-letter/streams/<name>/<handler>/ and
dead-letter/events/<handler>/. Schedules fire on time.
Handlers that use faaskit.storage with s3://, azure://, sqs:// or azure-queue:// URLs read
and write the data folder instead. A change to a .py file under the app's folder reloads.

examples:
  faaskit serve app.py
  faaskit serve shop.api --platform azure --port 7071
  faaskit serve app.py --runtime lambda     # inside the real Lambda runtime client
"""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return value


def _seconds(*, positive: bool) -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0 or (positive and value == 0):
            bound = "> 0" if positive else ">= 0"
            raise argparse.ArgumentTypeError(f"must be a number of seconds {bound}, got {text!r}")
        return value

    return parse


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit serve``."""
    parser = subparsers.add_parser(
        "serve",
        help="run a local dev server for an app's handlers",
        description="Serve an app's HTTP handlers through the chosen cloud's adapter, with "
        "local blob, queue, topic, stream, event-bus and schedule triggers and reload on change.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("app", metavar="APP", help="module name or file holding the handlers")
    parser.add_argument(
        "--platform",
        "-p",
        choices=("aws", "azure"),
        default="aws",
        help="whose adapter path to serve through (default: aws)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument("--port", type=int, default=3000, help="default: 3000")
    parser.add_argument(
        "--data",
        default=".faaskit/local",
        metavar="DIR",
        help="local storage, queues, streams and events (default: .faaskit/local)",
    )
    parser.add_argument(
        "--runtime",
        choices=("lambda",),
        help="run HTTP handlers inside the real AWS Lambda runtime client",
    )
    parser.add_argument("--no-reload", action="store_true", help="do not reload on change")
    parser.add_argument(
        "--max-attempts",
        type=_positive_int,
        metavar="N",
        help="deliveries before a message, record or event is dead-lettered "
        "(default: 3 on aws, 5 on azure)",
    )
    parser.add_argument(
        "--retry-delay",
        type=_seconds(positive=False),
        default=1.0,
        metavar="SECONDS",
        help="wait before a failed message is retried (default: 1)",
    )
    parser.add_argument(
        "--poll",
        type=_seconds(positive=True),
        default=0.25,
        metavar="SECONDS",
        help="how often the data folder is checked (default: 0.25)",
    )
    add_debug(parser)
    add_log_format(parser)


def _watch_root(app: str) -> Path:
    path = Path(app.partition(":")[0] if not Path(app).exists() else app)
    if path.suffix == ".py" or path.is_file():
        return path.resolve().parent
    if path.is_dir():
        return path.resolve()
    return Path.cwd()


def _serve(args: argparse.Namespace) -> int:
    import signal
    import threading

    from faaskit.devserver.server import DevServer
    from faaskit.tooling.apps import load_app

    local_metrics(Path(args.data) / "metrics.jsonl")
    app = load_app(args.app)
    server = DevServer(
        app,
        platform=args.platform,
        host=args.host,
        port=args.port,
        data=args.data,
        runtime=args.runtime,
        interval=args.poll,
        retry_delay=args.retry_delay,
        max_attempts=args.max_attempts,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with server:
        for line in server.describe():
            print(line, flush=True)
        print(f"faaskit serve: ready on {server.url} (Ctrl-C to stop)", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            return 130
    return 0


def run(args: argparse.Namespace) -> int:
    """Serve (under a reloading supervisor unless ``--no-reload``)."""
    setup_logging(getattr(args, "log_format", "text"), debug=getattr(args, "debug", False))
    if args.no_reload:
        return _serve(args)
    import socket

    from faaskit.devserver.reload import Supervisor

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((args.host, args.port))
        except OSError as exc:
            print(
                f"faaskit serve: error: cannot listen on {args.host}:{args.port}: "
                f"{exc.strerror or exc}; choose another port with --port",
                file=sys.stderr,
            )
            return 1
    argv = [a for a in sys.argv[1:] if a != "--no-reload"]
    command = [sys.executable, "-m", "faaskit", *argv, "--no-reload"]
    print(f"faaskit serve: starting {args.app} (reloads on change) ...", flush=True)
    return Supervisor(command, _watch_root(args.app), ignore=[Path(args.data)]).run()
