"""faaskit Cookie: every attribute is checked before it reaches a Set-Cookie header."""

from __future__ import annotations

import faaskit


def test_cookie_attributes_cannot_smuggle_other_attributes() -> None:
    """Every cookie attribute is checked, not only the text ones: a ``max_age`` taken from
    user input must not add ``Domain=`` (or anything else) to the Set-Cookie header.
    """
    import pytest

    from faaskit._response_cookie import Cookie

    for cookie in (
        Cookie(value="v", max_age="0; Domain=evil.example"),  # type: ignore[arg-type]
        Cookie(value="v", expires="x; Domain=evil.example"),  # type: ignore[arg-type]
        Cookie(value="v", same_site="Lax; Domain=evil.example"),
    ):
        with pytest.raises(ValueError, match="cookie"):
            faaskit.Response("ok", cookies={"session": cookie})
    ok = faaskit.Response("ok", cookies={"session": Cookie(value="v", max_age=60)})
    assert ok.set_cookie_headers() == ["session=v; Max-Age=60"]
