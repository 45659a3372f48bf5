"""The S3-compatible storage of attachments and generated files (`STORAGE_BACKEND=s3`; ADR 0035).

A bucket of any S3-compatible service (AWS, MinIO, Ceph, Garage, ...) shared by every web and
worker host. Files stay private: the storage never hands out a URL that reaches the file (`url()`
answers the same unserved `MEDIA_URL` path as the filesystem does), and the access-checked
download views stream the bytes through the application (tawasul.core.storage).

Reading an object (`open(name, "rb")`) asks for its size once (HEAD) and then streams it with
ranged GETs (`ObjectReader`): nothing is downloaded to memory or to a temporary file first, the
first bytes reach the citizen at once, and the reader is seekable, so Django's `FileResponse` sends
a `Content-Length` as it does for a local file.
"""

from __future__ import annotations

import io
from urllib.parse import urljoin

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import File
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

__all__ = ["READ_CHUNK", "ObjectReader", "PrivateS3Storage"]

#: Bytes asked of the object store per read (and buffered): large enough that a 10 MB PDF is a few
#: dozen reads, small enough that eight threads streaming videos stay far below 100 MB of memory.
READ_CHUNK = 1024 * 1024


def _status(error: ClientError) -> int:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)


class ObjectReader(io.RawIOBase):
    """A seekable, read-only stream over one object, read with ranged GETs.

    Seeking only moves the position; the next read opens a GET from there (`Range: bytes=N-`,
    `If-Match` the ETag seen when opened, so a replaced object is an error, never a mix of two).
    A body that ends before the object's size raises instead of sending a short file.
    """

    def __init__(self, client, bucket: str, key: str, *, size: int, etag: str = ""):
        super().__init__()
        self._client, self._bucket, self._key, self._etag = client, bucket, key, etag
        self._size = size
        self._position = 0
        self._body = None
        self._body_position = 0

    # io.RawIOBase ---------------------------------------------------------------------------
    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def readinto(self, buffer) -> int:
        if self.closed:
            raise ValueError("read of a closed object stream")
        wanted = min(len(buffer), self._size - self._position)
        if wanted <= 0:
            return 0
        if self._body is None or self._body_position != self._position:
            self._open_body()
        data = self._body.read(wanted)
        if not data:
            raise OSError(f"object {self._key} ended at byte {self._position} of {self._size}")
        count = len(data)
        buffer[:count] = data
        self._position += count
        self._body_position += count
        return count

    def close(self) -> None:
        self._close_body()
        super().close()

    # The object ----------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return self._size

    def _open_body(self) -> None:
        self._close_body()
        arguments = {"Bucket": self._bucket, "Key": self._key, "Range": f"bytes={self._position}-"}
        if self._etag:
            arguments["IfMatch"] = self._etag
        try:
            self._body = self._client.get_object(**arguments)["Body"]
        except ClientError as error:
            if _status(error) == 404:
                raise FileNotFoundError(f"no such object: {self._key}") from error
            raise
        self._body_position = self._position

    def _close_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None


class PrivateS3Storage(S3Storage):
    """django-storages' S3 storage, private and streaming (ADR 0035).

    - Options come from `STORAGES["default"]["OPTIONS"]` (config/settings.py), never from the
      `AWS_*` Django settings; credentials left empty fall back to boto3's own chain (the
      `AWS_*` environment variables, an instance or pod role).
    - No object ACL is sent: objects take the bucket's (private) policy; a bucket that enforces
      its owner (ACLs disabled, AWS's default) accepts every write.
    - A custom endpoint (MinIO, Ceph, ...) is addressed path-style (`endpoint/bucket/key`), which
      every S3-compatible service accepts; AWS itself keeps botocore's choice.
    - Names are never overwritten (a clash gets a suffix, as on the filesystem).
    - `url()` never reveals the bucket; `open(name, "rb")` streams (`ObjectReader`).
    """

    def __init__(self, **options):
        options.setdefault("file_overwrite", False)
        options.setdefault("default_acl", None)
        options.setdefault("querystring_auth", True)
        # A file opened for writing is buffered in memory up to 2 MB, then on disk.
        options.setdefault("max_memory_size", 2 * 1024 * 1024)
        if options.get("endpoint_url") and not options.get("addressing_style"):
            options["addressing_style"] = "path"
        super().__init__(**options)
        if not self.bucket_name:
            raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs STORAGE_S3_BUCKET")

    def key(self, name: str) -> str:
        """The object key of a storage name (under the storage's `location`, if any)."""
        return self._normalize_name(clean_name(name))

    def _open(self, name: str, mode: str = "rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            return super()._open(name, mode)
        key = self.key(name)
        client = self.connection.meta.client
        try:
            head = client.head_object(Bucket=self.bucket_name, Key=key)
        except ClientError as error:
            if _status(error) == 404:
                raise FileNotFoundError(f"File does not exist: {name}") from error
            raise
        reader = ObjectReader(client, self.bucket_name, key, size=head["ContentLength"], etag=head.get("ETag", ""))
        stream = io.BufferedReader(reader, buffer_size=READ_CHUNK)
        opened = File(stream, name=name)
        opened.size = head["ContentLength"]
        opened.mode = mode
        return opened

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        """The same unserved `MEDIA_URL` path as the filesystem storage: never the bucket's address
        nor a presigned link, which would let a file out without the views' access checks."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(clean_name(name)))
