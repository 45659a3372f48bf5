"""The complaints portal's own tables (decree 2-17-265; DOMAIN.md R2).

The case itself (reference, requester, status, clock, timeline) is the case core's `Case`;
a `Complaint` adds what only complaints have: the subject from the taxonomy, the place
concerned, and the complainant's rating of the answer.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tawasul.registry.models import MultilingualName


class Kind(models.TextChoices):
    """Art. 2 of decree 2-17-265. A plain question belongs to the contact center."""

    COMPLAINT = "complaint", _("Complaint")
    OBSERVATION = "observation", _("Observation")
    SUGGESTION = "suggestion", _("Suggestion")


class Outcome(models.TextChoices):
    """How a complaint was answered (DOMAIN.md R2 "ANSWERED (outcome ...)"); the public statistics
    count the positive ones (chikaya.ma's "% retour positif", DOMAIN.md §2.2)."""

    POSITIVE = "positive", _("Positive: the complainant is given satisfaction")
    NEGATIVE = "negative", _("Negative: the complaint is not founded")
    PARTIAL = "partial", _("Partial: satisfaction is given in part")
    INFORMATIVE = "informative", _("Informative: an explanation, nothing to correct")


class InadmissibleGround(models.TextChoices):
    """Why a complaint is not admissible (decree 2-17-265, DOMAIN.md §2.1 "Not admissible" and R2).
    A complaint outside the administration's competence is not inadmissible: it is transferred to
    the competent administration. National Defence is outside the decree's scope (DOMAIN.md §2.1)."""

    SUB_JUDICE = "sub_judice", _("Before a court or another competent body")
    JUDICIAL_POLICE_REPORT = "judicial_police_report", _("Covered by a judicial police report sent to the prosecution")
    OUTSIDE_SCOPE = "outside_scope", _("Outside the scope of decree 2-17-265 (e.g. National Defence)")


class Subject(MultilingualName):
    """A main subject or a sub-subject (chikaya.ma's الموضوع الرئيسي / الموضوع الفرعي).

    Subjects with no administration are the national taxonomy offered by every administration;
    an administration may add its own.
    """

    code = models.SlugField(_("code"), max_length=80)
    administration = models.ForeignKey(
        "registry.Administration", on_delete=models.CASCADE, null=True, blank=True, related_name="complaint_subjects"
    )
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "code"], name="complaints_subject_code_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(administration__isnull=True),
                name="complaints_subject_code_national",
            ),
        ]


class Complaint(models.Model):
    """The complaint-specific part of a case of the `complaints` portal."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="complaint")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject"))
    sub_subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sub-subject")
    )
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, null=True, blank=True)
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, null=True, blank=True)
    commune = models.ForeignKey("registry.Commune", on_delete=models.PROTECT, null=True, blank=True)
    place_address = models.CharField(_("place or address concerned"), max_length=300, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = models.TextField(_("comment on the answer"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # Written only by services.complaint_answer, with the answer event (interfaces.md "Answer outcome").
    outcome = models.CharField(_("outcome of the answer"), max_length=16, choices=Outcome.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaints_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"complaint {self.case_id}"


class Problem(models.Model):
    """Many complaints, one root cause (ITIL problem management, Jordan's system, DOMAIN.md §7;
    SPEC.md §2): staff link the complaints to a problem; its resolution is sent to every linked
    complainant (services.problem_resolve)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    administration = models.ForeignKey(
        "registry.Administration", on_delete=models.PROTECT, related_name="problems", verbose_name=_("administration")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    outcome = models.CharField(_("outcome of the answer"), max_length=16, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["administration", "status"], name="problem_admin_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ProblemLink(models.Model):
    """A complaint linked to a problem; a complaint belongs to at most one problem."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links", verbose_name=_("problem"))
    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="problem_link", verbose_name=_("complaint")
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("linked by")
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("complaint linked to a problem")
        verbose_name_plural = _("complaints linked to a problem")
        ordering = ["linked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.problem_id}:{self.complaint_id}"


class FaqEntry(models.Model):
    """A question of the portal's FAQ, in every language (falls back to Arabic)."""

    question_ar = models.CharField(max_length=300)
    question_fr = models.CharField(max_length=300, blank=True)
    question_zgh = models.CharField(max_length=300, blank=True)
    question_en = models.CharField(max_length=300, blank=True)
    answer_ar = models.TextField()
    answer_fr = models.TextField(blank=True)
    answer_zgh = models.TextField(blank=True)
    answer_en = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question()

    def _pick(self, field: str) -> str:
        lang = (get_language() or "ar").split("-")[0]
        return getattr(self, f"{field}_{lang}", "") or getattr(self, f"{field}_ar")

    def question(self) -> str:
        return self._pick("question")

    def answer(self) -> str:
        return self._pick("answer")


class StatisticsCounter(models.Model):
    """Pre-aggregated public statistics (DOMAIN.md R2 "Public statistics"; issue 7): the sums of
    one administration's complaints received in one month (Morocco time), kept by
    `tawasul.complaints.counters`, so that the statistics page reads a few thousand rows instead
    of scanning every complaint. Averages are sums here (`rating_sum / rated`,
    `processing_us / timed`), so that any grouping adds rows up exactly."""

    administration = models.ForeignKey("registry.Administration", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month of receipt (Morocco time).")
    received = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)  # answered or closed
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)  # rated 4 or 5
    rating_sum = models.PositiveBigIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0)  # with an answered_at
    processing_us = models.BigIntegerField(default=0)  # sum of answered_at - received_at, microseconds
    answered = models.PositiveIntegerField(default=0)  # with an answer event
    positive = models.PositiveIntegerField(default=0)  # with an answer event of outcome "positive"
    negative = models.PositiveIntegerField(default=0)  # ... "negative"
    partial = models.PositiveIntegerField(default=0)  # ... "partial"
    informative = models.PositiveIntegerField(default=0)  # ... "informative"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["administration", "month"], name="statistics_counter_admin_month_uniq")
        ]
        indexes = [models.Index(fields=["month"], name="statistics_counter_month_idx")]

    def __str__(self) -> str:
        return f"{self.administration_id} {self.month:%Y-%m}: {self.received}"


class StatisticsWatermark(models.Model):
    """One row: how far the counters are up to date, in case events (every change of a case
    writes one). `last_event_id` is the newest event seen by the last refresh, `previous_event_id`
    the one before: a refresh re-counts the months of every event above `previous_event_id`, so
    an event whose transaction committed late (after a refresh took a higher id) is still seen."""

    last_event_id = models.BigIntegerField(default=0)
    previous_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)  # None: the counters were never built

    def __str__(self) -> str:
        return f"statistics up to event {self.last_event_id} ({self.refreshed_at})"
