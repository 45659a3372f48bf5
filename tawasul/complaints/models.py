"""The complaints portal's own tables (decree 2-17-265; DOMAIN.md R2).

The case itself (reference, requester, status, clock, timeline) is the case core's `Case`;
a `Complaint` adds what only complaints have: the subject from the taxonomy, the place
concerned, and the complainant's rating of the answer.
"""

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

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaints_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"complaint {self.case_id}"


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
