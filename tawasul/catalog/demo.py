"""Demo data of the catalog: the real procedures of `data/procedures.json` (ar/fr), published,
each in its sub-theme (the `subtheme` slug of its row, loaded by migration 0005).

Called by `manage.py seed_demo` (DEMO_LOADERS) after the registry and the facilities; each
procedure's deposit places are the demo facilities of its administration, when there are some.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from tawasul.registry.models import Administration

from .models import Procedure, RequiredDocument, Step, SubTheme, Theme
from .search import rebuild_index
from .services import procedure_index_text

DATA_FILE = Path(__file__).resolve().parent / "data" / "procedures.json"
MAX_DEMO_PLACES = 20


def load(stdout) -> None:
    from tawasul.facilities.models import Facility

    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))["procedures"]
    themes = {t.slug: t for t in Theme.objects.all()}
    subthemes = {(s.theme.slug, s.slug): s for s in SubTheme.objects.select_related("theme")}
    administrations = {a.code: a for a in Administration.objects.all()}
    today = timezone.localdate()
    created = 0
    for row in rows:
        row = dict(row)
        documents, steps = row.pop("documents"), row.pop("steps")
        row["subtheme"] = subthemes.get((row["theme"], row.pop("subtheme", "")))
        row["theme"] = themes[row["theme"]]
        row["administration"] = administrations[row["administration"]]
        row["audiences"] = "," + ",".join(row["audiences"]) + ","
        for money in ("cost_amount", "stamp_duty"):
            row[money] = Decimal(str(row[money])) if row[money] is not None else None
        procedure, is_new = Procedure.objects.update_or_create(
            code=row.pop("code"),
            defaults={
                **row,
                "status": Procedure.Status.PUBLISHED,
                "published_at": timezone.now(),
                "last_verified_on": today,
            },
        )
        procedure.full_clean(exclude=["deposit_places"])  # law 55-19 holds for the demo too
        created += is_new
        procedure.documents.all().delete()
        procedure.steps.all().delete()
        RequiredDocument.objects.bulk_create(
            RequiredDocument(procedure=procedure, position=i, **d) for i, d in enumerate(documents)
        )
        Step.objects.bulk_create(Step(procedure=procedure, position=i, **s) for i, s in enumerate(steps))
        places = list(
            Facility.objects.filter(administration=procedure.administration, is_active=True)[:MAX_DEMO_PLACES]
        )
        procedure.deposit_places.set(places)
        procedure.deposit_place_codes = "\n".join(sorted(p.code for p in places))
        procedure.search_title, procedure.search_text = procedure_index_text(procedure)
        Procedure.objects.filter(pk=procedure.pk).update(
            search_title=procedure.search_title,
            search_text=procedure.search_text,
            deposit_place_codes=procedure.deposit_place_codes,
        )
    rebuild_index()
    stdout.write(f"  {len(rows)} procedures ({created} created)")
