"""`manage.py backup --output DIR [--media]`: a consistent copy of the database (and of the
uploaded files), see docs/operations/backup.md (issue 8 item 8).

- SQLite: the online backup API (`sqlite3.Connection.backup`), a consistent copy taken while the
  platform runs (WAL readers and writers go on).
- PostgreSQL: `pg_dump --format=custom` (restorable with `pg_restore`, compressed, consistent:
  one snapshot).
- `--media`: also a `.tar.gz` of the stored files (attachments, catalog forms, generated files),
  written after the database copy, so every attachment row of the copy has its file (files written
  later are simply extra). With the filesystem storage, MEDIA_ROOT; with an S3 bucket
  (`STORAGE_BACKEND=s3`), every object of the bucket, streamed into the archive (ADR 0035). Both
  lay the files out the same way (`media/<name>`), so either restores onto either backend.

Prints the paths written. Exits non-zero on any failure, leaving no half-written file under the
final name (each file is written under `.part` and renamed when complete).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from tawasul.core.storage import is_local, iter_stored_files


def pg_environment(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments and environment (password) for pg_dump / pg_restore."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and optionally the stored files."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="folder where the backup files are written")
        parser.add_argument(
            "--media", action="store_true", help="also archive the stored files (MEDIA_ROOT or the S3 bucket)"
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        connection = connections[options["database"]]
        written = [self._database(connection, output, stamp)]
        if options["media"]:
            written.append(self._media(output, stamp))
        for path in written:
            self.stdout.write(str(path))

    def _database(self, connection, output: Path, stamp: str) -> Path:
        if connection.vendor == "sqlite":
            final = output / f"tawasul-{stamp}.sqlite3"
            part = final.with_suffix(".sqlite3.part")
            connection.ensure_connection()
            target = sqlite3.connect(part)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            final = output / f"tawasul-{stamp}.pgdump"
            part = final.with_suffix(".pgdump.part")
            args, env = pg_environment(connection.settings_dict)
            command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(part), *args]
            command += ["--dbname", connection.settings_dict["NAME"]]
            result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode != 0:
                part.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"no backup method for {connection.vendor}")
        part.replace(final)
        return final

    def _media(self, output: Path, stamp: str) -> Path:
        final = output / f"tawasul-media-{stamp}.tar.gz"
        part = final.with_name(final.name + ".part")
        try:
            with tarfile.open(part, "w:gz") as archive:
                if is_local(default_storage):
                    media = Path(settings.MEDIA_ROOT)
                    if media.exists():
                        archive.add(media, arcname="media")
                else:
                    self._objects(archive)
        except Exception as error:
            part.unlink(missing_ok=True)
            raise CommandError(f"archiving the stored files failed: {error}") from error
        part.replace(final)
        return final

    def _objects(self, archive: tarfile.TarFile) -> None:
        """Every object of the bucket, streamed (never the whole object in memory) as `media/<name>`."""
        for name, size in iter_stored_files(default_storage):
            member = tarfile.TarInfo(f"media/{name}")
            member.size, member.mode = size, 0o640
            with default_storage.open(name, "rb") as stream:
                archive.addfile(member, stream)
