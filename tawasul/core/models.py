"""Domain-free tables: scheduler slots (and, from the calendar and reference modules,
holiday overrides and reference counters)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduleSlot(models.Model):
    """One period of one periodic job, claimed by the scheduler that enqueued it.

    The unique constraint is the lock: two schedulers racing for the same slot both
    INSERT, one wins, the other gets an IntegrityError and enqueues nothing.
    """

    job = models.CharField(max_length=100)
    slot = models.BigIntegerField(help_text="Start of the period, in seconds since the epoch.")
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_schedule_slot_unique")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot}"


class HolidayOverride(models.Model):
    """A correction to the `holidays` package's Moroccan calendar (DOMAIN.md §8.3, R8).

    The package estimates the Islamic holidays; Morocco fixes them by its own moon sighting
    (Ministry of Habous and Islamic Affairs), often one day after the Gulf dates. When the
    ministry announces a date, staff add it here (`add`) and remove the estimated one
    (`remove`). An `add` on a date the package already has confirms it (no longer provisional).
    Exceptional days off announced by the government are `add` rows too.

    Write through `tawasul.core.services.holiday_override_save/delete`: they refresh every
    process's calendar and let deadlines be recomputed.
    """

    class Kind(models.TextChoices):
        ADD = "add", _("Day off (add)")
        REMOVE = "remove", _("Working day (remove a holiday)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.ADD)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_zgh = models.CharField(_("name (Amazigh)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    source = models.TextField(
        _("source"), help_text=_("Where the date was announced (ministry communiqué, circular, link).")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.kind} {self.name_fr or self.name_ar}".strip()

    @property
    def year(self) -> int:
        return self.date.year

    def clean(self) -> None:
        if self.kind == self.Kind.ADD and not (self.name_ar or self.name_fr or self.name_en):
            raise ValidationError({"name_ar": _("A day off needs a name in at least one language.")})

    def name(self, language: str) -> str:
        """The name in `language` (ar, fr, zgh, en), falling back to Arabic, French, English."""
        by_language = {"ar": self.name_ar, "fr": self.name_fr, "zgh": self.name_zgh, "en": self.name_en}
        return by_language.get(language) or self.name_ar or self.name_fr or self.name_en


class ReferenceCounter(models.Model):
    """The last sequence number issued for one (prefix, year); see `tawasul.core.references`."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="core_reference_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
