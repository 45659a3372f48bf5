"""`manage.py restore FILE [--database-url URL] [--media ARCHIVE]`: put a backup back
(docs/operations/backup.md; issue 8 item 8).

- `*.sqlite3` (from `backup` on SQLite): copied page by page into the target SQLite file with the
  backup API, replacing its content. Stop the platform first.
- `*.pgdump` (from `backup` on PostgreSQL): `pg_restore --clean --if-exists --no-owner
  --single-transaction` into the target database (all or nothing).
- The target is the configured database, or `--database-url` (restore into a fresh, empty
  database to test a backup without touching production).
- `--media ARCHIVE`: unpack a media archive into MEDIA_ROOT, or upload it into the S3 bucket with
  `STORAGE_BACKEND=s3` (paths are checked: nothing is written outside either). An archive made on
  one backend restores onto the other; with `--media` alone (no database file) only the files are
  restored, which is how a deployment moves its files from MEDIA_ROOT to a bucket (ADR 0035).
"""

from __future__ import annotations

import sqlite3
import subprocess
import tarfile
from pathlib import Path

import environ
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from tawasul.core.storage import check_stored_name, is_local, put_stored_file

from .backup import pg_environment


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the configured (or given) database."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="", help="a .sqlite3 or .pgdump file written by `manage.py backup`"
        )
        parser.add_argument("--database-url", default="", help="target database (default: the configured one)")
        parser.add_argument("--media", default="", help="a media .tar.gz written by `backup --media`")

    def handle(self, *args, **options):
        if not options["file"]:
            if not options["media"]:
                raise CommandError("give a database backup file, --media ARCHIVE, or both")
            self._restore_media(Path(options["media"]))
            self.stdout.write(f"restored {options['media']}")
            return
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(f"no such backup file: {source}")
        target = (
            environ.Env.db_url_config(options["database_url"])
            if options["database_url"]
            else connections["default"].settings_dict
        )
        engine = target["ENGINE"]
        if source.suffix == ".sqlite3":
            if "sqlite3" not in engine:
                raise CommandError("a .sqlite3 backup restores into an SQLite database")
            self._restore_sqlite(source, target["NAME"])
        elif source.suffix == ".pgdump":
            if "postgresql" not in engine:
                raise CommandError("a .pgdump backup restores into a PostgreSQL database")
            self._restore_postgres(source, target)
        else:
            raise CommandError("unknown backup type (expected .sqlite3 or .pgdump)")
        if options["media"]:
            self._restore_media(Path(options["media"]))
        self.stdout.write(f"restored {source}")

    def _restore_sqlite(self, source: Path, name: str) -> None:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(name)
        try:
            backup.backup(target)
        finally:
            target.close()
            backup.close()

    def _restore_postgres(self, source: Path, target: dict) -> None:
        args, env = pg_environment(target)
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
        command += ["--dbname", target["NAME"], str(source)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")

    def _restore_media(self, archive_path: Path) -> None:
        if not archive_path.is_file():
            raise CommandError(f"no such media archive: {archive_path}")
        if not is_local(default_storage):
            self._restore_objects(archive_path)
            return
        media = Path(settings.MEDIA_ROOT).resolve()
        with tarfile.open(archive_path, "r:gz") as archive:
            members = []
            for member in archive.getmembers():
                relative = Path(member.name).relative_to("media") if member.name != "media" else Path()
                destination = (media / relative).resolve()
                if not destination.is_relative_to(media) or member.issym() or member.islnk():
                    raise CommandError(f"unsafe path in the media archive: {member.name}")
                if member.isfile():
                    members.append((member, destination))
            for member, destination in members:
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as stream, open(destination, "wb") as handle:
                    handle.write(stream.read())

    def _restore_objects(self, archive_path: Path) -> None:
        """Upload each file of the archive to the bucket under its name, replacing what is there.
        Every member is checked before the first upload: a link, or a name outside `media/`, stops
        the restore with nothing written."""
        with tarfile.open(archive_path, "r:gz") as archive:
            members = []
            for member in archive.getmembers():
                if member.issym() or member.islnk() or not (member.isfile() or member.isdir()):
                    raise CommandError(f"unsafe member in the media archive: {member.name}")
                if member.isdir():
                    continue
                try:
                    if not member.name.startswith("media/"):
                        raise SuspiciousOperation(member.name)
                    members.append((member, check_stored_name(member.name.removeprefix("media/"))))
                except SuspiciousOperation as error:
                    raise CommandError(f"unsafe path in the media archive: {member.name}") from error
            for member, name in members:
                with archive.extractfile(member) as stream:
                    put_stored_file(default_storage, name, stream)
