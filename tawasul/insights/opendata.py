"""Anonymised open data, one dataset per month (SPEC.md §9; docs/adr/0030 "Open data").

Rows: (month, portal, administration, region of the administration, subject) -> received and
processed. No personal data: no name, contact, identity number, text, reference or date finer than
the month is read. A count from 1 to `MIN_COUNT - 1` is suppressed (empty in the CSV, null in the
JSON), so that a row never points at one or a few people; no total is published beside the cells,
so a suppressed cell cannot be recovered by subtraction.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Q

from tawasul.cases.models import Case
from tawasul.complaints.workflow import PORTAL as COMPLAINTS
from tawasul.information.models import REQUEST_KINDS
from tawasul.information.workflow import PORTAL as INFORMATION

from .counters import month_bounds
from .models import OpenDataset

#: Counts below this (and above 0) are suppressed.
MIN_COUNT = 5
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
FIELDS = (
    "month",
    "portal",
    "administration_code",
    "administration_name_ar",
    "administration_name_fr",
    "region_code",
    "subject",
    "received",
    "processed",
)


def suppress(count: int) -> int | None:
    return None if 0 < count < MIN_COUNT else count


def dataset_rows(month: date) -> list[dict]:
    start, end = month_bounds(month)
    processed = Q(answered_at__isnull=False) | Q(closed_at__isnull=False)
    base = Case.objects.filter(received_at__gte=start, received_at__lt=end)
    queries = [
        base.filter(portal=COMPLAINTS).annotate(subject_key=F("complaint__subject__code")),
        base.filter(portal=INFORMATION, kind__in=REQUEST_KINDS).annotate(subject_key=F("kind")),
    ]
    rows = []
    for query in queries:
        grouped = (
            query.values(
                "portal",
                "administration__code",
                "administration__name_ar",
                "administration__name_fr",
                "administration__region__code",
                "subject_key",
            )
            .annotate(received=Count("pk"), processed=Count("pk", filter=processed))
            .order_by("administration__code", "subject_key")
        )
        for row in grouped:
            rows.append(
                {
                    "month": f"{month:%Y-%m}",
                    "portal": row["portal"],
                    "administration_code": row["administration__code"],
                    "administration_name_ar": row["administration__name_ar"],
                    "administration_name_fr": row["administration__name_fr"],
                    "region_code": row["administration__region__code"] or "",
                    "subject": row["subject_key"] or "",
                    "received": suppress(row["received"]),
                    "processed": suppress(row["processed"]),
                }
            )
    return rows


def render_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: spreadsheet programs then read UTF-8 Arabic


def render_json(month: date, rows: list[dict]) -> bytes:
    document = {
        "month": f"{month:%Y-%m}",
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "suppressed_below": MIN_COUNT,
        "fields": list(FIELDS),
        "rows": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def open_dataset_publish(*, month: date, replace: bool = False) -> OpenDataset:
    """Compute and store one month's dataset (idempotent: kept unless `replace`)."""
    existing = OpenDataset.objects.filter(month=month).first()
    if existing is not None and not replace:
        return existing
    rows = dataset_rows(month)
    with transaction.atomic():
        dataset, _created = OpenDataset.objects.select_for_update().get_or_create(
            month=month, defaults={"csv": "", "json": ""}
        )
        old = [f.name for f in (dataset.csv, dataset.json) if f]
        dataset.csv.save(f"tawasul-{month:%Y-%m}.csv", ContentFile(render_csv(rows)), save=False)
        dataset.json.save(f"tawasul-{month:%Y-%m}.json", ContentFile(render_json(month, rows)), save=False)
        dataset.rows = len(rows)
        dataset.save(update_fields=["csv", "json", "rows"])
    for name in old:
        if name not in (dataset.csv.name, dataset.json.name):
            dataset.csv.storage.delete(name)
    return dataset
