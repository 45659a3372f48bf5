"""Anonymised open data, one dataset per month (SPEC.md §9; docs/adr/0030 "Open data").

Rows: (month, portal, administration, region of the administration, subject) -> received and
processed: complaints and information requests here; the portals that register an `open_data`
function with their provider (tawasul.core.figures; docs/adr/0038) give theirs: paid document
orders, job applications, contact-center questions (these two without "processed").

No personal data: no name, contact, identity number, text, reference or date finer than the month
is read. A count from 1 to `MIN_COUNT - 1` is suppressed (empty in the CSV, null in the
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
from django.db.models import Count, Q

from tawasul.cases.models import Case
from tawasul.complaints.workflow import PORTAL as COMPLAINTS
from tawasul.core.figures import PROVIDERS
from tawasul.information.models import REQUEST_KINDS
from tawasul.information.workflow import PORTAL as INFORMATION
from tawasul.registry.models import Administration

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


def _case_rows(query, subject: str):
    """(administration id, subject, received, processed) of case rows, in one GROUP BY."""
    processed = Q(answered_at__isnull=False) | Q(closed_at__isnull=False)
    grouped = (
        query.order_by()
        .values("administration_id", subject)
        .annotate(received=Count("pk"), processed=Count("pk", filter=processed))
    )
    for row in grouped:
        yield row["administration_id"], row[subject], row["received"], row["processed"]


def dataset_rows(month: date) -> list[dict]:
    """One query per portal and one for the administrations' codes, names and regions. Nothing
    personal is read: counts grouped by administration and a subject code (complaint subject,
    request kind; for the portals that register an `open_data` function with their provider,
    theirs: document type, notice kind, question category). A portal whose rows have no
    "processed" (a job application, a contact-center question) leaves it empty/null and is named
    in the JSON's `not_applicable`."""
    start, end = month_bounds(month)
    base = Case.objects.filter(received_at__gte=start, received_at__lt=end)
    parts: list[tuple[str, object]] = [
        (COMPLAINTS, _case_rows(base.filter(portal=COMPLAINTS), "complaint__subject__code")),
        (INFORMATION, _case_rows(base.filter(portal=INFORMATION, kind__in=REQUEST_KINDS), "kind")),
    ]
    parts += [(code, p.open_data(month)) for code, p in PROVIDERS.items() if p.open_data is not None]
    counted = [(portal, *row) for portal, rows in parts for row in rows]
    administrations = {
        a["pk"]: a
        for a in Administration.objects.filter(pk__in={row[1] for row in counted if row[1] is not None}).values(
            "pk", "code", "name_ar", "name_fr", "region__code"
        )
    }
    nobody = {"code": "", "name_ar": "", "name_fr": "", "region__code": ""}
    out = []
    for portal, adm, subject, received, processed in counted:
        a = administrations.get(adm, nobody)
        out.append(
            {
                "month": f"{month:%Y-%m}",
                "portal": portal,
                "administration_code": a["code"],
                "administration_name_ar": a["name_ar"],
                "administration_name_fr": a["name_fr"],
                "region_code": a["region__code"] or "",
                "subject": subject or "",
                "received": suppress(received),
                "processed": None if processed is None else suppress(processed),
            }
        )
    order = {code: index for index, code in enumerate([COMPLAINTS, INFORMATION, *PROVIDERS])}
    out.sort(key=lambda r: (order.get(r["portal"], 99), r["administration_code"], r["subject"]))
    return out


def not_applicable() -> list[str]:
    """The portals whose rows carry no "processed" (their providers say `open_data_processed`)."""
    return [code for code, p in PROVIDERS.items() if p.open_data is not None and not p.open_data_processed]


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
        "not_applicable": {"processed": not_applicable()},
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
