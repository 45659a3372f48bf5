"""manage.py import_administrations FILE.csv: add or update administrations from a ministry's CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tawasul.registry.importers import COLUMNS, REQUIRED, administrations_import, read_csv


def _columns_help() -> str:
    lines = [f"  {name}{' (required)' if name in REQUIRED else ''}: {text}" for name, text in COLUMNS.items()]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Create or update administrations from a UTF-8 CSV file with a header line. Rows are matched by "
        "code. Every row is checked first; if any row is wrong, nothing is imported and every error is "
        "listed with its line. Columns:\n" + _columns_help()
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the CSV file")
        parser.add_argument(
            "--delimiter", default=",", help="the field separator (default ,; spreadsheets often use ;)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, import nothing")

    def handle(self, *args, path: Path, delimiter: str, dry_run: bool, **options):
        try:
            rows = read_csv(path.read_bytes(), delimiter=delimiter)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = administrations_import(actor=None, rows=rows, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s) in {result.rows} row(s); nothing was imported.")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"{result.rows} row(s) checked, no error (dry run: nothing imported).")
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} row(s): {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
