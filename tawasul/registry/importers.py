"""Import administrations from a CSV file, as a ministry would provide it.

Every row is checked first and every problem is reported with its line and column; the file is
imported only when no row is wrong (all or nothing), so a half-imported tree never happens.
The demo loader (`tawasul.registry.demo`) reads its own data through the same importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator, validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Administration, Commune, Province, Region
from .services import administration_save

#: The columns of the file, in the order of the demo file. Only `code`, `name_ar`, `name_fr`,
#: `kind` and `group` must have a value; the others may be absent or empty.
COLUMNS = {
    "code": "unique identifier: lower-case letters, digits and hyphens (e.g. dgi, commune-fes)",
    "parent_code": "code of the parent administration, in the database or on an earlier line",
    "kind": "one of: " + ", ".join(Administration.Kind.values),
    "group": "statistics group, one of: " + ", ".join(Administration.Group.values),
    "level": "one of: " + ", ".join(Administration.Level.values) + " (default central)",
    "acronym": "e.g. CNSS",
    "name_ar": "name in Arabic",
    "name_fr": "name in French",
    "name_en": "name in English",
    "name_zgh": "name in Amazigh (Tifinagh)",
    "region": "HCP code (04) or ISO 3166-2 code (MA-04) of the region",
    "province": "HCP code of the province or prefecture (04.421)",
    "commune": "HCP code of the commune (04.421.01.0)",
    "address": "postal address",
    "phone": "Moroccan phone number, stored in E.164 (+212537000000)",
    "email": "contact e-mail",
    "website": "https://...",
    "joined_on": "date the administration joined the platform, YYYY-MM-DD",
    "left_on": "date it left the platform, YYYY-MM-DD, not before joined_on",
}
REQUIRED = ("code", "name_ar", "name_fr", "kind", "group")


@dataclass(frozen=True)
class RowError:
    line: int  # the line of the file (the header is line 1)
    column: str
    message: str

    def __str__(self) -> str:
        return (
            f"line {self.line}, {self.column}: {self.message}" if self.column else f"line {self.line}: {self.message}"
        )


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_csv(data: str | bytes, *, delimiter: str = ",") -> list[dict[str, str]]:
    """The rows of a CSV text (UTF-8, with or without the BOM spreadsheets add)."""
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    data = data.removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(data, newline=""), delimiter=delimiter))


def normalize_phone(value: str) -> str:
    """A Moroccan phone number in E.164, or ValueError (DOMAIN.md R10)."""
    try:
        number = phonenumbers.parse(value, "MA")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Checker:
    """Checks the rows one by one, collecting errors and the cleaned values."""

    def __init__(self, rows: list[dict[str, str]]):
        self.rows = rows
        self.errors: list[RowError] = []
        wanted = {c: {(r.get(c) or "").strip() for r in rows} - {""} for c in ("region", "province", "commune")}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.regions.update({r.iso_code: r for r in self.regions.values()})
        self.provinces = {p.code: p for p in Province.objects.filter(code__in=wanted["province"])}
        self.communes = {
            c.code: c for c in Commune.objects.filter(code__in=wanted["commune"]).select_related("province")
        }
        codes = {(r.get("parent_code") or "").strip() for r in rows} - {""}
        self.known_codes = set(Administration.objects.filter(code__in=codes).values_list("code", flat=True))
        self.seen: set[str] = set()

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def check(self) -> list[tuple[int, dict]]:
        missing = [c for c in REQUIRED if self.rows and c not in self.rows[0]]
        if missing:
            self.error(1, "", _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
            return []
        cleaned = []
        for index, raw in enumerate(self.rows):
            line = index + 2
            row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            unknown = sorted(set(row) - set(COLUMNS))
            if unknown and index == 0:
                self.error(1, "", _("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
            before = len(self.errors)
            values = self.check_row(line, row)
            if len(self.errors) == before:
                cleaned.append((line, values))
        return cleaned

    def check_row(self, line: int, row: dict[str, str]) -> dict:
        v: dict = {}
        for column in REQUIRED:
            if not row.get(column):
                self.error(line, column, _("a value is required"))
        code = row.get("code", "")
        if code:
            try:
                validate_slug(code)
            except ValidationError:
                self.error(line, "code", _("use only letters, digits, hyphens and underscores"))
            if code in self.seen:
                self.error(line, "code", _("this code appears on an earlier line"))
            self.seen.add(code)
        v["code"] = code
        for column in ("name_ar", "name_fr", "name_en", "name_zgh", "acronym", "address"):
            v[column] = row.get(column, "")
        for column, choices in (
            ("kind", Administration.Kind),
            ("group", Administration.Group),
            ("level", Administration.Level),
        ):
            value = row.get(column, "") or (Administration.Level.CENTRAL if column == "level" else "")
            if value and value not in choices.values:
                self.error(
                    line,
                    column,
                    _("%(value)s is not one of: %(choices)s") % {"value": value, "choices": ", ".join(choices.values)},
                )
            v[column] = value
        parent = row.get("parent_code", "")
        if parent and parent == code:
            self.error(line, "parent_code", _("an administration cannot be its own parent"))
        elif parent and parent not in self.known_codes and parent not in self.seen:
            self.error(
                line,
                "parent_code",
                _("no administration %(code)s in the registry or above this line") % {"code": parent},
            )
        v["parent_code"] = parent
        self.check_places(line, row, v)
        if row.get("phone"):
            try:
                v["phone"] = normalize_phone(row["phone"])
            except ValueError:
                self.error(line, "phone", _("not a valid Moroccan phone number"))
        else:
            v["phone"] = ""
        for column, validator in (("email", EmailValidator()), ("website", URLValidator(schemes=["http", "https"]))):
            v[column] = row.get(column, "")
            if v[column]:
                try:
                    validator(v[column])
                except ValidationError:
                    self.error(line, column, _("not a valid value: %(value)s") % {"value": v[column]})
        for column in ("joined_on", "left_on"):
            try:
                v[column] = _date(row.get(column, ""))
            except ValueError:
                self.error(line, column, _("not a date in the form YYYY-MM-DD"))
                v[column] = None
        if v["left_on"] and (not v["joined_on"] or v["left_on"] < v["joined_on"]):
            self.error(line, "left_on", _("an administration cannot leave before it joined"))
        return v

    def check_places(self, line: int, row: dict[str, str], v: dict) -> None:
        region = province = commune = None
        if code := row.get("region"):
            region = self.regions.get(code)
            if region is None:
                self.error(line, "region", _("no region %(code)s") % {"code": code})
        if code := row.get("province"):
            province = self.provinces.get(code)
            if province is None:
                self.error(line, "province", _("no province or prefecture %(code)s") % {"code": code})
        if code := row.get("commune"):
            commune = self.communes.get(code)
            if commune is None:
                self.error(line, "commune", _("no commune %(code)s") % {"code": code})
        if commune and province and commune.province_id != province.pk:
            self.error(line, "commune", _("this commune is not in the province given"))
        province = province or (commune.province if commune else None)
        if province and region and province.region_id != region.pk:
            self.error(line, "province", _("this province is not in the region given"))
        v["region_id"] = region.pk if region else (province.region_id if province else None)
        v["province_id"] = province.pk if province else None
        v["commune_id"] = commune.pk if commune else None


def administrations_import(*, actor, rows: Iterable[dict[str, str]], dry_run: bool = False) -> ImportResult:
    """Check every row, then (unless `dry_run` or a row is wrong) create or update them by code."""
    rows = list(rows)
    checker = _Checker(rows)
    cleaned = checker.check()
    result = ImportResult(rows=len(rows), errors=checker.errors)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        existing = {a.code: a for a in Administration.objects.filter(code__in=[v["code"] for _, v in cleaned])}
        saved: dict[str, Administration] = {}
        for line, values in cleaned:
            values = dict(values)
            parent_code = values.pop("parent_code")
            adm = existing.get(values["code"])
            parent = (saved.get(parent_code) or Administration.objects.get(code=parent_code)) if parent_code else None
            values["parent_id"] = parent.pk if parent else None
            if adm is None:
                adm = Administration()
                result.created += 1
            elif all(getattr(adm, name) == value for name, value in values.items()):
                saved[adm.code] = adm  # nothing changed: no save, no history row
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            for name, value in values.items():
                setattr(adm, name, value)
            try:
                administration_save(actor=actor, administration=adm)
            except ValidationError as exc:
                # Checked above; a constraint the checks missed still gets a line number.
                result.errors.append(RowError(line, "", "; ".join(exc.messages)))
                transaction.set_rollback(True)
                result.created = result.updated = result.unchanged = 0
                return result
            saved[adm.code] = adm
    return result
