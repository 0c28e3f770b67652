"""Deferrable fields: a pending value is decoded on first read, kept, and never seen.

An instance that holds pending fields must behave exactly like one built eagerly with the
resolved values: reads, equality, hashing, repr, pickling, copying, ``attrs.evolve`` and
``attrs.asdict``; and it stays frozen.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import attrs
import pytest

from faaskit._fast import writable
from faaskit._lazy import Deferred, Pending, deferrable
from faaskit._message import Message


@deferrable("size", "label")
@attrs.frozen(kw_only=True)
class Item:
    name: str
    size: int = 0
    label: str | None = None


class FromName(Pending):
    """Decodes ``size`` and ``label`` from the item's name, counting every decode."""

    __slots__ = ("calls",)

    def __init__(self) -> None:
        self.calls: list[str] = []

    def resolve(self, instance: Any, name: str) -> Any:
        self.calls.append(name)
        if instance.name == "bad":
            raise ValueError(f"cannot decode {name}")
        return len(instance.name) if name == "size" else instance.name.upper()


_WritableItem = writable(Item)


def pending(name: str, source: FromName | None = None) -> tuple[Item, FromName]:
    source = source or FromName()
    item: Any = object.__new__(_WritableItem)
    item.name = name
    item.size = source
    item.label = source
    item.__class__ = Item
    return item, source


def test_a_pending_field_is_decoded_on_first_read_and_kept() -> None:
    item, source = pending("abc")
    assert source.calls == []
    assert item.size == 3 and item.size == 3
    assert source.calls == ["size"]
    assert item.label == "ABC"
    assert source.calls == ["size", "label"]


def test_pending_and_eager_instances_are_indistinguishable() -> None:
    eager = Item(name="abc", size=3, label="ABC")
    for item in (pending("abc")[0] for _ in range(7)):
        assert type(item) is Item
        assert item == eager and hash(item) == hash(eager)
        assert repr(item) == repr(eager)
    views = [
        lambda i: pickle.loads(pickle.dumps(i)),
        copy.copy,
        copy.deepcopy,
        lambda i: attrs.evolve(i, name="abc"),
    ]
    for view in views:
        item = pending("abc")[0]
        assert view(item) == eager
        assert type(view(item)) is Item
    assert attrs.asdict(pending("abc")[0]) == attrs.asdict(eager)


def test_instances_built_eagerly_never_resolve() -> None:
    source = FromName()
    item = Item(name="x", size=5)
    assert item.size == 5 and item.label is None
    assert source.calls == []


def test_a_pending_instance_is_still_frozen() -> None:
    item, _ = pending("abc")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        item.size = 1  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del item.size  # type: ignore[misc]


def test_a_decode_error_surfaces_on_every_read_and_leaves_the_field_pending() -> None:
    item, source = pending("bad")
    for _ in range(2):
        with pytest.raises(ValueError, match="cannot decode size"):
            _ = item.size
    assert source.calls == ["size", "size"]
    with pytest.raises(ValueError):
        _ = item == Item(name="bad")


def test_the_class_attribute_is_the_descriptor_and_the_twin_stores_into_the_slot() -> None:
    assert isinstance(vars(Item)["size"], Deferred)
    assert isinstance(Item.size, Deferred)  # type: ignore[misc]
    # The writable twin bypasses the descriptor: stores are plain slot stores.
    assert vars(_WritableItem)["size"] is vars(Item)["size"].slot


def test_deferrable_refuses_names_that_are_not_slots() -> None:
    with pytest.raises(TypeError, match="not a slot"):

        @deferrable("describe")
        @attrs.frozen
        class Odd:
            value: int

            def describe(self) -> str:
                return str(self.value)


def test_message_metadata_fields_are_deferrable() -> None:
    names = {name for name, value in vars(Message).items() if isinstance(value, Deferred)}
    assert names == {
        *("attributes", "delivery_count", "enqueued_at", "source", "group_id", "trace_id"),
    }
    message = Message(id="m", body=b"x", delivery_count=2)
    assert message.delivery_count == 2 and message.attributes == {}


def test_message_text_is_decoded_once_and_follows_the_body() -> None:
    message = Message(id="m", body="héllo \xff".encode("latin-1"))
    assert "text" not in {field.name for field in attrs.fields(Message)}
    first = message.text
    assert first == message.body.decode("utf-8", "replace") and message.text is first
    changed = attrs.evolve(message, body=b"other")
    assert changed.text == "other" and message.text is first
    for copied in (pickle.loads(pickle.dumps(message)), copy.copy(message)):
        assert copied.text == first and copied == message
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        message.text = "x"  # type: ignore[misc]
