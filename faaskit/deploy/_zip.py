"""A reproducible zip writer whose compressed entries come from the build cache.

Compressing is most of the time of a rebuild (a Pillow app: 25 MB to deflate), so each file's
deflated bytes are cached by its content, and a whole set of entries compressed once (a
package's dependencies: ``faaskit.deploy._layer``) can be kept as a zip of its own, a *layer*,
whose entries are copied into the archive as they are. The archive format is the plain one
(APPNOTE.TXT 4.3: local headers, central directory, end record; no ZIP64, which a Lambda
package, 250 MB unzipped at most, never needs): every entry dated 1980-01-01 with fixed
permissions, all entries sorted by name whichever source they come from, so the same files
always give the same bytes.
https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
"""

from __future__ import annotations

import os
import struct
import zlib
from functools import partial
from pathlib import Path

import attrs

from faaskit.deploy._cache import digest, remember
from faaskit.exceptions import ConfigurationError

__all__ = ["Layer", "read_layer", "write_zip"]

# zlib's default: level 9 takes three times as long for a package 0.5% smaller
_LEVEL = 6
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01; time 00:00:00 is 0
_UTF8 = 0x800  # general purpose flag bit 11: names are UTF-8
_LIMIT = 0xFFFFFFFF
_LOCAL = struct.Struct("<IHHHHHIIIHH")  # local file header, 30 bytes
_RECORD = struct.Struct("<IHHHHHHIIIHHHHHII")  # central directory record, 46 bytes
_END = struct.Struct("<IHHHHIIH")  # end of central directory, 22 bytes
_OFFSET = 42  # where a central record keeps its local header's offset


@attrs.frozen(slots=True)
class Layer:
    """The entries of a zip written by :func:`write_zip`, ready to copy into another one:
    ``entries`` are (name, start, end, central record) with the local header and data at
    ``data[start:end]``.
    """

    data: bytes = attrs.field(repr=False)
    entries: tuple[tuple[str, int, int, bytes], ...]

    def names(self) -> frozenset[str]:
        """The names of the layer's entries."""
        return frozenset(entry[0] for entry in self.entries)


def read_layer(path: Path) -> Layer | None:
    """The layer in the zip at ``path``; None when it is missing or is not a zip this module
    wrote whole (a truncated or foreign file is never used).
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) < _END.size:
        return None
    sig, _, _, _, count, size, start, comment = _END.unpack_from(data, len(data) - _END.size)
    if sig != 0x06054B50 or comment or start + size != len(data) - _END.size:
        return None
    entries = []
    pos = start
    for _ in range(count):
        if pos + _RECORD.size > start + size:
            return None
        fields = _RECORD.unpack_from(data, pos)
        packed, length, extra, note, offset = (
            fields[8],
            fields[10],
            fields[11],
            fields[12],
            fields[16],
        )
        end = pos + _RECORD.size + length
        local_end = offset + _LOCAL.size + length + packed
        if fields[0] != 0x02014B50 or extra or note or local_end > start:
            return None
        if data[offset : offset + 4] != b"PK\x03\x04":
            return None
        entries.append((data[pos + _RECORD.size : end].decode("utf-8"), offset, local_end,
                        data[pos:end]))  # fmt: skip
        pos = end
    if pos != start + size:
        return None
    return Layer(data, tuple(entries))


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _entry(name: str, path: Path) -> tuple[bytes, bytes]:
    """The local header and data of one file, and its central directory record (local header
    offset 0: :func:`_at` sets it).
    """
    data = path.read_bytes()
    packed = remember("deflate", digest(b"%d" % _LEVEL, data), partial(_deflate, data))
    method = 8
    if len(packed) >= len(data):
        packed, method = data, 0  # stored: deflating made it no smaller
    if len(data) > _LIMIT:
        raise ConfigurationError(f"the package is too large for a zip without ZIP64 at {name}")
    raw = name.encode("utf-8")
    flags = 0 if raw.isascii() else _UTF8
    sizes = struct.pack("<III", zlib.crc32(data), len(packed), len(data))
    common = struct.pack("<HHHH", flags, method, 0, _DOS_DATE) + sizes
    local = struct.pack("<IH", 0x04034B50, 20) + common + struct.pack("<HH", len(raw), 0)
    mode = 0o755 if os.access(path, os.X_OK) else 0o644
    record = (
        struct.pack("<IHH", 0x02014B50, (3 << 8) | 20, 20) + common
        + struct.pack("<HHHHHII", len(raw), 0, 0, 0, 0, (0o100000 | mode) << 16, 0)
    )  # fmt: skip
    return local + raw + packed, record + raw


def _at(record: bytes, offset: int, name: str) -> bytes:
    if offset > _LIMIT:
        raise ConfigurationError(f"the package is too large for a zip without ZIP64 at {name}")
    return record[:_OFFSET] + struct.pack("<I", offset) + record[_OFFSET + 4 :]


def write_zip(folder: Path, zip_path: Path, *, layer: Layer | None = None) -> None:
    """Zip ``folder`` reproducibly: sorted entries, fixed timestamps and permissions, so the
    same files always give a byte-identical archive.

    The entries of ``layer`` are copied in without compressing them again, in their sorted
    place: the archive is the one ``folder`` holding the layer's files would give. A name in
    both is refused (the caller decides which one ships).
    """
    files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    copied = {entry[0]: entry for entry in layer.entries} if layer is not None else {}
    source = memoryview(layer.data if layer is not None else b"")
    both = files.keys() & copied.keys()
    if both:
        raise ConfigurationError(f"{min(both)} is both in the package and in its dependencies")
    central: list[bytes] = []
    offset = 0
    with zip_path.open("wb") as out:
        for name in sorted(files.keys() | copied.keys()):
            if name in files:
                local, record = _entry(name, files[name])
                out.write(local)
                size = len(local)
            else:
                _, start, end, record = copied[name]
                out.write(source[start:end])
                size = end - start
            central.append(_at(record, offset, name))
            offset += size
        directory = b"".join(central)
        if offset > _LIMIT:
            raise ConfigurationError("the package is too large for a zip without ZIP64")
        out.write(directory)
        out.write(_END.pack(0x06054B50, 0, 0, len(central), len(central), len(directory),
                            offset, 0))  # fmt: skip
