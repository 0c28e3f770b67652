"""The portable key rules every backend enforces, and joining keys to a store's prefix."""

from __future__ import annotations

from faaskit.exceptions import InvalidStorageRequest

__all__ = ["check_key", "check_prefix", "normalize_prefix"]

_MAX_KEY_BYTES = 1024


def _refuse(url: str, key: object, why: str) -> InvalidStorageRequest:
    return InvalidStorageRequest(f"{url}: key {key!r} refused: {why}")


def _check_chars(key: str, url: str) -> None:
    if "\\" in key:
        raise _refuse(url, key, "backslashes are not portable; use '/'")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise _refuse(url, key, "control characters are not allowed")
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise _refuse(url, key, "not valid Unicode text") from exc
    if size > _MAX_KEY_BYTES:
        raise _refuse(url, key, f"longer than {_MAX_KEY_BYTES} bytes of UTF-8")


def check_key(key: str, url: str) -> str:
    """``key`` when it is a portable object key, else :class:`InvalidStorageRequest`.

    A key is relative (no leading ``/``) and each ``/``-separated segment is non-empty and
    neither ``.`` nor ``..``, so it can never name a path outside its store.
    """
    if not isinstance(key, str) or not key:
        raise _refuse(url, key, "a key must be a non-empty string")
    _check_chars(key, url)
    if key.startswith("/"):
        raise _refuse(url, key, "keys are relative; remove the leading '/'")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise _refuse(url, key, "empty, '.' and '..' path segments are not allowed")
    return key


def check_prefix(prefix: str, url: str) -> str:
    """A listing prefix: like a key, but it may be empty or end in ``/`` or mid-segment."""
    if not isinstance(prefix, str):
        raise _refuse(url, prefix, "a prefix must be a string")
    if not prefix:
        return prefix
    _check_chars(prefix, url)
    if prefix.startswith("/"):
        raise _refuse(url, prefix, "prefixes are relative; remove the leading '/'")
    *whole, last = prefix.split("/")
    if any(segment in ("", ".", "..") for segment in whole) or last in (".", ".."):
        raise _refuse(url, prefix, "empty, '.' and '..' path segments are not allowed")
    return prefix


def normalize_prefix(path: str, url: str) -> str:
    """A store URL's path as a key prefix: ``""`` or segments ending in ``/``."""
    path = path.strip("/")
    if not path:
        return ""
    check_key(path, url)
    return path + "/"
