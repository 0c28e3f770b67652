"""Every trigger kind and every HTTP auth mode in one app: the deploy generators' test bed.

``faaskit build samples/deploy_all_triggers/app.py --target all`` writes a SAM template and an
Azure Functions project from these declarations alone.
"""

from __future__ import annotations

from typing import Any

import faaskit

JWT = {"jwt": {"issuer": "https://login.example.com/", "audience": ["orders-api"]}}


@faaskit.handler(faaskit.http("GET", "/public/{item_id}", cors=True))
def public_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    return {"id": req.path_params["item_id"], "auth": "none"}


@faaskit.handler(
    faaskit.http(["GET", "POST"], "/orders", auth=JWT, throttle={"rate": 50, "burst": 100}),
    writes=["sqs://orders"],
)
def orders(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    principal = req.principal
    return {"user": principal.id if principal else None}


@faaskit.handler(faaskit.http("GET", "/ops/stats", auth="iam"), reads=["dynamodb://stats"])
def admin_stats(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    return {"auth": "iam"}


@faaskit.handler(
    faaskit.http(
        "GET",
        "/partner/{path+}",
        auth="api_key",
        throttle={"rate": 5, "burst": 10, "quota": {"limit": 10000, "period": "DAY"}},
    )
)
def partner(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    return {"path": req.path_params["path"]}


@faaskit.handler(faaskit.http("POST", "/hooks/{source}", auth="function"))
def hook(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
    return None


@faaskit.handler(
    faaskit.blob("faaskit-uploads", prefix="incoming/", suffix=".csv"),
    writes=["s3://faaskit-reports", "sns://order-events"],
)
def uploaded(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
    ctx.log.info("uploaded %s (%s bytes)", event.key, event.size)


@faaskit.handler(faaskit.blob("faaskit-uploads", prefix="archive/", events="deleted"))
def removed(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
    ctx.log.info("removed %s", event.key)


@faaskit.handler(faaskit.queue("orders"), reads=["s3://faaskit-reports"], timeout=60)
def order_placed(message: faaskit.Message, ctx: faaskit.Context) -> None:
    message.json()


@faaskit.handler(faaskit.queue("audit", batch=True, batch_size=25), memory=1024)
def audit(batch: faaskit.MessageBatch, ctx: faaskit.Context) -> None:
    for message in batch.messages:
        ctx.log.info("audit %s", message.id)


@faaskit.handler(faaskit.topic("order-events", subscription="mailer"))
def mailer(message: faaskit.Message, ctx: faaskit.Context) -> None:
    ctx.log.info("mail for %s", message.subject)


@faaskit.handler(faaskit.schedule("rate(15 minutes)"), writes=["events://default"])
def heartbeat(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> None:
    ctx.log.info("tick %s", event.time)


@faaskit.handler(faaskit.schedule("cron(0 6 ? * MON-FRI *)"))
def morning_report(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> None:
    ctx.log.info("report %s", event.time)


@faaskit.handler(faaskit.schedule("0 30 2 1 * *"))
def monthly_cleanup(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> None:
    ctx.log.info("cleanup %s", event.time)


@faaskit.handler(faaskit.stream("clicks", batch=True, starting_position="TRIM_HORIZON"))
def clicks(batch: faaskit.RecordBatch, ctx: faaskit.Context) -> None:
    for record in batch.records:
        record.json()


@faaskit.handler(faaskit.stream("shop/customers", batch=True), writes=["kinesis://clicks"])
def customers_changed(batch: faaskit.RecordBatch, ctx: faaskit.Context) -> None:
    for record in batch.records:
        ctx.log.info("customer %s", record.new)


@faaskit.handler(
    faaskit.events({"source": ["shop.orders"], "detail-type": ["OrderShipped"]}),
    writes=["azure-queue://shipments"],
)
def shipped(event: faaskit.CloudEvent, ctx: faaskit.Context) -> None:
    ctx.log.info("shipped %s", event.id)
