"""``file:///path``: a directory used as a blob store, the embedded default.

An object ``a/b.txt`` is the plain file ``<root>/a/b.txt``. Writes go to a temporary file
under ``<root>/.faaskit/tmp`` (same filesystem), are flushed to disk, then renamed over the
target, so a reader, or the store after a crash, sees the old object or the new one, never
part of one. Content type and metadata live beside the object tree in
``<root>/.faaskit/meta/<key>.json``, stamped with the object's size and modification time:
metadata that no longer matches its object (after a crash between the two renames, or an
edit by hand) is ignored. Keys whose first segment is ``.faaskit`` are reserved. A symbolic
link in the tree is followed only when it resolves inside the root.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
from collections.abc import Iterator, Mapping
from typing import IO, Any

from faaskit.exceptions import (
    AccessDenied,
    BlobNotFound,
    InvalidStorageRequest,
    PreconditionFailed,
    StorageError,
)
from faaskit.storage._atomic import SourceFailed, atomic_write
from faaskit.storage._base import BlobInfo, BlobStore
from faaskit.storage._filelock import key_lock, next_mtime_ns
from faaskit.storage._keys import check_key

__all__ = ["FileBlobStore", "blob_store"]

RESERVED = ".faaskit"


def _etag(stat: os.stat_result) -> str:
    return f"{stat.st_mtime_ns:x}-{stat.st_size:x}"


class FileBlobStore(BlobStore):
    """A local directory as a :class:`BlobStore`.

    ``create=True`` makes the directory when it is missing (otherwise a missing directory is a
    missing container: :class:`BlobNotFound`). ``durable=False`` skips ``fsync``: writes stay
    atomic against a crash of the process, not of the machine.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        url: str | None = None,
        create: bool = False,
        durable: bool = True,
    ) -> None:
        self.root = os.path.abspath(os.fspath(root))
        self._url = url or "file://" + self.root.replace(os.sep, "/")
        self.durable = durable
        if create:
            os.makedirs(self.root, exist_ok=True)

    def _path(self, key: str, *, base: str | None = None) -> str:
        check_key(key, self._url)
        parts = key.split("/")
        if parts[0] == RESERVED:
            raise InvalidStorageRequest(
                f"{self._url}: key {key!r} refused: {RESERVED}/ is reserved"
            )
        root = base or self.root
        path = os.path.join(root, *parts)
        if os.path.commonpath([root, os.path.normpath(path)]) != root or not self._inside(path):
            raise InvalidStorageRequest(f"{self._url}: key {key!r} refused: it leaves the store")
        return path

    def _inside(self, path: str) -> bool:
        """Whether ``path``, with every symbolic link on it resolved, stays under the root."""
        real_root = os.path.realpath(self.root)
        return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root

    def _meta_path(self, key: str) -> str:
        return self._path(key, base=os.path.join(self.root, RESERVED, "meta")) + ".json"

    def _error(self, exc: OSError, op: str, key: str) -> StorageError:
        where = f"{self._url}: cannot {op} {key!r}"
        if not os.path.isdir(self.root):
            return BlobNotFound(f"{where}: the directory {self.root} does not exist")
        if isinstance(exc, PermissionError):
            return AccessDenied(f"{where}: {exc.strerror}")
        if isinstance(exc, (FileNotFoundError, NotADirectoryError, IsADirectoryError)):
            if op in ("get", "open", "info"):
                return BlobNotFound(f"{where}: no such object")
            return StorageError(f"{where}: a file or directory of another key is in the way")
        return StorageError(f"{where}: {exc}")

    def get(self, key: str) -> bytes:
        """The whole content of ``key``."""
        path = self._path(key)
        try:
            with open(path, "rb") as file:
                return file.read()
        except OSError as exc:
            raise self._error(exc, "get", key) from exc

    def get_versioned(self, key: str) -> tuple[bytes, str]:
        """The content of ``key`` and the ETag of the file that was read."""
        path = self._path(key)
        try:
            with open(path, "rb") as file:
                return file.read(), _etag(os.fstat(file.fileno()))
        except OSError as exc:
            raise self._error(exc, "get", key) from exc

    def open(self, key: str) -> IO[bytes]:
        """The object's file, opened for binary reading."""
        path = self._path(key)
        try:
            file = open(path, "rb")  # noqa: SIM115 - the caller closes it
        except OSError as exc:
            raise self._error(exc, "open", key) from exc
        if os.path.isdir(path):
            file.close()
            raise BlobNotFound(f"{self._url}: cannot open {key!r}: no such object")
        return file

    def _put(
        self,
        key: str,
        payload: bytes | IO[bytes],
        content_type: str | None,
        metadata: Mapping[str, str] | None,
        *,
        create_only: bool = False,
        if_match: str | None = None,
    ) -> str:
        """Write ``key`` atomically (temporary file, flush, rename), then its metadata.

        A conditional write checks its condition and renames while holding the key's lock
        (:mod:`faaskit.storage._filelock`), so it is atomic across processes too.
        """
        path = self._path(key)
        meta_path = self._meta_path(key)
        self._check_names(key, meta_path, content_type is not None or bool(metadata))
        try:
            if not os.path.isdir(self.root):
                raise FileNotFoundError(self.root)
            if not create_only and if_match is None:
                return self._write(key, path, payload, content_type, metadata)
            with key_lock(os.path.join(self.root, RESERVED, "locks"), key):
                self._check(key, path, create_only=create_only, if_match=if_match)
                return self._write(key, path, payload, content_type, metadata)
        except SourceFailed as failed:
            raise failed.__cause__ from None  # type: ignore[misc]
        except OSError as exc:
            if isinstance(exc, StorageError):
                raise
            raise self._error(exc, "put", key) from exc

    def _check_names(self, key: str, meta_path: str, with_meta: bool) -> None:
        """Refuse a key whose object or metadata file the filesystem cannot name, before
        anything is written (the metadata file name is the last segment plus ``.json``).
        """
        try:
            name_max = os.pathconf(self.root, "PC_NAME_MAX")
        except (OSError, ValueError):
            name_max = 255
        longest = max(len(os.fsencode(part)) for part in key.split("/"))
        if longest + len(".json") > name_max:
            raise InvalidStorageRequest(
                f"{self._url}: cannot put {key!r:.80}: a key segment of {longest} bytes is "
                f"longer than this filesystem allows ({name_max - len('.json')} bytes)"
            )
        if with_meta and os.path.isdir(meta_path):
            raise StorageError(
                f"{self._url}: cannot put {key!r}: the metadata of another key is in the way"
            )

    def _check(self, key: str, path: str, *, create_only: bool, if_match: str | None) -> None:
        """Raise :class:`PreconditionFailed` unless the object at ``path`` is as required."""
        current = self._stat(path)
        if create_only and current is not None:
            raise PreconditionFailed(f"{self._url}: {key!r} already exists", key=key)
        if if_match is not None and (current is None or _etag(current) != if_match):
            found = "is missing" if current is None else f"has etag {_etag(current)!r}"
            raise PreconditionFailed(f"{self._url}: {key!r} {found}, not {if_match!r}", key=key)

    @staticmethod
    def _stat(path: str) -> os.stat_result | None:
        try:
            stat = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        return stat if os.path.isfile(path) else None

    def _write(
        self,
        key: str,
        path: str,
        payload: bytes | IO[bytes],
        content_type: str | None,
        metadata: Mapping[str, str] | None,
    ) -> str:
        meta_path = self._meta_path(key)
        tmp_dir = os.path.join(self.root, RESERVED, "tmp")
        os.makedirs(tmp_dir, exist_ok=True)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if content_type is not None or metadata:  # before the object is replaced
            os.makedirs(os.path.dirname(meta_path), exist_ok=True)
        mtime_ns = next_mtime_ns(self._stat(path))
        stat = atomic_write(path, payload, tmp_dir, durable=self.durable, mtime_ns=mtime_ns)
        if content_type is None and not metadata:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(meta_path)
            return _etag(stat)
        record = {
            "content_type": content_type,
            "metadata": dict(metadata or {}),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
        }
        atomic_write(meta_path, json.dumps(record).encode(), tmp_dir, durable=self.durable)
        return _etag(stat)

    def exists(self, key: str) -> bool:
        """Whether ``key`` names a file in the store."""
        return os.path.isfile(self._path(key))

    def delete(self, key: str, *, if_match: str | None = None) -> None:
        """Remove ``key`` and its metadata, and the directories it leaves empty.

        With ``if_match`` the check and the removal hold the key's lock.
        """
        path = self._path(key)
        if not os.path.isdir(self.root):
            raise BlobNotFound(f"{self._url}: cannot delete {key!r}: {self.root} does not exist")
        if if_match is not None:
            with key_lock(os.path.join(self.root, RESERVED, "locks"), key):
                self._check(key, path, create_only=False, if_match=if_match.strip('"'))
                self._unlink(key, path)
        else:
            self._unlink(key, path)

    def _unlink(self, key: str, path: str) -> None:
        try:
            os.unlink(path)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return
        except OSError as exc:
            raise self._error(exc, "delete", key) from exc
        with contextlib.suppress(OSError):
            os.unlink(self._meta_path(key))
        parent = os.path.dirname(path)
        while parent != self.root:
            try:
                os.rmdir(parent)
            except OSError:
                break
            parent = os.path.dirname(parent)

    def info(self, key: str) -> BlobInfo:
        """Size, etag and time from the file; content type and metadata from beside it."""
        path = self._path(key)
        try:
            stat = os.stat(path)
        except OSError as exc:
            raise self._error(exc, "info", key) from exc
        if not os.path.isfile(path):
            raise BlobNotFound(f"{self._url}: cannot info {key!r}: no such object")
        record = self._read_meta(key, stat)
        return BlobInfo(
            key=key,
            size=stat.st_size,
            etag=_etag(stat),
            last_modified=_dt.datetime.fromtimestamp(stat.st_mtime, _dt.timezone.utc),
            content_type=record.get("content_type"),
            metadata=record.get("metadata") or {},
        )

    def _read_meta(self, key: str, stat: os.stat_result) -> dict[str, Any]:
        try:
            with open(self._meta_path(key), "rb") as file:
                record = json.load(file)
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(record, dict)
            or record.get("size") != stat.st_size
            or record.get("mtime_ns") != stat.st_mtime_ns
        ):
            return {}
        return record

    def _list(self, prefix: str) -> Iterator[BlobInfo]:
        """The files under the root whose key starts with ``prefix``, in UTF-8 key order."""
        if not os.path.isdir(self.root):
            raise BlobNotFound(f"{self._url}: cannot list {prefix!r}: {self.root} does not exist")
        return self._walk(self.root, "", prefix)

    def _walk(self, directory: str, base: str, prefix: str) -> Iterator[BlobInfo]:
        try:
            entries = list(os.scandir(directory))
        except OSError:
            return
        named = []
        for entry in entries:
            if not base and entry.name == RESERVED:
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
            key = base + entry.name + ("/" if is_dir else "")
            if key.startswith(prefix) or (is_dir and prefix.startswith(key)):
                named.append((key.encode("utf-8", "surrogateescape"), key, is_dir, entry))
        for _, key, is_dir, entry in sorted(named, key=lambda item: item[0]):
            if is_dir:
                yield from self._walk(entry.path, key, prefix)
                continue
            try:
                if entry.is_symlink() and not (self._inside(entry.path) and entry.is_file()):
                    continue  # get() refuses it or finds no object there
                stat = entry.stat()
            except FileNotFoundError:
                continue  # deleted while listing
            except OSError as exc:  # a symbolic link loop, ...
                raise StorageError(
                    f"{self._url}: cannot list {prefix!r}: {key!r} cannot be read: "
                    f"{exc.strerror or exc}"
                ) from exc
            yield BlobInfo(
                key=key,
                size=stat.st_size,
                etag=_etag(stat),
                last_modified=_dt.datetime.fromtimestamp(stat.st_mtime, _dt.timezone.utc),
            )


def blob_store(location: Any, *, create: bool = False, durable: bool = True) -> FileBlobStore:
    """The :class:`FileBlobStore` for a parsed ``file://`` location."""
    return FileBlobStore(location.name, url=location.url, create=create, durable=durable)
