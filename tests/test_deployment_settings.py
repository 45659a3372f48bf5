"""What the deployment variables of ADR 0035 and 0036 make of the settings: the storage chosen by
`STORAGE_BACKEND` (with `_FILE` secrets) and the database options of `DATABASE_POOLER`. Each case
imports config/settings.py afresh in a subprocess with only those variables set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgres://tawasul:pw@db.example:5432/tawasul"
#: Read by the settings; removed so that the machine's own environment cannot leak into a case.
OURS = (
    "STORAGE_BACKEND",
    "STORAGE_S3_BUCKET",
    "STORAGE_S3_ENDPOINT_URL",
    "STORAGE_S3_REGION",
    "STORAGE_S3_ACCESS_KEY_ID",
    "STORAGE_S3_ACCESS_KEY_ID_FILE",
    "STORAGE_S3_SECRET_ACCESS_KEY",
    "STORAGE_S3_SECRET_ACCESS_KEY_FILE",
    "DATABASE_URL",
    "DATABASE_POOLER",
    "DATABASE_PREPARED_STATEMENTS",
    "TEST_DB_NAME",
)


def settings_with(**variables) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in OURS and k != "DJANGO_SETTINGS_MODULE"}
    env.update({"DATABASE_URL": "", **variables})
    code = (
        "import json; from config import settings as s; "
        "print(json.dumps({'storage': s.STORAGES['default'], 'db': s.DATABASES['default']}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)


def test_the_default_storage_is_the_filesystem():
    assert settings_with()["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_storage_takes_its_bucket_endpoint_region_and_credentials_from_the_environment():
    storage = settings_with(
        STORAGE_BACKEND="s3",
        STORAGE_S3_BUCKET="tawasul-files",
        STORAGE_S3_ENDPOINT_URL="https://s3.gov.example",
        STORAGE_S3_REGION="ma-rabat-1",
        STORAGE_S3_ACCESS_KEY_ID="AKIDEXAMPLE",
        STORAGE_S3_SECRET_ACCESS_KEY="secret-example",
    )["storage"]
    assert storage == {
        "BACKEND": "tawasul.core.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": "tawasul-files",
            "endpoint_url": "https://s3.gov.example",
            "region_name": "ma-rabat-1",
            "access_key": "AKIDEXAMPLE",
            "secret_key": "secret-example",
        },
    }


def test_s3_credentials_can_come_from_files_and_empty_ones_leave_boto3_its_own_chain(tmp_path):
    (tmp_path / "key").write_text("AKIDFROMFILE\n")
    (tmp_path / "secret").write_text("secret-from-file\n")
    options = settings_with(
        STORAGE_BACKEND="s3",
        STORAGE_S3_BUCKET="b",
        STORAGE_S3_ACCESS_KEY_ID_FILE=str(tmp_path / "key"),
        STORAGE_S3_SECRET_ACCESS_KEY_FILE=str(tmp_path / "secret"),
    )["storage"]["OPTIONS"]
    assert (options["access_key"], options["secret_key"]) == ("AKIDFROMFILE", "secret-from-file")
    options = settings_with(STORAGE_BACKEND="s3", STORAGE_S3_BUCKET="b")["storage"]["OPTIONS"]
    assert options["access_key"] is options["secret_key"] is options["endpoint_url"] is None


def test_s3_without_a_bucket_stops_the_settings():
    with pytest.raises(RuntimeError, match="STORAGE_S3_BUCKET"):
        settings_with(STORAGE_BACKEND="s3")


def test_a_storage_class_path_is_still_accepted():
    storage = settings_with(STORAGE_BACKEND="django.core.files.storage.InMemoryStorage")["storage"]
    assert storage == {"BACKEND": "django.core.files.storage.InMemoryStorage"}


def test_postgresql_without_a_pooler_keeps_server_side_cursors_and_prepared_statements():
    database = settings_with(DATABASE_URL=POSTGRES)["db"]
    assert database.get("DISABLE_SERVER_SIDE_CURSORS", False) is False
    assert database["OPTIONS"]["prepare_threshold"] == 2**31 - 1
    assert settings_with(DATABASE_URL=POSTGRES, DATABASE_POOLER="session")["db"] == database


def test_a_transaction_pooler_turns_off_server_side_cursors_and_prepared_statements():
    database = settings_with(DATABASE_URL=POSTGRES, DATABASE_POOLER="transaction")["db"]
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "prepare_threshold" not in database.get("OPTIONS", {})  # psycopg prepares nothing (core.prepared)
    assert database["CONN_MAX_AGE"] == 60


def test_a_transaction_pooler_that_keeps_prepared_statements_can_say_so():
    database = settings_with(DATABASE_URL=POSTGRES, DATABASE_POOLER="transaction", DATABASE_PREPARED_STATEMENTS="1")[
        "db"
    ]
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["prepare_threshold"] == 2**31 - 1


def test_the_pooler_switch_does_not_touch_sqlite():
    database = settings_with(DATABASE_POOLER="transaction")["db"]
    assert "DISABLE_SERVER_SIDE_CURSORS" not in database


def test_an_unknown_pooler_mode_stops_the_settings():
    with pytest.raises(RuntimeError, match="DATABASE_POOLER"):
        settings_with(DATABASE_URL=POSTGRES, DATABASE_POOLER="statement")


@pytest.mark.postgres
@pytest.mark.django_db
def test_with_server_side_cursors_off_an_iterator_reads_through_a_plain_cursor(monkeypatch):
    """What `DATABASE_POOLER=transaction` changes on a real connection: `.iterator()` no longer
    opens a server-side cursor (which a transaction pooler cannot keep) and still reads every row."""
    from django.db import connections

    from tawasul.registry.models import Commune
    from tawasul.registry.tests.factories import CommuneFactory

    CommuneFactory.create_batch(3)
    database = connections["default"]
    server_side = []
    original = database.chunked_cursor
    monkeypatch.setattr(database, "chunked_cursor", lambda: server_side.append(1) or original())

    assert len(list(Commune.objects.iterator(chunk_size=2))) >= 3
    assert server_side == [1]
    monkeypatch.setitem(database.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    rows = list(Commune.objects.order_by("pk").iterator(chunk_size=2))
    assert server_side == [1]  # no second server-side cursor
    assert len(rows) == Commune.objects.count() >= 3
