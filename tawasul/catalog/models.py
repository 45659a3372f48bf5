"""The procedures and e-services catalog (SPEC.md §5, DOMAIN.md R5).

Every text is stored per language (`<field>_ar`, `_fr`, `_zgh`, `_en`); Arabic is required and is
the fallback (`tawasul.catalog.i18n.localized`). Online services and investor procedures are not
separate tables but a `kind` on `Procedure`: they carry the same fields (documents, delay, cost,
deposit places, law 55-19 checks) and share one search index, and the three public lists are three
filters of one queryset.

Writes go through `tawasul.catalog.services` (they keep the search index in sync and check law
55-19); `clean()` holds the checks that need only the row itself.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tawasul.registry.models import MultilingualName

from .i18n import LANGUAGES, localized


def multilingual(field_class, verbose_name, *, required_ar: bool = True, **options):
    """Four fields (ar, fr, zgh, en) of `field_class`; only Arabic is required."""
    names = {"ar": _("Arabic"), "fr": _("French"), "zgh": _("Amazigh"), "en": _("English")}
    fields = []
    for code in LANGUAGES:
        blank = not (required_ar and code == "ar")
        fields.append(field_class(format_lazy("{} ({})", verbose_name, names[code]), blank=blank, **options))
    return tuple(fields)


class Theme(MultilingualName):
    """One of the 14 themes of the national portal (DOMAIN.md §5, loaded by migration 0002)."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class SubTheme(MultilingualName):
    """A sub-theme of a theme (migration 0005; the national unit edits them in the admin). A
    procedure's sub-theme must belong to its theme (`rules.check_procedure`)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="subthemes", verbose_name=_("theme"))
    slug = models.SlugField(_("slug"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["theme", "position", "id"]
        verbose_name = _("sub-theme")
        verbose_name_plural = _("sub-themes")
        constraints = [models.UniqueConstraint(fields=["theme", "slug"], name="catalog_subtheme_unique_slug")]


class Audience(models.TextChoices):
    """Who a procedure is for (DOMAIN.md R5 `audience`)."""

    CITIZEN = "citizen", _("Citizens")
    MRE = "mre", _("Moroccans living abroad")
    FOREIGNER = "foreigner", _("Foreigners")
    BUSINESS = "business", _("Businesses")
    INVESTOR = "investor", _("Investors")


class Procedure(models.Model):
    """An administrative procedure, an online service or an investor procedure (see `Kind`)."""

    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("Administrative procedure")
        ONLINE_SERVICE = "online_service", _("Online service")
        INVESTOR = "investor", _("Investor procedure")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class AttestationIssuer(models.TextChoices):
        """Who attests a tacit acceptance (law 55-19, DOMAIN.md R5)."""

        NONE = "", _("Not applicable")
        WALI = "wali", _("The wali of the region")
        GOVERNOR = "governor", _("The governor of the prefecture or province")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROCEDURE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("theme"))
    subtheme = models.ForeignKey(
        SubTheme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procedures",
        verbose_name=_("sub-theme"),
    )
    # The issuing service; its catalog editors maintain the procedure (SPEC.md §5).
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("issuing administration"),
    )
    title_ar, title_fr, title_zgh, title_en = multilingual(models.CharField, _("title"), max_length=255)
    summary_ar, summary_fr, summary_zgh, summary_en = multilingual(models.TextField, _("what it is for"))
    who_ar, who_fr, who_zgh, who_en = multilingual(models.TextField, _("who can apply"))
    # Stored as ",citizen,mre," so that one `contains` filter works on SQLite and PostgreSQL.
    audiences = models.CharField(_("audiences"), max_length=80, default=",citizen,")
    issuing_service_ar, issuing_service_fr, issuing_service_zgh, issuing_service_en = multilingual(
        models.CharField, _("issuing service"), required_ar=False, max_length=255
    )
    deposit_note_ar, deposit_note_fr, deposit_note_zgh, deposit_note_en = multilingual(
        models.TextField, _("where to apply"), required_ar=False
    )
    deposit_places = models.ManyToManyField(
        "facilities.Facility", blank=True, related_name="procedures", verbose_name=_("deposit places")
    )
    # The codes of `deposit_places`, sorted, one per line: kept by the services with the M2M so
    # that each history row records the places of its version and the diff shows them.
    deposit_place_codes = models.TextField(_("deposit places"), editable=False, blank=True, default="")
    is_free = models.BooleanField(_("free of charge"), default=False)
    cost_amount = models.DecimalField(
        _("cost (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    stamp_duty = models.DecimalField(
        _("stamp duty (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cost_note_ar, cost_note_fr, cost_note_zgh, cost_note_en = multilingual(
        models.CharField, _("cost note"), required_ar=False, max_length=500
    )
    max_delay_days = models.PositiveSmallIntegerField(
        _("maximum delay (days)"), validators=[MinValueValidator(0), MaxValueValidator(365)]
    )
    is_investment = models.BooleanField(
        _("investment act"), default=False, help_text=_("Investment acts must be answered within 30 days.")
    )
    extension_allowed_once = models.BooleanField(_("delay may be extended once"), default=False)
    extension_reason_ar, extension_reason_fr, extension_reason_zgh, extension_reason_en = multilingual(
        models.CharField, _("reason for an extension"), required_ar=False, max_length=500
    )
    silence_means_acceptance = models.BooleanField(_("silence means acceptance"), default=False)
    attestation_issuer = models.CharField(
        _("tacit acceptance attested by"), max_length=10, choices=AttestationIssuer.choices, blank=True, default=""
    )
    legal_ar, legal_fr, legal_zgh, legal_en = multilingual(
        models.TextField, _("legal references, one per line"), required_ar=False
    )
    online_service_url = models.URLField(_("online service"), blank=True)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # normalize() of every title / of every text (all languages), kept by the services; the
    # search index (FTS5 or tsvector, see tawasul.catalog.search) is built from them.
    search_title = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["search_title", "search_text", "updated_at"])

    class Meta:
        ordering = ["theme__position", "title_ar"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        indexes = [
            models.Index(fields=["status", "kind", "theme"], name="catalog_proc_status_kind_theme"),
            models.Index(fields=["administration", "status"], name="catalog_proc_adm_status"),
        ]

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        return localized(self, "title", language)

    @property
    def audience_list(self) -> list[str]:
        return [a for a in self.audiences.split(",") if a]

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def delay_limit(self) -> int:
        """Law 55-19: at most 60 days, 30 for investment acts (DOMAIN.md R5)."""
        from .rules import delay_limit

        return delay_limit(kind=self.kind, is_investment=self.is_investment)

    def clean(self) -> None:
        super().clean()
        from .rules import check_procedure

        errors = check_procedure(self)
        if errors:
            raise ValidationError(errors)


class RequiredDocument(models.Model):
    """One line of the documents checklist. Law 55-19 forbids asking for more than one copy,
    legalised signatures or certified copies: the flags exist so that an editor who ticks them
    is told why the procedure is refused (tawasul.catalog.rules)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_ar, name_fr, name_zgh, name_en = multilingual(models.CharField, _("document"), max_length=500)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1, validators=[MinValueValidator(1)])
    original_required = models.BooleanField(_("original to show"), default=False)
    legalised_signature = models.BooleanField(_("legalised signature asked"), default=False)
    certified_copy = models.BooleanField(_("certified copy asked"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.name()

    def clean(self) -> None:
        super().clean()
        from .rules import check_document

        errors = check_document(self)
        if errors:
            raise ValidationError(errors)

    def name(self, language: str | None = None) -> str:
        return localized(self, "name", language)


class Step(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_ar, text_fr, text_zgh, text_en = multilingual(models.TextField, _("step"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.text()

    def text(self, language: str | None = None) -> str:
        return localized(self, "text", language)


class ProcedureForm(models.Model):
    """A form to download, checked by `tawasul.core.uploads` before it is stored."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="forms")
    title_ar, title_fr, title_zgh, title_en = multilingual(models.CharField, _("form title"), max_length=255)
    file = models.FileField(_("file"), max_length=255)
    kind = models.CharField(_("file kind"), max_length=10, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False, default=0)
    sha256 = models.CharField(max_length=64, editable=False, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = _("downloadable form")
        verbose_name_plural = _("downloadable forms")

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        return localized(self, "title", language)
