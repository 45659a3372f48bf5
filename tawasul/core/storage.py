"""Where attachments and generated files are kept (SPEC.md "Going past one machine"; ADR 0035).

`STORAGE_BACKEND` (config/settings.py) picks the `default` storage:

- `filesystem`: Django's `FileSystemStorage` in `MEDIA_ROOT` (one host, or one filesystem
  mounted on every host);
- `s3`: `tawasul.core.storage_s3.PrivateS3Storage`, a bucket of an S3-compatible service shared by
  every web and worker host, private, streamed by the access-checked download views.

Code reaches files only through the storage API (`open`, `save`, `size`, `delete`), never through
a local path (`.path`), except where `is_local()` says there is one. The helpers below let
`manage.py backup` / `restore` archive and restore the files of either backend the same way, so
an archive made on one backend restores onto the other (moving from MEDIA_ROOT to a bucket).
This module imports no S3 library: a filesystem deployment never loads boto3.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterator
from typing import IO

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import Storage

__all__ = ["check_stored_name", "is_local", "iter_stored_files", "put_stored_file"]

_CHUNK = 1024 * 1024


def is_local(storage: Storage) -> bool:
    """Whether the storage keeps files at local paths (the filesystem backend)."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True


def _is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def iter_stored_files(storage: Storage) -> Iterator[tuple[str, int]]:
    """(name, size) of every stored file, names relative to the storage's root."""
    if _is_s3(storage):
        prefix = storage._normalize_name("")  # the `location`, "" for the whole bucket
        prefix = f"{prefix.rstrip('/')}/" if prefix else ""
        paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix):
            for entry in page.get("Contents", ()):
                if not entry["Key"].endswith("/"):
                    yield entry["Key"][len(prefix) :], entry["Size"]
        return
    yield from _walk(storage, "")


def _walk(storage: Storage, folder: str) -> Iterator[tuple[str, int]]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        path = posixpath.join(folder, name) if folder else name
        yield path, storage.size(path)
    for sub in sorted(folders):
        yield from _walk(storage, posixpath.join(folder, sub) if folder else sub)


def check_stored_name(name: str) -> str:
    """`name` when it is a plain relative name (`cases/ab12.pdf`); SuspiciousOperation when it is
    absolute, climbs out (`..`), is not normalised, or holds a backslash."""
    if not name or name != posixpath.normpath(name) or name.startswith(("/", "..")) or "\\" in name:
        raise SuspiciousOperation(f"unsafe stored name: {name}")
    return name


def put_stored_file(storage: Storage, name: str, stream: IO[bytes]) -> None:
    """Write `stream` under exactly `name`, replacing what is there (a restore: `save()` would pick
    another name). Raises SuspiciousOperation for a name that would land outside the storage."""
    check_stored_name(name)
    if _is_s3(storage):
        key = storage.key(name) if hasattr(storage, "key") else storage._normalize_name(name)
        # A member of a .tar.gz seeks back by decompressing from the archive's start, and the upload
        # seeks (size, checksum): copy it first (memory up to 8 MB, then a temporary file).
        with tempfile.SpooledTemporaryFile(max_size=8 * _CHUNK) as copy:
            shutil.copyfileobj(stream, copy, _CHUNK)
            copy.seek(0)
            storage.bucket.Object(key).upload_fileobj(copy)
        return
    path = storage.path(name)  # safe_join: refuses a name outside MEDIA_ROOT
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.restoring"
    with open(temporary, "wb") as handle:
        while chunk := stream.read(_CHUNK):
            handle.write(chunk)
    os.replace(temporary, path)
