"""Backups (issue 8 item 8): `manage.py backup` then `manage.py restore` into an empty database
finds every case (SQLite in the default run, PostgreSQL under the `postgres` marker)."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tawasul.cases.models import Case
from tawasul.complaints.tests.factories import make_complaint, png_upload
from tawasul.core.references import parse_reference


def _backup(tmp_path: Path, *extra: str) -> list[Path]:
    out = StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), *extra, stdout=out)
    return [Path(line) for line in out.getvalue().split()]


@pytest.mark.django_db(transaction=True)  # an open test transaction would keep the backup API waiting
def test_a_sqlite_backup_restored_into_an_empty_database_has_every_case(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; PostgreSQL has its own test")
    references = {make_complaint().reference for _ in range(5)}
    [dump] = _backup(tmp_path)
    assert dump.suffix == ".sqlite3" and not list(dump.parent.glob("*.part"))
    empty = tmp_path / "restored.sqlite3"
    call_command("restore", str(dump), "--database-url", f"sqlite:///{empty}", stdout=StringIO())
    with sqlite3.connect(empty) as restored:
        rows = {row[0] for row in restored.execute("SELECT reference FROM cases_case")}
        events = restored.execute("SELECT COUNT(*) FROM cases_caseevent").fetchone()[0]
    assert rows == references == set(Case.objects.values_list("reference", flat=True))
    assert events >= 5


@pytest.mark.django_db(transaction=True)
def test_the_media_archive_restores_every_attachment_and_nothing_outside_media(tmp_path, settings):
    case = make_complaint(attachments=[png_upload()])
    stored = Path(settings.MEDIA_ROOT) / case.attachments.get().storage_name
    assert stored.is_file()
    _db, media = _backup(tmp_path, "--media")
    content = stored.read_bytes()
    stored.unlink()
    dump = _db
    empty = tmp_path / "restored.sqlite3"
    if connection.vendor == "sqlite":
        call_command(
            "restore", str(dump), "--database-url", f"sqlite:///{empty}", "--media", str(media), stdout=StringIO()
        )
    else:
        call_command(
            "restore", str(dump), "--database-url", _scratch_pg_url(), "--media", str(media), stdout=StringIO()
        )
    assert stored.read_bytes() == content


def test_a_media_archive_with_a_path_outside_media_is_refused(tmp_path, settings):
    import tarfile

    from django.core.management.base import CommandError

    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload.txt"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as archive:
        archive.add(payload, arcname="media/../../escaped.txt")
    dump = tmp_path / "empty.sqlite3"
    sqlite3.connect(dump).close()
    with pytest.raises(CommandError):
        call_command(
            "restore", str(dump), "--database-url", f"sqlite:///{tmp_path / 't.sqlite3'}", "--media", str(evil)
        )
    assert not (Path(settings.MEDIA_ROOT).parent.parent / "escaped.txt").exists()


def _scratch_pg_url() -> str:
    settings_dict = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:8]}"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    user = settings_dict.get("USER") or "postgres"
    subprocess.run(["createdb", "-h", host, "-p", str(port), "-U", user, name], check=True)
    return f"postgres://{user}@{host}:{port}/{name}"


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_restored_into_an_empty_database_has_every_case(tmp_path):
    import psycopg

    references = {make_complaint().reference for _ in range(5)}
    [dump] = _backup(tmp_path)
    assert dump.suffix == ".pgdump"
    target = _scratch_pg_url()
    try:
        call_command("restore", str(dump), "--database-url", target, stdout=StringIO())
        with psycopg.connect(target) as restored:
            rows = {row[0] for row in restored.execute("SELECT reference FROM cases_case")}
            # The numbering goes on after the restored cases (ADR 0037: the sequences are dumped).
            issued = [parse_reference(reference) for reference in references]
            year = issued[0].year
            (following,) = restored.execute("SELECT core_reference_next('CHK', %s)", [year]).fetchone()
        assert rows == references
        assert following > max(ref.sequence for ref in issued)
    finally:
        name = target.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name], check=False)
