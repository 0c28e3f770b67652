"""The types at faaskit's true boundaries: payloads whose shape the cloud or the user decides.

This is the one runtime module that spells ``Any`` (``mypy`` forbids it in the others, see
``[tool.mypy]`` in ``pyproject.toml``). Each alias names one kind of boundary value, which
faaskit passes on or reads with plain subscripts, without narrowing: a ``cast`` or an
``isinstance`` on the hot path costs time on every invocation. Everything else is typed
precisely (``Protocol``s for callables and handler objects, ``object`` for opaque values).
Modules import these names under ``TYPE_CHECKING`` only, so they cost nothing at run time.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Raw: TypeAlias = Any
"""A native value as the platform delivers or expects it: a decoded JSON event, a binding
object of the Azure Functions worker, a Lambda context, a native response."""

JSON: TypeAlias = Any
"""A value decoded from JSON that the cloud or the caller wrote (a body, a record's data, a
field of a raw event), or one bound for ``json.dumps``."""

JSONObject: TypeAlias = dict[str, Any]
"""A JSON object: a raw event as decoded from the wire, or a document built for it (a
CloudEvent, an EMF record, a native response)."""

Result: TypeAlias = Any
"""What a user's handler returned (any value its trigger's encoder accepts); the caller of a
handler gets it back unchanged."""
