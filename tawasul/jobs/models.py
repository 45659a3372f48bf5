"""The public-jobs portal (SPEC.md §7; DOMAIN.md §4 and R4): notices, candidates, applications and
the lists a recruiting unit publishes.

Writes go through `services.py`; reads through `selectors.py`. Every write of a recruiter or a
candidate leaves a `JobEvent` (the audit trail of the portal).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: DOMAIN.md §4.2: the upper age limit, extended by prior pensionable service, never passes 45.
AGE_CAP_WITH_SERVICE = 45
#: DOMAIN.md §4.2: 18 years minimum on 1 January of the competition's year.
AGE_MIN = 18
#: Application references: `JOB-2026-0000123-K` (SPEC.md §1 "Tracked requests").
REFERENCE_PREFIX = "JOB"


def _lang() -> str:
    return (get_language() or "ar").split("-")[0]


class NoticeKind(models.TextChoices):
    # DOMAIN.md §4.1 and R4 `notice_kind`.
    RECRUITMENT_COMPETITION = "recruitment_competition", _("Recruitment competition")
    PROFESSIONAL_APTITUDE_EXAM = "professional_aptitude_exam", _("Professional aptitude exam")
    RESPONSIBILITY_POST = "responsibility_post", _("Responsibility post")
    SENIOR_POST_ART92 = "senior_post_art92", _("Senior post (Constitution art. 92)")
    # Art. 49 posts are decided in the Council of Ministers: the portal only informs.
    SENIOR_POST_ART49 = "senior_post_art49", _("Senior post (Constitution art. 49, for information)")


#: Kinds whose notice takes no application at all (R4: "SENIOR_POST_ART49 (info only)").
INFO_ONLY_KINDS = frozenset({NoticeKind.SENIOR_POST_ART49})


class Channel(models.TextChoices):
    # DOMAIN.md §4.2 "Application channels seen on the portal".
    PORTAL = "portal", _("Online on this portal")
    EXTERNAL_SITE = "external_site", _("On the administration's website")
    EMAIL = "email", _("By email")
    POST = "post", _("By post")
    HAND_DEPOSIT = "hand_deposit", _("Deposit at the administration's office")


class Notice(models.Model):
    """One notice (announcement) of an administration."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class AgeMax(models.IntegerChoices):
        FORTY = 40, "40"
        FORTY_FIVE = 45, "45"

    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        related_name="job_notices",
        verbose_name=_("administration"),
    )
    kind = models.CharField(_("kind of notice"), max_length=32, choices=NoticeKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    grade = models.CharField(_("grade"), max_length=200, blank=True)
    scale = models.PositiveSmallIntegerField(_("scale"), null=True, blank=True)
    posts_total = models.PositiveIntegerField(_("number of posts"), default=0)
    conditions = models.TextField(_("conditions"), blank=True)
    diplomas = models.TextField(_("required diplomas"), blank=True, help_text=_("One diploma per line."))
    exam_date = models.DateField(_("exam date"), null=True, blank=True)
    age_min = models.PositiveSmallIntegerField(_("minimum age"), default=AGE_MIN)
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"), choices=AgeMax.choices, null=True, blank=True, help_text=_("On 1 January of the year.")
    )
    age_extension_for_prior_service = models.BooleanField(
        _("upper age limit extended by prior service (up to 45)"), default=True
    )
    age_limit_waived_for_civil_servants = models.BooleanField(
        _("no age limit for serving civil servants"), default=True
    )
    # DOMAIN.md §4.2: 25 % for resistance members, pupilles de la nation, former military and
    # veterans; 7 % for persons with disabilities.
    quota_veterans_percent = models.PositiveSmallIntegerField(
        _("quota: veterans, resistance, pupilles (%)"), default=25
    )
    quota_disability_percent = models.PositiveSmallIntegerField(_("quota: persons with disabilities (%)"), default=7)
    application_channel = models.CharField(
        _("how to apply"), max_length=16, choices=Channel.choices, default=Channel.PORTAL
    )
    application_target = models.CharField(
        _("where to apply"), max_length=500, blank=True, help_text=_("Web address, email or postal address.")
    )
    deadline_at = models.DateTimeField(_("application deadline"))
    # DOMAIN.md §4.2: each notice carries its notice PDF and the opening order (arrêté).
    notice_pdf = models.FileField(_("notice (PDF)"), upload_to="jobs/notices", max_length=200, blank=True)
    opening_order_pdf = models.FileField(_("opening order (PDF)"), upload_to="jobs/notices", max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    #: Normalised words of titles, grade, specialities and administration (`core.text.normalize`).
    search_text = models.TextField(blank=True, editable=False)
    #: Bumped by every publication (notice, list, withdrawal): the public pages' cache key and ETag.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("job notice")
        verbose_name_plural = _("job notices")
        indexes = [
            models.Index(fields=["status", "deadline_at"], name="jobs_notice_status_deadline"),
            models.Index(fields=["administration", "status"], name="jobs_notice_adm_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_max__isnull=True) | models.Q(age_max__in=[40, 45]), name="jobs_notice_age_max"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return (self.title_fr if _lang() != "ar" and self.title_fr else "") or self.title_ar

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_open(self, now=None) -> bool:
        return self.is_published and (now or timezone.now()) < self.deadline_at

    @property
    def takes_portal_applications(self) -> bool:
        return self.application_channel == Channel.PORTAL and self.kind not in INFO_ONLY_KINDS

    @property
    def age_reference_date(self) -> dt.date:
        """DOMAIN.md §4.2: age on 1 January of the competition's year (the deadline's year)."""
        return dt.date(timezone.localtime(self.deadline_at).year, 1, 1)

    def file(self, which: str):
        """The notice PDF (`which="notice"`) or the opening order (`"order"`); empty when absent."""
        return {"notice": self.notice_pdf, "order": self.opening_order_pdf}.get(which)

    def diploma_list(self) -> list[str]:
        return [line.strip() for line in self.diplomas.splitlines() if line.strip()]


class NoticeLine(models.Model):
    """R4 `lines[]`: posts per speciality and posting place; `posts_total` is their sum."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="lines")
    speciality = models.CharField(_("speciality"), max_length=200)
    posting_place = models.CharField(_("posting place"), max_length=200, blank=True)
    posts = models.PositiveIntegerField(_("posts"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.speciality} · {self.posting_place} ({self.posts})"


class ExamCentre(models.Model):
    """R4 `exam_centres`: where the candidate sits the tests."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="centres")
    name = models.CharField(_("exam centre"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ExamTest(models.Model):
    """R4 `tests[]` (circular 16/2020: e.g. written 3 h, coefficient 3; oral 30 min, coefficient 3)."""

    class Type(models.TextChoices):
        WRITTEN = "written", _("Written test")
        ORAL = "oral", _("Oral test")
        PRACTICAL = "practical", _("Practical test")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="tests")
    type = models.CharField(_("type of test"), max_length=10, choices=Type.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    coefficient = models.PositiveSmallIntegerField(_("coefficient"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.duration_minutes} min ×{self.coefficient}"


class RequiredDocument(models.Model):
    """R4 `required_docs[]`: what the application file holds (uploaded when applying online)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("document"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class CandidateProfile(models.Model):
    """What a candidate fills once (DOMAIN.md §4.3 step 2). CIN and phone live on the account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile")
    birth_date = models.DateField(_("date of birth"))
    diplomas = models.TextField(_("diplomas"), help_text=_("One diploma per line, with the year and the institution."))
    experience = models.TextField(_("professional experience"), blank=True)
    prior_service_years = models.PositiveSmallIntegerField(_("years of prior pensionable public service"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.user}"


class Application(models.Model):
    """A candidate's application to one line of a notice (portal channel only)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Received")
        WITHDRAWN = "withdrawn", _("Withdrawn by the candidate")
        PRESELECTED = "preselected", _("Preselected for the written test")
        NOT_PRESELECTED = "not_preselected", _("Not preselected")
        CONVOKED_ORAL = "convoked_oral", _("Convoked to the oral test")
        FINAL_MAIN = "final_main", _("Admitted (main list)")
        FINAL_WAITING = "final_waiting", _("On the waiting list")
        DESISTED = "desisted", _("Withdrew after admission")
        NOT_ADMITTED = "not_admitted", _("Not admitted")
        SHORTLISTED = "shortlisted", _("Proposed by the minister")
        APPOINTED = "appointed", _("Appointed")

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="applications")
    line = models.ForeignKey(NoticeLine, on_delete=models.PROTECT, related_name="applications")
    centre = models.ForeignKey(ExamCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="job_applications")
    #: The name published on the lists (DOMAIN.md §4.1: lists of names), copied when applying.
    full_name = models.CharField(_("name"), max_length=300)
    is_civil_servant = models.BooleanField(_("serving civil servant"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One application per candidate per notice; a withdrawn one frees the place.
            models.UniqueConstraint(
                fields=["notice", "candidate"],
                condition=~models.Q(status="withdrawn"),
                name="jobs_application_one_per_notice",
            ),
        ]
        indexes = [models.Index(fields=["notice", "status"], name="jobs_application_notice_st")]

    def __str__(self) -> str:
        return self.reference


class ApplicationDocument(models.Model):
    """A file of the application, checked by `tawasul.core.uploads`."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    #: The notice's required document it answers; empty for the civil servant's authorisation.
    required = models.ForeignKey(RequiredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_authorisation = models.BooleanField(default=False)
    storage_name = models.CharField(max_length=200)
    display_name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.display_name


class ListKind(models.TextChoices):
    # R4 "List publications, in this order".
    PRESELECTED_WRITTEN = "preselected_written", _("Candidates convoked to the written test")
    CONVOKED_ORAL = "convoked_oral", _("Written results: candidates convoked to the oral test")
    FINAL_MAIN = "final_main", _("Final results: main list")
    FINAL_WAITING = "final_waiting", _("Final results: waiting list")
    WITHDRAWALS = "withdrawals", _("Withdrawals")
    # R4 "Senior post (Art. 92)": decree 2-12-412, after the selection commission.
    SHORTLIST = "shortlist", _("Candidates proposed by the minister (at most three)")
    APPOINTED = "appointed", _("Candidate appointed by the Government Council")


#: R4's order: a list is published only after the one before it.
LIST_ORDER: tuple[str, ...] = (
    ListKind.PRESELECTED_WRITTEN,
    ListKind.CONVOKED_ORAL,
    ListKind.FINAL_MAIN,
    ListKind.FINAL_WAITING,
    ListKind.WITHDRAWALS,
)
#: Art. 92 senior posts: the minister proposes up to three, the Head of Government chooses one.
SENIOR_LIST_ORDER: tuple[str, ...] = (ListKind.SHORTLIST, ListKind.APPOINTED)
#: Decree 2-12-412: the minister proposes three candidates.
SHORTLIST_MAX = 3
#: The status an application takes when it is on each list.
STATUS_ON_LIST = {
    ListKind.PRESELECTED_WRITTEN: Application.Status.PRESELECTED,
    ListKind.CONVOKED_ORAL: Application.Status.CONVOKED_ORAL,
    ListKind.FINAL_MAIN: Application.Status.FINAL_MAIN,
    ListKind.FINAL_WAITING: Application.Status.FINAL_WAITING,
    ListKind.WITHDRAWALS: Application.Status.DESISTED,
    ListKind.SHORTLIST: Application.Status.SHORTLISTED,
    ListKind.APPOINTED: Application.Status.APPOINTED,
}


def list_order(notice) -> tuple[str, ...]:
    """The lists a notice publishes, in order (Art. 92 senior posts have their own)."""
    return SENIOR_LIST_ORDER if notice.kind == NoticeKind.SENIOR_POST_ART92 else LIST_ORDER


class PublishedList(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="lists")
    kind = models.CharField(_("list"), max_length=20, choices=ListKind.choices)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["published_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["notice", "kind"], name="jobs_list_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.kind}"

    @property
    def order(self) -> int:
        return (*LIST_ORDER, *SENIOR_LIST_ORDER).index(self.kind)


class ListEntry(models.Model):
    """One published line: the name and the application reference. Never the CIN nor the date of
    birth (what a results list shows to the whole country)."""

    list = models.ForeignKey(PublishedList, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    position = models.PositiveIntegerField()
    full_name = models.CharField(max_length=300)
    reference = models.CharField(max_length=24)
    speciality = models.CharField(max_length=200, blank=True)
    #: On the main list: the candidate withdrew; on the waiting list: called up to the main list.
    struck = models.BooleanField(default=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["list", "position"]
        constraints = [models.UniqueConstraint(fields=["list", "position"], name="jobs_entry_position")]
        indexes = [models.Index(fields=["application"], name="jobs_entry_application")]

    def __str__(self) -> str:
        return f"{self.position}. {self.full_name} {self.reference}"


class JobEvent(models.Model):
    """Append-only audit trail: who did what to which notice or application, when."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    payload = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}@{self.at:%Y-%m-%d %H:%M}"
