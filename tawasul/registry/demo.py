"""Demo data of the registry: the real divisions and real Moroccan administrations.

`load(stdout)` is called by `manage.py seed_demo` inside a transaction. The administrations are in
`data/administrations.csv` (see data/README.md), read through the same importer a ministry's file
goes through, so the demo data obeys the same checks.
"""

from __future__ import annotations

from .divisions import DATA_DIR, divisions_import
from .importers import administrations_import, read_csv

DEMO_FILE = DATA_DIR / "administrations.csv"

#: The national unit (SPEC.md "People and roles"): the ministry in charge of administration reform.
NATIONAL_UNIT_CODE = "transition-numerique"


def load(stdout) -> None:
    counts = divisions_import()
    stdout.write(f"  {counts.regions} regions, {counts.provinces} provinces/prefectures, {counts.communes} communes")
    result = administrations_import(actor=None, rows=read_csv(DEMO_FILE.read_bytes()))
    if not result.ok:  # the demo file is ours: an error here is a bug to fix in the file
        raise ValueError("Demo administrations file is invalid:\n" + "\n".join(map(str, result.errors)))
    stdout.write(
        f"  {result.rows} administrations ({result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged)"
    )
