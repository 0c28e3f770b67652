"""Message attributes of SQS and SNS, decoded lazily to plain Python values.

Formats: SQS message attributes (``dataType`` String, Number, Binary, and custom
``Type.label`` types):
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
and SNS message attributes (``Type`` String, String.Array, Number, Binary):
https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from faaskit.adapter import loads, shown
from faaskit_aws._fields import b64, invalid, number, optional, require

__all__ = ["Attributes", "attributes", "sns_attribute", "sqs_attribute"]


class Attributes(Mapping[str, Any]):
    """Message attributes, each decoded when first read.

    ``String`` gives ``str``, ``Number`` an ``int`` (or ``Decimal`` when not an integer),
    ``Binary`` ``bytes`` (base64 decoded), ``String.Array`` a ``list``. An attribute that cannot
    be decoded raises :class:`~faaskit.InvalidEventError` naming it when it is read, so the
    message itself is still delivered.
    """

    # ``_path`` locates the attributes in the payload; a callable gives the path when an error
    # names it (it is rarely needed, and costs a search through the delivery).
    __slots__ = ("_cache", "_decode", "_path", "_raw", "_source")

    _cache: dict[str, Any] | None

    def __init__(
        self,
        raw: Mapping[str, Any],
        decode: Callable[[Any, str, str], Any],
        source: str,
        path: str | Callable[[], str],
    ) -> None:
        self._raw = raw
        self._decode = decode
        self._source = source
        self._path = path
        self._cache = None

    def __getitem__(self, name: str) -> Any:
        cache = self._cache
        if cache is None:
            cache = self._cache = {}
        elif name in cache:
            return cache[name]
        value = self._decode(self._raw[name], self._source, f"{self._where()}.{name}")
        cache[name] = value
        return value

    def _where(self) -> str:
        path = self._path
        return path if isinstance(path, str) else path()

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, name: object) -> bool:
        return name in self._raw

    def __repr__(self) -> str:
        return f"Attributes({list(self._raw)!r})"


def sqs_attribute(value: Any, source: str, path: str) -> Any:
    """One SQS attribute (``{"dataType": ..., "stringValue"|"binaryValue": ...}``) decoded."""
    if not isinstance(value, Mapping):
        raise invalid(source, path, f"must be an object, got {type(value).__name__}")
    data_type = require(value, "dataType", str, source, path)
    base = data_type.split(".", 1)[0]
    if base == "String":
        return require(value, "stringValue", str, source, path)
    if base == "Number":
        return number(value.get("stringValue"), source, f"{path}.stringValue")
    if base == "Binary":
        return b64(value.get("binaryValue"), source, f"{path}.binaryValue")
    raise invalid(source, f"{path}.dataType", f"is not a known data type: {shown(data_type)}")


def sns_attribute(value: Any, source: str, path: str) -> Any:
    """One SNS attribute (``{"Type": ..., "Value": ...}``) decoded."""
    if not isinstance(value, Mapping):
        raise invalid(source, path, f"must be an object, got {type(value).__name__}")
    kind = require(value, "Type", str, source, path)
    text = value.get("Value")
    if kind == "String.Array":
        if not isinstance(text, str):
            raise invalid(source, f"{path}.Value", "must be a JSON array string")
        try:
            items = loads(text)
        except ValueError:
            items = None
        if not isinstance(items, list):
            raise invalid(source, f"{path}.Value", "is not a JSON array")
        return items
    base = kind.split(".", 1)[0]
    if base == "String":
        return require(value, "Value", str, source, path)
    if base == "Number":
        return number(text, source, f"{path}.Value")
    if base == "Binary":
        return b64(text, source, f"{path}.Value")
    raise invalid(source, f"{path}.Type", f"is not a known attribute type: {kind!r}")


def attributes(
    raw: Mapping[str, Any], name: str, decode: Any, source: str, path: str
) -> Attributes:
    """The lazily decoded attributes under ``raw[name]`` (absent or null: none)."""
    value = optional(raw, name, Mapping, source, path)
    return Attributes(value or {}, decode, source, f"{path}.{name}")
