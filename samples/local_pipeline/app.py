"""A small pipeline to try ``faaskit serve`` on: upload over HTTP, a blob trigger counts the
words and queues the result, a queue handler stores it, HTTP reads it back, and a schedule
ticks every minute.

    faaskit serve samples/local_pipeline/app.py            # or --platform azure
    curl -X PUT --data 'to be or not to be' http://127.0.0.1:3000/uploads/hamlet.txt
    curl http://127.0.0.1:3000/results/hamlet.txt

The storage URLs come from the environment, so the same code runs on either cloud; the dev
server maps every bucket and queue into its local data folder.
"""

from __future__ import annotations

import json
import os

import faaskit
from faaskit import storage

UPLOADS = os.environ.get("UPLOADS_URL", "s3://uploads")
RESULTS = os.environ.get("RESULTS_URL", "s3://results")
COUNTS = os.environ.get("COUNTS_QUEUE", "sqs://counts")


@faaskit.handler(faaskit.http("PUT", "/uploads/{name}"))
def upload(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    name = req.path_params["name"]
    storage.blobs(UPLOADS).put(name, req.body, content_type="text/plain")
    return faaskit.Response.json({"stored": name}, status=201)


@faaskit.handler(faaskit.blob("uploads", suffix=".txt"))
def count_words(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
    words = len(storage.blobs(UPLOADS).get(event.key).decode("utf-8", "replace").split())
    storage.queues(COUNTS).send({"name": event.key, "words": words})


@faaskit.handler(faaskit.queue("counts"))
def save_count(message: faaskit.Message, ctx: faaskit.Context) -> None:
    data = message.json()
    if data.get("words", 0) > 10_000:
        raise ValueError(f"{data['name']} is too long to count")
    storage.blobs(RESULTS).put(f"{data['name']}.json", json.dumps(data))


@faaskit.handler(faaskit.http("GET", "/results/{name}"))
def result(req: faaskit.HttpRequest, ctx: faaskit.Context) -> object:
    try:
        return json.loads(storage.blobs(RESULTS).get(f"{req.path_params['name']}.json"))
    except storage.BlobNotFound:
        raise faaskit.NotFoundError(f"no result for {req.path_params['name']} yet") from None


@faaskit.handler(faaskit.schedule("rate(1 minute)"))
def heartbeat(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> None:
    ctx.log.info("tick at %s (past due: %s)", event.time, event.past_due)
