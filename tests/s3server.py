"""A real S3-compatible HTTP server for the tests: moto's server (`python -m moto.server`), a
separate process on a free loopback port, spoken to over HTTP by boto3 exactly as a deployment
speaks to AWS, MinIO or Ceph (ADR 0035).

`S3Server().start()` waits until the server answers; `bucket()` makes a fresh private bucket and
returns the `STORAGES` entry of the platform's storage for it (`tawasul.core.storage_s3`).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.request
import uuid

from tests.security.servers import free_port

#: Throw-away credentials of the test server (moto accepts any).
ACCESS_KEY, SECRET_KEY, REGION = "tawasul-tests", "tawasul-tests-secret", "us-east-1"


class S3Server:
    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> S3Server:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.process.returncode}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1).close()
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto server did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def bucket(self) -> tuple[str, dict]:
        """A new empty bucket, and the `STORAGES["default"]` entry that config/settings.py writes for
        `STORAGE_BACKEND=s3` with it."""
        name = f"tawasul-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name, {
            "BACKEND": "tawasul.core.storage_s3.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": self.endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
            },
        }

    def keys(self, bucket: str) -> list[str]:
        return [entry["Key"] for entry in self.client().list_objects_v2(Bucket=bucket).get("Contents", ())]
