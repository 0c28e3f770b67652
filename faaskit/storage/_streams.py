"""Stream helpers shared by the backends: SDK response bodies as files, stream heads."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any

__all__ = ["BUFFER_SIZE", "ReadStream", "read_head", "reader"]

BUFFER_SIZE = 1024 * 1024


class ReadStream(io.RawIOBase):
    """A raw binary stream over an SDK body's ``read(n)``; SDK errors are translated."""

    def __init__(
        self,
        read: Callable[[int], bytes],
        *,
        close: Callable[[], Any] | None = None,
        translate: Callable[[Exception], Exception | None] | None = None,
    ) -> None:
        super().__init__()
        self._read = read
        self._close = close
        self._translate = translate

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            chunk = self._read(len(view))
        except Exception as exc:
            translated = self._translate(exc) if self._translate else None
            if translated is None:
                raise
            raise translated from exc
        size = len(chunk)
        view[:size] = chunk
        return size

    def close(self) -> None:
        if not self.closed and self._close is not None:
            self._close()
        super().close()


def reader(
    read: Callable[[int], bytes],
    *,
    close: Callable[[], Any] | None = None,
    translate: Callable[[Exception], Exception | None] | None = None,
) -> IO[bytes]:
    """A buffered binary file over ``read(n)``, for :meth:`BlobStore.open`."""
    raw = ReadStream(read, close=close, translate=translate)
    return io.BufferedReader(raw, buffer_size=64 * 1024)


class _Chained(io.RawIOBase):
    """``head`` followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        super().__init__()
        self._head: memoryview | None = memoryview(head) if head else None
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head is not None:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            rest = self._head[size:]
            self._head = rest if len(rest) else None  # drop the reference to the head's bytes
            return size
        chunk = self._stream.read(len(view))
        view[: len(chunk)] = chunk
        return len(chunk)


def read_head(stream: IO[bytes], limit: int) -> tuple[bytes, IO[bytes] | None]:
    """Read up to ``limit`` bytes of ``stream``.

    Returns ``(data, None)`` when the stream ended within the limit, else ``(b"", stream)``
    where the returned stream replays what was read, then continues.
    """
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(BUFFER_SIZE, limit + 1 - size))
        if not chunk:
            return b"".join(parts), None
        if not isinstance(chunk, bytes):
            chunk = bytes(chunk)
        parts.append(chunk)
        size += len(chunk)
    return b"", io.BufferedReader(_Chained(b"".join(parts), stream), buffer_size=BUFFER_SIZE)
