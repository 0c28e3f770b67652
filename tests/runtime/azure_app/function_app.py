"""A hand-written Azure Functions app (Python v2 programming model) for the harness tests.

Each function echoes what the worker handed it, so tests can compare it with what was sent.
"""

from __future__ import annotations

import json
import logging

import azure.functions as func

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="items/{item_id}", methods=["GET", "POST"])
def get_item(req: func.HttpRequest) -> func.HttpResponse:
    """Echo the request's method, route parameter, query, one header and body."""
    payload = {
        "method": req.method,
        "item_id": req.route_params.get("item_id"),
        "query": dict(req.params),
        "trace": req.headers.get("x-trace"),
        "body": req.get_body().decode(),
    }
    return func.HttpResponse(
        json.dumps(payload),
        status_code=201 if req.method == "POST" else 200,
        headers={"x-served-by": "azure_app"},
        mimetype="application/json",
    )


@app.route(route="boom", methods=["GET"])
def boom(req: func.HttpRequest) -> func.HttpResponse:
    """Always fails."""
    raise RuntimeError("boom on purpose")


@app.queue_trigger(arg_name="msg", queue_name="orders", connection="AzureWebJobsStorage")
def on_order(msg: func.QueueMessage) -> None:
    """Log the message's fields; fail on a poison body so the host would retry it."""
    body = msg.get_body().decode()
    if body == "poison":
        raise ValueError("poison message")
    logging.info(
        "queue %s",
        json.dumps(
            {
                "id": msg.id,
                "body": body,
                "dequeue_count": msg.dequeue_count,
                "insertion_time": msg.insertion_time.isoformat() if msg.insertion_time else None,
                "pop_receipt": msg.pop_receipt,
            }
        ),
    )


@app.blob_trigger(arg_name="blob", path="uploads/{name}", connection="AzureWebJobsStorage")
def on_upload(blob: func.InputStream) -> None:
    """Log the blob's name, length, URI and content."""
    logging.info(
        "blob %s",
        json.dumps(
            {
                "name": blob.name,
                "length": blob.length,
                "uri": blob.uri,
                "data": blob.read().decode(),
            }
        ),
    )


@app.timer_trigger(arg_name="timer", schedule="0 */5 * * * *", run_on_startup=False)
def tick(timer: func.TimerRequest) -> None:
    """Log whether the timer is past due."""
    logging.info("timer %s", json.dumps({"past_due": timer.past_due}))


@app.queue_trigger(arg_name="msg", queue_name="jobs", connection="AzureWebJobsStorage")
@app.queue_output(arg_name="done", queue_name="jobs-done", connection="AzureWebJobsStorage")
def forward(msg: func.QueueMessage, done: func.Out[str]) -> None:
    """Forward the body, upper-cased, to an output queue."""
    done.set(msg.get_body().decode().upper())


@app.service_bus_queue_trigger(arg_name="msg", queue_name="invoices", connection="ServiceBus")
def on_invoice(msg: func.ServiceBusMessage) -> None:
    """Log the Service Bus message's fields."""
    fields = {
        "message_id": msg.message_id,
        "body": msg.get_body().decode(),
        "content_type": msg.content_type,
        "delivery_count": msg.delivery_count,
        "sequence_number": msg.sequence_number,
        "application_properties": msg.application_properties,
        "subject": msg.label,
    }
    logging.info("servicebus %s", json.dumps(fields))


@app.event_grid_trigger(arg_name="event")
def on_grid(event: func.EventGridEvent) -> None:
    """Log the Event Grid event's fields."""
    fields = {
        "id": event.id,
        "type": event.event_type,
        "subject": event.subject,
        "data": event.get_json(),
    }
    logging.info("eventgrid %s", json.dumps(fields))


@app.event_hub_message_trigger(arg_name="event", event_hub_name="telemetry", connection="Hub")
def on_telemetry(event: func.EventHubEvent) -> None:
    """Log the Event Hubs event's fields."""
    fields = {
        "body": event.get_body().decode(),
        "sequence_number": event.sequence_number,
        "offset": event.offset,
        "partition_key": event.partition_key,
    }
    logging.info("eventhub %s", json.dumps(fields))


@app.cosmos_db_trigger(
    arg_name="docs", connection="Cosmos", database_name="shop", container_name="orders"
)
def on_change(docs: func.DocumentList) -> None:
    """Log the changed documents' ids."""
    logging.info("cosmos %s", json.dumps([doc["id"] for doc in docs]))
