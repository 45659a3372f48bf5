"""Public facilities: the places where people go (SPEC.md §6, DOMAIN.md R5 "Facility (map)").

A facility has Arabic and French names (Amazigh and English optional), a type, the
administration that runs it, the commune it stands in (HCP code), an address, an E.164 phone,
an email, structured opening hours, coordinates and accessibility flags.

Coordinates are plain floats. Two expression indexes start with the latitude band
(`LatBand`: 0.01° of latitude) followed by the longitude: a bounding box becomes one short index
range per band instead of a scan of every row in its latitude strip. The band is stored nowhere
but in the index, which the database keeps on every write, so no writer can leave it stale.
Nearest-N searches grow a box and rank by haversine distance (ARCHITECTURE.md "Maps", docs/adr
"facilities nearest grid"; no GeoDjango).
"""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tawasul.registry.models import MultilingualName

# Morocco's bounding box, Western Sahara included (the Kingdom's territory as the HCP divisions
# cover it): from La Güera (20.77 N, 17.1 W) to Cap Spartel / Saïdia (35.93 N, 1.0 W).
MOROCCO_BBOX = (-17.2, 20.7, -0.9, 36.0)  # west, south, east, north

#: Bands per degree of latitude: a band is 0.01° (≈ 1.1 km) high, band 0 starts at the South Pole.
BANDS_PER_DEGREE = 100.0


def lat_band(latitude: float) -> int:
    """The band of a latitude, computed exactly as the database computes `LatBand` in the
    indexes (the same IEEE double operations: (latitude + 90) × 100, rounded down)."""
    return math.floor((latitude + 90.0) * BANDS_PER_DEGREE)


def band_sql(column: str, vendor: str) -> str:
    """The SQL of `LatBand` over `column` (already quoted), exactly as the indexes hold it."""
    if vendor == "sqlite":
        return f"CAST((({column}) + 90.0) * {BANDS_PER_DEGREE!r} AS INTEGER)"
    if vendor == "postgresql":
        return f"(FLOOR((({column}) + 90.0::float8) * {BANDS_PER_DEGREE!r}::float8))::integer"
    return f"FLOOR((({column}) + 90.0) * {BANDS_PER_DEGREE!r})"


class LatBand(models.Func):
    """`floor((latitude + 90) * 100)` in SQL, with built-in operations only (an index expression
    must not depend on a function Django registers: other clients write the table too). On
    SQLite `CAST(... AS INTEGER)` truncates, which is the floor for the non-negative values a
    valid latitude gives; PostgreSQL's cast rounds, so it takes FLOOR first. Queries must write
    the expression exactly as the indexes do (`band_sql`), or the database will not use them."""

    arity = 1
    output_field = models.IntegerField()

    def as_sql(self, compiler, connection, function=None, template=None, **extra_context):
        template = band_sql("%(expressions)s", connection.vendor)
        return super().as_sql(compiler, connection, function=function, template=template, **extra_context)


class FacilityType(MultilingualName):
    """A kind of facility (commune office, caïdat, post office, hospital...)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("facility type")
        verbose_name_plural = _("facility types")


class Service(MultilingualName):
    """A service offered at facilities (a small shared vocabulary: "legalisation of signatures",
    "national ID card", "parcels"...)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")


class Facility(MultilingualName):
    """One public facility on the map (DOMAIN.md R5).

    `opening_hours` maps weekday keys (`mon` ... `sun`) to a list of `["HH:MM", "HH:MM"]`
    ranges; a missing or empty day is closed. `tawasul.facilities.hours` validates, renders and
    answers "open now" (in Africa/Casablanca). `hours_note_*` holds free text such as Ramadan
    hours.
    """

    code = models.SlugField(
        _("code"), max_length=64, unique=True, help_text=_("Stable identifier used by imports to update a facility.")
    )
    type = models.ForeignKey(FacilityType, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("type"))
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("administration"),
    )
    commune = models.ForeignKey(
        "registry.Commune", on_delete=models.PROTECT, related_name="facilities", verbose_name=_("commune")
    )
    address_ar = models.CharField(_("address (Arabic)"), max_length=500, blank=True)
    address_fr = models.CharField(_("address (French)"), max_length=500, blank=True)
    address_zgh = models.CharField(_("address (Amazigh)"), max_length=500, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=500, blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    hours_note_ar = models.CharField(_("hours note (Arabic)"), max_length=500, blank=True)
    hours_note_fr = models.CharField(_("hours note (French)"), max_length=500, blank=True)
    hours_note_zgh = models.CharField(_("hours note (Amazigh)"), max_length=500, blank=True)
    hours_note_en = models.CharField(_("hours note (English)"), max_length=500, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    wheelchair_access = models.BooleanField(_("wheelchair access"), default=False)
    accessible_toilets = models.BooleanField(_("accessible toilets"), default=False)
    reserved_parking = models.BooleanField(_("reserved parking"), default=False)
    sign_language = models.BooleanField(_("sign language reception"), default=False)
    services = models.ManyToManyField(
        Service, blank=True, related_name="facilities", verbose_name=_("services offered")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    ACCESSIBILITY_FLAGS = ("wheelchair_access", "accessible_toilets", "reserved_parking", "sign_language")

    class Meta:
        ordering = ["name_ar", "id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [
            # the bounding box of nearest-N and of the GeoJSON bbox query: one seek per latitude band,
            # then a longitude range; latitude, is_active and id are read from the index itself
            # (SQLite and PostgreSQL both answer from it alone). An expression, not a column: SQLite
            # never treats an index as covering when the query reads a generated column.
            models.Index(
                LatBand("latitude"), "longitude", "latitude", "is_active", "id", name="facilities_band_lon_idx"
            ),
            models.Index(fields=["is_active", "type"], name="facilities_active_type_idx"),
            # nearest-N of one type (a procedure's "where to go", `?type=`): the box within that type
            models.Index(
                "type",
                LatBand("latitude"),
                "longitude",
                "latitude",
                "is_active",
                "id",
                name="facilities_type_band_lon_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="facilities_coordinates_on_earth",
            )
        ]

    def clean(self) -> None:
        super().clean()
        from tawasul.facilities.hours import validate_hours

        west, south, east, north = MOROCCO_BBOX
        if (
            self.latitude is not None
            and self.longitude is not None
            and not (south <= self.latitude <= north and west <= self.longitude <= east)
        ):
            raise ValidationError({"latitude": _("The coordinates are outside Morocco.")})
        try:
            validate_hours(self.opening_hours)
        except ValueError as exc:
            raise ValidationError({"opening_hours": str(exc)}) from exc

    def _localized(self, prefix: str, language: str | None = None) -> str:
        lang = (language or get_language() or "ar").split("-")[0]
        if lang == "en":
            return getattr(self, f"{prefix}_en") or getattr(self, f"{prefix}_fr") or getattr(self, f"{prefix}_ar")
        return getattr(self, f"{prefix}_{lang}", "") or getattr(self, f"{prefix}_ar")

    def address(self, language: str | None = None) -> str:
        """The address in the active language, falling back to Arabic (English: to French)."""
        return self._localized("address", language)

    def hours_note(self, language: str | None = None) -> str:
        return self._localized("hours_note", language)

    @property
    def accessibility(self) -> list[str]:
        """The accessibility flags that hold, as field names."""
        return [flag for flag in self.ACCESSIBILITY_FLAGS if getattr(self, flag)]
