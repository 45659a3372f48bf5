"""Import facilities from CSV or GeoJSON (SPEC.md §6 "row-level error reports").

Every row is checked (required names, known type, known commune code, coordinates inside
Morocco, E.164 phone, email, hours format, known services and administration) and every problem
is reported as (row, field, message). The user chooses the mode:

- `all_or_nothing`: any error and nothing is imported;
- `valid_only`: the valid rows are imported (in one transaction), the others are reported.

Rows are matched by `code` (updated when present, created otherwise). `manage.py
import_facilities` and the admin's import page both call `facilities_import`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tawasul.accounts.validators import normalize_phone
from tawasul.registry.models import Administration, Commune
from tawasul.registry.services import build_search_text

from .hours import parse_hours, validate_hours
from .models import MOROCCO_BBOX, Facility, FacilityType, Service

ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
MODES = (ALL_OR_NOTHING, VALID_ONLY)

#: The columns (CSV header or GeoJSON feature properties). GeoJSON takes the coordinates from a
#: Point geometry when `latitude`/`longitude` are absent.
COLUMNS = {
    "code": "stable identifier (letters, digits, - and _); generated from type, commune and name when empty",
    "name_ar": "name in Arabic (required)",
    "name_fr": "name in French (required)",
    "name_zgh": "name in Amazigh (Tifinagh)",
    "name_en": "name in English",
    "type": "facility type code, one of the types in the admin (required)",
    "administration": "code of the administration that runs it",
    "commune": "HCP code of the commune, e.g. 04.441.01.1 (required)",
    "address_ar": "address in Arabic",
    "address_fr": "address in French",
    "phone": "phone number, stored in E.164 (+212537000000)",
    "email": "contact e-mail",
    "website": "https://...",
    "hours": "opening hours, e.g. 'mon-fri 08:30-16:30; sat 09:00-12:00' (GeoJSON: also the stored JSON form)",
    "hours_note_ar": "free note on hours in Arabic (e.g. Ramadan hours)",
    "hours_note_fr": "free note on hours in French",
    "latitude": "decimal degrees, inside Morocco (required)",
    "longitude": "decimal degrees, inside Morocco (required)",
    "wheelchair_access": "yes/no",
    "accessible_toilets": "yes/no",
    "reserved_parking": "yes/no",
    "sign_language": "yes/no",
    "services": "service codes separated by |",
    "is_active": "yes/no (default yes)",
}
REQUIRED = ("name_ar", "name_fr", "type", "commune", "latitude", "longitude")
_TRUE = {"1", "yes", "true", "y", "oui", "نعم", "x"}
_FALSE = {"", "0", "no", "false", "n", "non", "لا"}
_TEXT_FIELDS = (
    "name_ar",
    "name_fr",
    "name_zgh",
    "name_en",
    "address_ar",
    "address_fr",
    "hours_note_ar",
    "hours_note_fr",
)


@dataclass(frozen=True)
class RowError:
    row: int  # CSV: the line of the file (the header is line 1); GeoJSON: the feature number (from 1)
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}" if self.field else f"row {self.row}: {self.message}"


@dataclass
class ImportResult:
    mode: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0  # rows with an error (not imported)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def report_csv(self) -> str:
        """The row-by-row error report: `row,field,message`."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["row", "field", "message"])
        for error in self.errors:
            writer.writerow([error.row, error.field, error.message])
        return out.getvalue()


# --- Reading files -------------------------------------------------------------------------------


def read_csv(data: str | bytes, *, delimiter: str = ",") -> list[tuple[int, dict]]:
    """(line number, row) pairs of a UTF-8 CSV (with or without a BOM); the header is line 1."""
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(data.removeprefix("\ufeff")), delimiter=delimiter)
    return [(reader.line_num, {(k or "").strip(): v for k, v in row.items()}) for row in reader]


def read_geojson(data: str | bytes) -> list[tuple[int, dict]]:
    """(feature number, properties + coordinates) pairs of a GeoJSON FeatureCollection of Points.
    Raises ValueError when the file is not a FeatureCollection."""
    doc = json.loads(data)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ValueError(_("The file is not a GeoJSON FeatureCollection."))
    rows = []
    for number, feature in enumerate(doc["features"], start=1):
        props = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry") or {}
        if geometry.get("type") == "Point" and isinstance(geometry.get("coordinates"), list):
            coords = geometry["coordinates"]
            if len(coords) >= 2:
                props.setdefault("longitude", coords[0])
                props.setdefault("latitude", coords[1])
        rows.append((number, props))
    return rows


def read_file(name: str, data: bytes, *, delimiter: str = ",") -> list[tuple[int, dict]]:
    """Rows of a `.csv`, `.geojson` or `.json` file, chosen by its name."""
    lower = name.lower()
    if lower.endswith((".geojson", ".json")):
        return read_geojson(data)
    return read_csv(data, delimiter=delimiter)


# --- Checking rows -------------------------------------------------------------------------------


class _Lookups:
    """The reference tables, loaded once per import."""

    def __init__(self):
        self.types = {t.code: t for t in FacilityType.objects.all()}
        self.services = {s.code: s for s in Service.objects.all()}
        self.communes = dict(Commune.objects.values_list("code", "pk"))
        self.administrations = dict(Administration.objects.values_list("code", "pk"))


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _flag(row: dict, key: str, errors: list, *, default: bool = False) -> bool:
    value = row.get(key)
    if isinstance(value, bool):
        return value
    text = _text(row, key).lower()
    if key not in row or (text == "" and default):
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errors.append((key, _("Write yes or no.")))
    return default


def _coordinate(row: dict, key: str, errors: list) -> float | None:
    value = row.get(key)
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        errors.append((key, _("Enter a number in decimal degrees.")))
        return None
    if number != number:  # NaN
        errors.append((key, _("Enter a number in decimal degrees.")))
        return None
    return number


def check_row(row: dict, lookups: _Lookups) -> tuple[dict | None, list[tuple[str, str]]]:
    """Clean one row: (values for the model, []) or (None, [(field, message), ...])."""
    errors: list[tuple[str, str]] = []
    for key in REQUIRED:
        if row.get(key) in (None, "") or (isinstance(row.get(key), str) and not row[key].strip()):
            errors.append((key, _("This field is required.")))
    values = {key: _text(row, key) for key in _TEXT_FIELDS}
    values["name_zgh"] = _text(row, "name_zgh")
    values["name_en"] = _text(row, "name_en")

    type_code = _text(row, "type")
    if type_code and type_code not in lookups.types:
        errors.append(("type", _("Unknown facility type “%(code)s”.") % {"code": type_code}))
    commune_code = _text(row, "commune")
    if commune_code and commune_code not in lookups.communes:
        errors.append(("commune", _("Unknown commune code “%(code)s”.") % {"code": commune_code}))
    admin_code = _text(row, "administration")
    if admin_code and admin_code not in lookups.administrations:
        errors.append(("administration", _("Unknown administration “%(code)s”.") % {"code": admin_code}))

    lat = lon = None
    if row.get("latitude") not in (None, "") and row.get("longitude") not in (None, ""):
        lat, lon = _coordinate(row, "latitude", errors), _coordinate(row, "longitude", errors)
        west, south, east, north = MOROCCO_BBOX
        if lat is not None and lon is not None and not (south <= lat <= north and west <= lon <= east):
            errors.append(("latitude", _("The coordinates are outside Morocco.")))

    phone = _text(row, "phone")
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors.append(("phone", exc.messages[0]))
    email = _text(row, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(("email", _("Enter a valid email address.")))

    raw_hours = row.get("hours")
    hours: dict = {}
    try:
        hours = validate_hours(raw_hours) if isinstance(raw_hours, dict) else parse_hours(_text(row, "hours"))
    except ValueError as exc:
        errors.append(("hours", str(exc)))

    service_codes = row.get("services") or []
    if isinstance(service_codes, str):
        service_codes = [s.strip() for s in service_codes.split("|") if s.strip()]
    unknown = [c for c in service_codes if c not in lookups.services]
    if unknown:
        errors.append(("services", _("Unknown service(s): %(codes)s.") % {"codes": ", ".join(unknown)}))

    code = _text(row, "code")
    if code:
        try:
            validate_slug(code)
        except ValidationError:
            errors.append(("code", _("Use only letters, digits, hyphens and underscores.")))
    else:
        code = slugify(f"{type_code}-{commune_code}-{values['name_fr']}")[:64]

    flags = {flag: _flag(row, flag, errors) for flag in Facility.ACCESSIBILITY_FLAGS}
    is_active = _flag(row, "is_active", errors, default=True)
    if errors:
        return None, errors
    values.update(
        code=code,
        type_id=lookups.types[type_code].pk,
        commune_id=lookups.communes[commune_code],
        administration_id=lookups.administrations.get(admin_code) if admin_code else None,
        phone=phone,
        email=email,
        website=_text(row, "website"),
        opening_hours=hours,
        latitude=lat,
        longitude=lon,
        is_active=is_active,
        **flags,
    )
    values["_services"] = [lookups.services[c].pk for c in service_codes]
    return values, []


# --- Writing -------------------------------------------------------------------------------------


def _search_text(values: dict) -> str:
    return build_search_text(values["name_ar"], values["name_fr"], values["name_zgh"], values["name_en"])


def facilities_import(
    *,
    actor,
    rows: Iterable[tuple[int, dict]],
    mode: str = ALL_OR_NOTHING,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 1000,
) -> ImportResult:
    """Check every row, then write the valid ones (both modes in one transaction).

    `actor` is the staff user (None for the command line); history rows record it.
    `progress(done, total)` is called while checking and while writing.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    rows = list(rows)
    result = ImportResult(mode=mode, rows=len(rows))
    lookups = _Lookups()
    total = len(rows) * 2
    valid: list[dict] = []
    seen_codes: dict[str, int] = {}
    for i, (number, row) in enumerate(rows, start=1):
        values, errors = check_row(row if isinstance(row, dict) else {}, lookups)
        if values is not None and values["code"] in seen_codes:
            errors = [("code", _("The code is already used on row %(row)s.") % {"row": seen_codes[values["code"]]})]
            values = None
        if values is None:
            result.errors.extend(RowError(number, f, m) for f, m in errors)
            result.skipped += 1
        else:
            seen_codes[values["code"]] = number
            valid.append(values)
        if progress and (i % 500 == 0 or i == len(rows)):
            progress(i, total)
    if result.errors and mode == ALL_OR_NOTHING:
        result.skipped = result.rows
        return result
    _write(valid, result, actor=actor, progress=progress, offset=len(rows), total=total, batch_size=batch_size)
    return result


def _write(valid, result, *, actor, progress, offset, total, batch_size) -> None:
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    fields = [f for f in valid[0] if not f.startswith("_")] + ["search_text"] if valid else []
    with transaction.atomic():
        existing = Facility.objects.in_bulk([v["code"] for v in valid], field_name="code")
        creates, updates, services = [], [], {}
        for values in valid:
            model_values = {k: v for k, v in values.items() if not k.startswith("_")}
            model_values["search_text"] = _search_text(values)
            if values["code"] in existing:
                facility = existing[values["code"]]
                for name, value in model_values.items():
                    setattr(facility, name, value)
                facility.updated_at = timezone.now()  # bulk_update skips auto_now
                updates.append(facility)
            else:
                creates.append(Facility(**model_values))
            services[values["code"]] = values["_services"]
        done = offset
        for start in range(0, max(len(creates), len(updates)), batch_size):
            chunk_c, chunk_u = creates[start : start + batch_size], updates[start : start + batch_size]
            if chunk_c:
                bulk_create_with_history(chunk_c, Facility, batch_size=batch_size, default_user=actor)
            if chunk_u:
                update_fields = [f for f in fields if f != "code"] + ["updated_at"]
                bulk_update_with_history(chunk_u, Facility, update_fields, batch_size=batch_size, default_user=actor)
            done += len(chunk_c) + len(chunk_u)
            if progress:
                progress(done, total)
        by_code = dict(Facility.objects.filter(code__in=list(services)).values_list("code", "pk"))
        through = Facility.services.through
        through.objects.filter(facility_id__in=list(by_code.values())).delete()
        through.objects.bulk_create(
            [through(facility_id=by_code[code], service_id=sid) for code, sids in services.items() for sid in sids],
            batch_size=batch_size,
        )
        result.created, result.updated = len(creates), len(updates)
    if progress:
        progress(total, total)
