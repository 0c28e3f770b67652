"""Native responses as JSON-friendly data, for printing and for the dev server."""

from __future__ import annotations

from typing import Any

__all__ = ["describe"]


def describe(result: Any) -> Any:
    """A JSON-friendly view of a handler's native result.

    Lambda results are already JSON; an ``azure.functions.HttpResponse`` becomes
    ``{"status_code", "headers", "body"}``; other objects their ``repr``.
    """
    if result is None or isinstance(result, dict | list | str | int | float | bool):
        return result
    if hasattr(result, "status_code") and hasattr(result, "get_body"):
        body = result.get_body()
        try:
            text: Any = body.decode("utf-8")
        except UnicodeDecodeError:
            import base64

            text = {"base64": base64.b64encode(body).decode("ascii")}
        headers: dict[str, Any] = {}
        for name, value in result.headers.items():
            headers[name] = value
        cookies = getattr(result.headers, "get_all", None)
        if cookies is not None:
            values = list(cookies("Set-Cookie"))
            if len(values) > 1:
                headers["Set-Cookie"] = values
        return {"status_code": result.status_code, "headers": headers, "body": text}
    return repr(result)
