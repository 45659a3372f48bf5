"""Demo data of the facilities map: 16,043 facilities (SPEC.md §6) in the real communes.

- A few dozen real facilities (`data/real_facilities.csv`, see data/README.md) go through the
  importer, like a ministry's file.
- The rest are generated so that the total is `TOTAL`: every commune gets its commune office,
  the others are shared by the 2024 census population of the communes (largest remainders), so
  counts per region look real. Positions: the commune's own place in GeoNames, else its
  province's chief town, with jitter (`places.commune_positions`).

Generated rows are written with `bulk_create` (no history rows: demo data has no editor) so the
whole load stays within a few seconds. Deterministic (seeded random).
"""

from __future__ import annotations

import math
import random
import time

from django.db import transaction

from tawasul.registry.models import Administration, Commune
from tawasul.registry.services import build_search_text

from .hours import ADMINISTRATION_HOURS, parse_hours
from .importers import ALL_OR_NOTHING, facilities_import, read_csv
from .models import MOROCCO_BBOX, Facility, FacilityType, Service
from .places import commune_positions
from .vocabulary import TYPE_SERVICES

TOTAL = 16_043  # SPEC.md §6, DOMAIN.md §5 maps.service-public.ma (figure from the brief, unverified)
REAL_FILE = "real_facilities.csv"

# Share of each type among the facilities placed by population (commune offices come first, one per
# commune). Rough orders of magnitude of the national networks: ~2,000 post agencies, ~2,900
# health establishments, ~11,000 schools are more than a map of services lists, so schools are
# capped; the weights make a plausible mix, not a census.
URBAN_WEIGHTS = {
    "school": 20,
    "health_centre": 16,
    "post_office": 12,
    "civil_status_office": 10,
    "police": 8,
    "caidat": 4,
    "pachalik": 2,
    "cnss_agency": 3,
    "anapec": 2,
    "tax_office": 2,
    "court": 2,
    "hospital": 2,
}
RURAL_WEIGHTS = {"school": 30, "health_centre": 20, "caidat": 14, "gendarmerie": 8, "post_office": 6}

ADMINISTRATION_OF_TYPE = {
    "prefecture": "interieur",
    "pachalik": "interieur",
    "caidat": "interieur",
    "police": "interieur",
    "civil_status_office": "etat-civil",
    "post_office": "barid-al-maghrib",
    "cnss_agency": "cnss",
    "hospital": "sante",
    "health_centre": "sante",
    "school": "education-nationale",
    "court": "justice",
    "tax_office": "dgi",
    "anapec": "anapec",
}
HOURS_OF_TYPE = {
    "post_office": parse_hours("mon-fri 08:00-16:30; sat 08:00-12:00"),
    "hospital": parse_hours("mon-sun 00:00-23:59"),
    "police": parse_hours("mon-sun 00:00-23:59"),
    "gendarmerie": parse_hours("mon-sun 00:00-23:59"),
    "school": parse_hours("mon-fri 08:00-18:00; sat 08:00-12:00"),
}
RAMADAN_NOTE = (
    "خلال شهر رمضان: من الاثنين إلى الجمعة من 9:00 إلى 15:00",
    "Pendant le Ramadan : du lundi au vendredi de 9 h à 15 h",
)


def _shares(communes: list[Commune], budget: int) -> dict[int, int]:
    """Split `budget` facilities among communes by population (largest remainder method)."""
    population = {c.pk: max(c.population or 0, 1) for c in communes}
    total = sum(population.values())
    exact = {pk: budget * p / total for pk, p in population.items()}
    shares = {pk: math.floor(x) for pk, x in exact.items()}
    left = budget - sum(shares.values())
    for pk in sorted(exact, key=lambda pk: exact[pk] - shares[pk], reverse=True)[:left]:
        shares[pk] += 1
    return shares


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(*, total: int = TOTAL, seed: int = 2026, existing: int = 0) -> int:
    """Create `total - existing` facilities in the real communes; returns how many were created."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    types = {t.code: t for t in FacilityType.objects.all()}
    services = {s.code: s.pk for s in Service.objects.all()}
    admins = dict(Administration.objects.values_list("code", "pk"))
    communes = list(Commune.objects.select_related("province").order_by("code"))
    if not communes:
        return 0
    positions = commune_positions(communes)
    budget = max(total - existing - len(communes), 0)
    shares = _shares(communes, budget)
    west, south, east, north = MOROCCO_BBOX
    rows: list[Facility] = []
    row_services: list[tuple[int, list[int]]] = []
    for commune in communes:
        if commune.code not in positions:
            continue
        lat0, lon0, exact = positions[commune.code]
        spread = 0.02 if exact else 0.08
        weights = URBAN_WEIGHTS if commune.kind == Commune.Kind.URBAN else RURAL_WEIGHTS
        codes = ["commune_office"] + [_pick(rng, weights) for _ in range(shares.get(commune.pk, 0))]
        seen: dict[str, int] = {}
        for type_code in codes:
            seen[type_code] = seen.get(type_code, 0) + 1
            n = seen[type_code]
            kind = types[type_code]
            suffix_fr = f" {n}" if n > 1 else ""
            suffix_ar = f" {n}" if n > 1 else ""
            name_ar = f"{kind.name_ar} {commune.name_ar}{suffix_ar}"
            name_fr = f"{kind.name_fr} – {commune.name_fr}{suffix_fr}"
            lat = min(max(rng.gauss(lat0, spread), south), north)
            lon = min(max(rng.gauss(lon0, spread), west), east)
            digits = commune.code.replace(".", "")
            rows.append(
                Facility(
                    code=f"demo-{digits}-{type_code.replace('_', '-')}-{n}",
                    name_ar=name_ar,
                    name_fr=name_fr,
                    search_text=build_search_text(name_ar, name_fr),
                    type=kind,
                    administration_id=admins.get(ADMINISTRATION_OF_TYPE.get(type_code, "")),
                    commune=commune,
                    address_ar=f"{commune.name_ar}، {commune.province.name_ar}",
                    address_fr=f"{commune.name_fr}, {commune.province.name_fr}",
                    phone=f"+2125{rng.randint(22, 39)}{rng.randint(0, 999999):06d}",
                    opening_hours=HOURS_OF_TYPE.get(type_code, ADMINISTRATION_HOURS),
                    hours_note_ar=RAMADAN_NOTE[0] if type_code in ADMINISTRATION_OF_TYPE else "",
                    hours_note_fr=RAMADAN_NOTE[1] if type_code in ADMINISTRATION_OF_TYPE else "",
                    latitude=round(lat, 6),
                    longitude=round(lon, 6),
                    wheelchair_access=rng.random() < 0.35,
                    accessible_toilets=rng.random() < 0.15,
                    reserved_parking=rng.random() < 0.1,
                    sign_language=rng.random() < 0.03,
                )
            )
            offered = [services[c] for c in TYPE_SERVICES.get(type_code, []) if c in services]
            row_services.append((len(rows) - 1, offered))
    rows = rows[: max(total - existing, 0)]
    with transaction.atomic():
        created = Facility.objects.bulk_create(rows, batch_size=2000)
        through = Facility.services.through
        through.objects.bulk_create(
            [
                through(facility_id=created[i].pk, service_id=sid)
                for i, sids in row_services
                if i < len(created)
                for sid in sids
            ],
            batch_size=5000,
        )
    return len(created)


def load(stdout) -> None:
    from pathlib import Path

    started = time.monotonic()
    data = (Path(__file__).resolve().parent / "data" / REAL_FILE).read_bytes()
    result = facilities_import(actor=None, rows=read_csv(data), mode=ALL_OR_NOTHING)
    if not result.ok:  # the demo file is ours: an error here is a bug to fix in the file
        raise ValueError("Demo facilities file is invalid:\n" + "\n".join(map(str, result.errors)))
    created = 0
    if not Facility.objects.filter(code__startswith="demo-").exists():
        created = generate(existing=Facility.objects.count())
    stdout.write(
        f"  {result.imported} real facilities, {created} generated in real communes "
        f"({Facility.objects.count()} in all, {time.monotonic() - started:.1f} s)"
    )
