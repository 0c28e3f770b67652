"""A reproducible zip writer whose compressed entries come from the build cache.

Compressing is most of the time of an unchanged rebuild (a Pillow app: 25 MB to deflate), so
each file's deflated bytes are cached by its content. The archive format is the plain one
(APPNOTE.TXT 4.3: local headers, central directory, end record; no ZIP64, which a Lambda
package, 250 MB unzipped at most, never needs): every entry dated 1980-01-01 with fixed
permissions, in sorted order, so the same files always give the same bytes.
https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
"""

from __future__ import annotations

import os
import struct
import zlib
from functools import partial
from pathlib import Path

from faaskit.deploy._cache import digest, remember
from faaskit.exceptions import ConfigurationError

__all__ = ["write_zip"]

# zlib's default: level 9 takes three times as long for a package 0.5% smaller
_LEVEL = 6
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01; time 00:00:00 is 0
_UTF8 = 0x800  # general purpose flag bit 11: names are UTF-8
_LIMIT = 0xFFFFFFFF


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _entry(name: str, path: Path, offset: int) -> tuple[bytes, bytes]:
    """The local header and data of one file, and its central directory record."""
    data = path.read_bytes()
    packed = remember("deflate", digest(b"%d" % _LEVEL, data), partial(_deflate, data))
    method = 8
    if len(packed) >= len(data):
        packed, method = data, 0  # stored: deflating made it no smaller
    if max(len(data), offset) > _LIMIT:
        raise ConfigurationError(f"the package is too large for a zip without ZIP64 at {name}")
    raw = name.encode("utf-8")
    flags = 0 if raw.isascii() else _UTF8
    sizes = struct.pack("<III", zlib.crc32(data), len(packed), len(data))
    common = struct.pack("<HHHH", flags, method, 0, _DOS_DATE) + sizes
    local = struct.pack("<IH", 0x04034B50, 20) + common + struct.pack("<HH", len(raw), 0)
    mode = 0o755 if os.access(path, os.X_OK) else 0o644
    record = (
        struct.pack("<IHH", 0x02014B50, (3 << 8) | 20, 20) + common
        + struct.pack("<HHHHHII", len(raw), 0, 0, 0, 0, (0o100000 | mode) << 16, offset)
    )  # fmt: skip
    return local + raw + packed, record + raw


def write_zip(folder: Path, zip_path: Path) -> None:
    """Zip ``folder`` reproducibly: sorted entries, fixed timestamps and permissions, so the
    same files always give a byte-identical archive.
    """
    files = sorted(
        ((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file()),
        key=lambda item: item[0],
    )
    central: list[bytes] = []
    offset = 0
    with zip_path.open("wb") as out:
        for name, path in files:
            local, record = _entry(name, path, offset)
            out.write(local)
            central.append(record)
            offset += len(local)
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                              len(directory), offset, 0))  # fmt: skip
