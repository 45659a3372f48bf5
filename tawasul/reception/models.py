"""The reception-quality program (SPEC.md §10, DOMAIN.md §6 "Idarati" and R7; seed 003).

- `ReceptionSite`: a facility of `tawasul.facilities` taken into the program, with the
  administration in charge of it, R7's checklist (`SiteCheck`, one row per item: its state and the
  date it was last checked) and the "model site" label with its date.
- `Activity`: one line of the program's progress table (seed 003: activity, start, end, status,
  completion %), owned by an administration.
- `SurveyAnswer`: one visitor's answer to the short satisfaction survey. No personal data: no
  account, no IP, no time of day (the day only); the free comment is scrubbed of e-mail
  addresses and long numbers before it is stored (`rules.scrub_comment`).

Reference data (sites, checks, activities) keeps its history with django-simple-history.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ChecklistItem(models.TextChoices):
    """R7's checklist of a reception site (DOMAIN.md R7 "Reception site")."""

    SIGNAGE = "signage", _("Signage")
    ACCESSIBILITY = "accessibility", _("Accessibility for persons with reduced mobility")
    WAITING_AREA = "waiting_area", _("Waiting area")
    STAFF_BADGES = "staff_badges", _("Staff name badges")
    DISPLAYED_HOURS = "displayed_hours", _("Opening hours displayed")
    DISPLAYED_PROCEDURES = "displayed_procedures", _("Procedures displayed")
    CHIKAYA_LINK = "chikaya_link", _("Complaints QR code or link (chikaya)")


class CheckState(models.TextChoices):
    NOT_CHECKED = "not_checked", _("Not checked yet")
    MISSING = "missing", _("Missing")
    PARTIAL = "partial", _("Partly in place")
    COMPLIANT = "compliant", _("In place")


class ReceptionSite(models.Model):
    """A facility in the reception-quality program."""

    facility = models.OneToOneField(
        "facilities.Facility", on_delete=models.PROTECT, related_name="reception_site", verbose_name=_("facility")
    )
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        related_name="reception_sites",
        verbose_name=_("administration"),
    )
    #: The public handle of the site in the survey's URL (printed in the QR code).
    code = models.SlugField(_("code"), max_length=64, unique=True)
    is_model_site = models.BooleanField(_("model site"), default=False)
    labelled_on = models.DateField(_("label date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["administration_id", "code"]
        verbose_name = _("reception site")
        verbose_name_plural = _("reception sites")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_model_site=False) | models.Q(labelled_on__isnull=False),
                name="reception_site_label_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.facility.name()

    def name(self, language: str | None = None) -> str:
        return self.facility.name(language)


class SiteCheck(models.Model):
    """One item of a site's checklist: its state and the day it was last checked."""

    site = models.ForeignKey(ReceptionSite, on_delete=models.CASCADE, related_name="checks", verbose_name=_("site"))
    item = models.CharField(_("item"), max_length=32, choices=ChecklistItem.choices)
    state = models.CharField(_("state"), max_length=16, choices=CheckState.choices, default=CheckState.NOT_CHECKED)
    checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["site_id", "item"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["site", "item"], name="reception_sitecheck_unique"),
            models.CheckConstraint(
                condition=models.Q(state="not_checked") | models.Q(checked_on__isnull=False),
                name="reception_sitecheck_checked_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} · {self.get_item_display()} · {self.get_state_display()}"


class ActivityStatus(models.TextChoices):
    """The statuses of the progress table of seed 003 ("منجزة" = done)."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(models.Model):
    """One activity of the program (seed 003, "برنامج الإنجاز": activity, start, end, status, %)."""

    title_ar = models.CharField(_("title (Arabic)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_zgh = models.CharField(_("title (Amazigh)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        related_name="reception_activities",
        verbose_name=_("owner administration"),
    )
    site = models.ForeignKey(
        ReceptionSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("reception site"),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    started_on = models.DateField(_("actual start"), null=True, blank=True)
    ended_on = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    completion = models.PositiveSmallIntegerField(
        _("completion (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_start", "id"]
        verbose_name = _("program activity")
        verbose_name_plural = _("program activities")
        constraints = [
            models.CheckConstraint(condition=models.Q(completion__lte=100), name="reception_activity_completion_max"),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")), name="reception_activity_planned_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        lang = (language or get_language() or "ar").split("-")[0]
        if lang == "en":
            return self.title_en or self.title_fr or self.title_ar
        return getattr(self, f"title_{lang}", "") or self.title_ar

    def clean(self):
        """The rules of a progress line (see `rules.activity_errors`)."""
        from .rules import activity_errors

        super().clean()
        errors = activity_errors(
            status=self.status,
            completion=self.completion,
            planned_start=self.planned_start,
            planned_end=self.planned_end,
            started_on=self.started_on,
            ended_on=self.ended_on,
        )
        if errors:
            raise ValidationError(errors)


class SurveyChannel(models.TextChoices):
    QR = "qr", _("QR code")
    DESK = "desk", _("At the desk")
    WEB = "web", _("Web link")


class SurveyAnswer(models.Model):
    """One visitor's answer (R7 "Satisfaction survey": short, anonymous, per site and month).

    `nonce` is the random single-use ticket of the form the visitor was shown (`rules.py`): the
    unique constraint makes a replayed form fail, so each answer costs a fresh page load.
    """

    site = models.ForeignKey(ReceptionSite, on_delete=models.CASCADE, related_name="answers", verbose_name=_("site"))
    answered_on = models.DateField(_("answered on"), db_index=True)
    channel = models.CharField(_("channel"), max_length=8, choices=SurveyChannel.choices, default=SurveyChannel.WEB)
    language = models.CharField(_("language"), max_length=8, blank=True)
    welcome = models.PositiveSmallIntegerField(_("welcome"))
    orientation = models.PositiveSmallIntegerField(_("orientation"))
    waiting = models.PositiveSmallIntegerField(_("waiting time"))
    clarity = models.PositiveSmallIntegerField(_("clear information"))
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"))
    comment = models.TextField(_("comment"), blank=True)
    nonce = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-answered_on", "-id"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["site", "answered_on"], name="reception_answer_site_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    welcome__gte=1,
                    welcome__lte=5,
                    orientation__gte=1,
                    orientation__lte=5,
                    waiting__gte=1,
                    waiting__lte=5,
                    clarity__gte=1,
                    clarity__lte=5,
                    overall__gte=1,
                    overall__lte=5,
                ),
                name="reception_answer_scores_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} · {self.answered_on}"
