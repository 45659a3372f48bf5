"""manage.py import_facilities FILE [--all-or-nothing | --valid-only] [--report report.csv]."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tawasul.facilities.importers import (
    ALL_OR_NOTHING,
    COLUMNS,
    REQUIRED,
    VALID_ONLY,
    facilities_import,
    read_file,
)


def _columns_help() -> str:
    return "\n".join(f"  {name}{' (required)' if name in REQUIRED else ''}: {text}" for name, text in COLUMNS.items())


class Command(BaseCommand):
    help = (
        "Create or update public facilities from a UTF-8 CSV file (header line) or a GeoJSON "
        "FeatureCollection of Points. Rows are matched by code. Every row is checked; errors are listed "
        "by row and field (and written to --report). Columns / properties:\n" + _columns_help()
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the .csv, .geojson or .json file")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--all-or-nothing",
            dest="mode",
            action="store_const",
            const=ALL_OR_NOTHING,
            help="import nothing when any row is wrong (the default)",
        )
        mode.add_argument(
            "--valid-only", dest="mode", action="store_const", const=VALID_ONLY, help="import the valid rows"
        )
        parser.add_argument("--report", type=Path, help="write the row-by-row error report (row,field,message)")
        parser.add_argument("--delimiter", default=",", help="CSV field separator (default ,)")
        parser.add_argument("--no-progress", action="store_true", help="do not draw the progress bar")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        percent = int(100 * done / total) if total else 100
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:3d}%")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def handle(self, *args, path: Path, mode, report, delimiter, no_progress, **options):
        mode = mode or ALL_OR_NOTHING
        try:
            rows = read_file(path.name, path.read_bytes(), delimiter=delimiter)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        progress = None if no_progress or len(rows) < 200 else self._progress
        result = facilities_import(actor=None, rows=rows, mode=mode, progress=progress)
        if report:
            report.write_text(result.report_csv(), encoding="utf-8")
        for error in result.errors[:50]:
            self.stderr.write(str(error))
        if len(result.errors) > 50:
            self.stderr.write(f"... and {len(result.errors) - 50} more (see the report)")
        if result.errors and mode == ALL_OR_NOTHING:
            raise CommandError(f"{len(result.errors)} error(s) in {result.rows} row(s); nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} row(s): {result.created} created, {result.updated} updated, "
                f"{result.skipped} skipped with errors."
            )
        )
