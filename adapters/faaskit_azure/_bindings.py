"""Registration glue and value helpers shared by the non-HTTP Azure family modules.

``binding`` puts a handler behind one trigger decorator of the ``FunctionApp`` and ``retry``
gives it a retry policy; ``option`` and ``connection`` read per-entity registration options;
``batch_entries`` and ``raise_failures`` keep every item of a batch delivery accounted for;
``utc`` and ``parse_time`` normalise the times bindings deliver.
"""

from __future__ import annotations

import datetime as _dt
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from faaskit.adapter import BatchEntry
from faaskit.exceptions import BatchFailedError, ConfigurationError, InvalidEventError

__all__ = [
    "batch_entries",
    "binding",
    "connection",
    "option",
    "parse_time",
    "raise_failures",
    "retry",
    "utc",
]


def utc(value: _dt.datetime | None) -> _dt.datetime | None:
    """``value`` as an aware UTC datetime; Azure reports naive times in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value.astimezone(_dt.timezone.utc)


# .NET writes 7-digit (or trimmed) fractions and "Z"; before Python 3.11 fromisoformat takes
# neither, so both are normalised to 6 digits and "+00:00".
_FRACTION = re.compile(r"(?<=\d\d:\d\d:\d\d)[.,](\d+)")


def _iso(text: str) -> str:
    text = text.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    return _FRACTION.sub(lambda m: "." + (m[1] + "000000")[:6], text, count=1)


def parse_time(value: Any, *, source: str, field: str) -> _dt.datetime | None:
    """An ISO-8601 time (``datetime`` or string, 7-digit fractions allowed) in UTC, or None."""
    if value is None or value == "":
        return None
    # OverflowError: a time at the edge of the datetime range that UTC moves past it.
    try:
        if isinstance(value, _dt.datetime):
            return utc(value)
        if isinstance(value, str):
            return utc(_dt.datetime.fromisoformat(_iso(value)))
    except (ValueError, OverflowError):
        pass
    raise InvalidEventError(
        f"{source} field {field!r} is not an ISO-8601 time: {value!r}", source=source, field=field
    )


_CONNECTIONS = {
    "storage": "AzureWebJobsStorage",
    "servicebus": "ServiceBusConnection",
    "eventhub": "EventHubConnection",
    "cosmosdb": "CosmosDBConnection",
}


def option(options: Mapping[str, Any], key: str, name: str, default: Any) -> Any:
    """``options[key]``: one value for every entity, or a mapping of entity ``name`` to value."""
    value = options.get(key)
    if isinstance(value, Mapping):
        return value.get(name, default)
    return default if value is None else value


def connection(options: Mapping[str, Any], service: str) -> str:
    """The app setting holding ``service``'s connection (``connections={service: setting}``)."""
    chosen = option(options, "connections", service, _CONNECTIONS[service])
    if not isinstance(chosen, str) or not chosen:
        raise ConfigurationError(
            f"connections[{service!r}] must name an app setting, got {chosen!r}"
        )
    return chosen


def _annotation(spec: str) -> Any:
    import azure.functions as func

    if spec.startswith("list[") and spec.endswith("]"):
        # typing.List, not list[...]: the worker's is_iterable_type_annotation only knows it.
        return typing.List[getattr(func, spec[5:-1])]  # type: ignore[misc]  # noqa: UP006
    return getattr(func, spec)


def batch_entries(
    items: Iterable[Any],
    decode: Callable[[Any, int], Any],
    fallback_id: Callable[[Any, int], str],
) -> tuple[list[Any], list[BatchEntry]]:
    """Decode every item of a batch; one that fails becomes an entry carrying its error (it
    counts as failed, so the delivery fails and is retried), never dropped.
    """
    decoded: list[Any] = []
    entries: list[BatchEntry] = []
    for index, item in enumerate(items):
        try:
            event = decode(item, index)
        except InvalidEventError as exc:
            entries.append(BatchEntry(id=fallback_id(item, index), error=exc))
            continue
        decoded.append(event)
        entries.append(BatchEntry(id=event.id, events=(event,), item=event))
    return decoded, entries


def raise_failures(result: Any, source: str) -> None:
    """Raise when a batch handler reported failures: Azure can only retry whole deliveries.

    (The sync path raises in ``run_batch`` already; this covers results that come back whole.)
    """
    from faaskit import BatchResult

    if isinstance(result, BatchResult) and result.failed:
        failed = tuple(map(str, result.failed))
        raise BatchFailedError(
            f"{source}: the handler reported {len(failed)} failed item(s) "
            f"({', '.join(failed[:10])}); failing the invocation so the delivery is retried",
            failed=failed,
        )


def binding(
    app: Any,
    handler: Any,
    decorator: str,
    arg_name: str,
    annotation: str,
    decoder: Any,
    kwargs: Mapping[str, Any],
) -> Any:
    """Add ``handler`` to ``app`` behind ``app.<decorator>(arg_name=..., **kwargs)``; returns
    the function builder, for further settings such as ``app.retry``.

    The wrapper takes ``arg_name`` annotated ``azure.functions.<annotation>`` plus ``context``
    and runs :func:`faaskit_azure.adapter.entry`: decode with ``decoder``, the shared semantics
    without failure reports (a failure raises, so the platform retries), ``decoder.encode``.
    """
    from faaskit_azure.adapter import entry
    from faaskit_azure.wrapper import make_wrapper

    wrapper = make_wrapper(
        handler.name,
        [(arg_name, _annotation(annotation))],
        None,
        entry(handler, decoder, arg_name),
        is_async=handler.is_async,
        module=getattr(handler, "__module__", None),
    )
    built = getattr(app, decorator)(arg_name=arg_name, **kwargs)(wrapper)
    return app.function_name(handler.name)(built)


def retry(
    app: Any,
    built: Any,
    handler: Any,
    options: Mapping[str, Any],
    *,
    key: str,
    entity: str,
    default: int,
) -> None:
    """Give the function ``built`` an exponential-backoff retry policy.

    It retries ``options[key]`` times (per ``entity``; ``default`` when unset; -1 retries until
    it succeeds, 0 none), see
    https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries.
    """
    count = option(options, key, entity, default)
    if isinstance(count, bool) or not isinstance(count, int) or count < -1:
        raise ConfigurationError(
            f"handler {handler.name!r}: {key} must be an integer >= -1, got {count!r}"
        )
    if count:
        app.retry(
            strategy="exponential_backoff",
            max_retry_count=str(count),
            minimum_interval="00:00:02",
            maximum_interval="00:15:00",
        )(built)
