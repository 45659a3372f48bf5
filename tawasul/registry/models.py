"""The registry of administrations and the administrative divisions of the kingdom.

Names are stored per language (ar, fr, zgh in Tifinagh, en); `name()` picks the active
language and falls back to Arabic.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MultilingualName(models.Model):
    name_ar = models.CharField(_("name (Arabic)"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255, blank=True)
    name_zgh = models.CharField(_("name (Amazigh)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    # normalize() of every name (and acronym), one per line, kept by the services and importers;
    # searched with `contains` per token (tawasul.registry.selectors).
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name()

    def names(self) -> list[str]:
        """Every non-empty name, Arabic first."""
        return [n for n in (self.name_ar, self.name_fr, self.name_zgh, self.name_en) if n]

    def name(self, language: str | None = None) -> str:
        """The name in `language` (default: the active one); Arabic when missing, except that
        English falls back to French first (divisions and many bodies have no English name)."""
        lang = (language or get_language() or "ar").split("-")[0]
        if lang == "en":
            return self.name_en or self.name_fr or self.name_ar
        return getattr(self, f"name_{lang}", "") or self.name_ar


class Region(MultilingualName):
    """One of the 12 regions (decree 2-15-40), with its HCP and ISO 3166-2 codes."""

    code = models.CharField(_("HCP code"), max_length=2, unique=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)
    population = models.PositiveIntegerField(_("population (2024)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(MultilingualName):
    """A province or prefecture (HCP code such as `01.511`).

    The 8 prefectures of arrondissements of Casablanca carry longer codes (`06.141.01.00`).
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture")
        PREFECTURE_ARRONDISSEMENTS = "prefecture_arrondissements", _("Prefecture of arrondissements")

    code = models.CharField(_("HCP code"), max_length=16, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.PROVINCE)
    population = models.PositiveIntegerField(_("population (2024)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province or prefecture")
        verbose_name_plural = _("provinces and prefectures")


class Commune(MultilingualName):
    """One of the 1,503 communes (HCP code such as `01.511.01.0`)."""

    class Kind(models.TextChoices):
        URBAN = "urban", _("Urban commune")
        RURAL = "rural", _("Rural commune")

    code = models.CharField(_("HCP code"), max_length=16, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province or prefecture")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.URBAN)
    population = models.PositiveIntegerField(_("population (2024)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")


class Administration(MultilingualName):
    """An administration that joined (or left) the platform: a node of the tree."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        HIGH_COMMISSION = "high_commission", _("High commission")
        DIRECTORATE = "directorate", _("Directorate")
        DIVISION = "division", _("Division or service")
        REGIONAL_DELEGATION = "regional_delegation", _("Regional delegation")
        PROVINCIAL_DELEGATION = "provincial_delegation", _("Provincial delegation")
        REGION_COUNCIL = "region_council", _("Regional council")
        PROVINCE_COUNCIL = "province_council", _("Provincial or prefectural council")
        COMMUNE = "commune", _("Commune")
        PUBLIC_ESTABLISHMENT = "public_establishment", _("Public establishment or enterprise")
        CONSTITUTIONAL_BODY = "constitutional_body", _("Constitutional or governance body")

    class Group(models.TextChoices):
        """The three groups of the public statistics (DOMAIN.md R2)."""

        MINISTRIES = "ministries", _("Ministries and high commissions")
        PUBLIC_ESTABLISHMENTS = "public_establishments", _("Public establishments and enterprises")
        TERRITORIAL = "territorial", _("Territorial collectivities")

    class Level(models.TextChoices):
        """The level asked by the access-to-information form (law 31-13)."""

        CENTRAL = "central", _("Central")
        REGIONAL = "regional", _("Regional")
        PROVINCIAL = "provincial", _("Provincial")
        LOCAL = "local", _("Local")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    group = models.CharField(_("statistics group"), max_length=32, choices=Group.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.CENTRAL)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region"))
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("province or prefecture")
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("commune"))
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    joined_on = models.DateField(_("joined the platform on"), null=True, blank=True)
    left_on = models.DateField(_("left the platform on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=False, left_on__gte=models.F("joined_on")),
                name="registry_admin_left_after_joined",
            )
        ]

    def clean(self) -> None:
        super().clean()
        # The tree must stay a tree: no administration may sit below itself.
        seen, parent = {self.pk}, self.parent
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": _("An administration cannot be placed below itself.")})
            seen.add(parent.pk)
            parent = parent.parent
        if self.left_on and (not self.joined_on or self.left_on < self.joined_on):
            raise ValidationError({"left_on": _("An administration cannot leave the platform before it joined.")})

    @property
    def left(self) -> bool:
        """Whether the administration has left the platform (today)."""
        return bool(self.left_on and self.left_on <= timezone.localdate())

    def is_joined(self, on=None) -> bool:
        """Whether the administration is on the platform on that date (default today)."""
        day = on or timezone.localdate()
        return bool(self.joined_on and self.joined_on <= day and (self.left_on is None or self.left_on > day))
