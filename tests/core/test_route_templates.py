"""faaskit.http route templates: trailing slashes."""

from __future__ import annotations

import faaskit


def test_route_template_with_a_trailing_slash_matches_either_form() -> None:
    """``/items/{id}`` matches ``/items/5`` and ``/items/5/``; ``/items/{id}/`` must too."""
    for route in ("/items/{item_id}", "/items/{item_id}/"):
        trigger = faaskit.http("GET", route)
        assert trigger.match("/items/5") == {"item_id": "5"}, route
        assert trigger.match("/items/5/") == {"item_id": "5"}, route
    plain = faaskit.http("GET", "/health/")
    assert plain.match("/health") == {} and plain.match("/health/") == {}
    assert faaskit.http("GET", "/").match("/") == {}
