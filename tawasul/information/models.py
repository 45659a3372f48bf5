"""The access-to-information portal's own tables (law 31-13; DOMAIN.md §1 and R1).

The case itself (reference, requester, status, clocks, timeline) is the case core's `Case`; an
`InfoRequest` adds what only information requests have: the fields of the official CDAI form
(requester type, period, kinds of document, delivery mode, urgency), the body's decision
(outcome, legal ground, "already published" link, redirection, costs), the link between a
request and the complaints filed about it, and its redacted publication in the public register.

The proactive-publication register (art. 10, DOMAIN.md §1.10) is per body: categories (the
[M] list of §1.10) and entries (title, category, URL, date).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The four kinds of case of the portal (R1)."""

    REQUEST = "request", _("Request for information")
    URGENT_REQUEST = "urgent_request", _("Urgent request for information")
    COMPLAINT_TO_HEAD = "complaint_to_head", _("Complaint to the head of the body")
    COMPLAINT_TO_CDAI = "complaint_to_cdai", _("Complaint to the access-to-information commission (CDAI)")


REQUEST_KINDS = (Kind.REQUEST, Kind.URGENT_REQUEST)
COMPLAINT_KINDS = (Kind.COMPLAINT_TO_HEAD, Kind.COMPLAINT_TO_CDAI)


class RequesterType(models.TextChoices):
    """Art. 3 and 4: Moroccan citizens and foreigners legally resident (R1 `requester_type`)."""

    MA_CITIZEN = "ma_citizen", _("Moroccan citizen")
    FOREIGN_RESIDENT = "foreign_resident", _("Foreigner legally resident in Morocco")


class DocumentKind(models.TextChoices):
    """The kinds of document of the official form (R1 `info_container`)."""

    DOCUMENT = "document", _("Document")
    REPORT = "report", _("Report")
    STUDY = "study", _("Study")
    PERIODICAL = "periodical", _("Periodical")
    DECISION = "decision", _("Decision")
    CIRCULAR = "circular", _("Circular or publication")
    MEMO = "memo", _("Memo")
    DATABASE = "database", _("Database")
    OTHER = "other", _("Other document")


class DeliveryMode(models.TextChoices):
    """Preferred delivery of the official form (R1 `delivery_mode`)."""

    ONSITE_CONSULT = "onsite_consult", _("Consultation on site")
    ONSITE_PAPER = "onsite_paper", _("Paper copy collected on site")
    ONSITE_ELECTRONIC = "onsite_electronic", _("Electronic copy collected on site")
    EMAIL = "email", _("By email")
    POST = "post", _("By post")
    FAX_OTHER = "fax_other", _("Fax or another medium")


class Outcome(models.TextChoices):
    FULL = "full", _("Information given in full")
    PARTIAL = "partial", _("Information given in part")


class ExtensionReason(models.TextChoices):
    """The four cases of art. 16 in which the deadline may be extended once (DOMAIN.md §1.6)."""

    CANNOT_ANSWER_IN_TIME = (
        "cannot_answer_in_time",
        _("The body cannot answer, in whole or in part, within the first period"),
    )
    LARGE_VOLUME = "large_volume", _("The request covers a large amount of information")
    NOT_AVAILABLE_IN_TIME = "not_available_in_time", _("The information cannot be supplied within the period")
    THIRD_PARTY_CONSULTATION = "third_party_consultation", _("Supplying it requires consulting a third party")


class RefusalGround(models.TextChoices):
    """Exceptions of art. 7 and following (DOMAIN.md §1.7). The last four are [M]."""

    NATIONAL_DEFENCE = "national_defence", _("National defence")
    STATE_SECURITY = "state_security", _("Internal or external security of the State")
    PRIVATE_LIFE = "private_life", _("Private life of individuals or personal data")
    FUNDAMENTAL_RIGHTS = "fundamental_rights", _("Harm to the fundamental rights and freedoms of the Constitution")
    FOREIGN_RELATIONS = "foreign_relations", _("Relations with another State or an international organisation")
    ECONOMIC_POLICY = "economic_policy", _("The State's monetary, economic or financial policy")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Industrial property, copyright or neighbouring rights")
    VICTIMS_WITNESSES = (
        "victims_witnesses",
        _("Rights of victims, witnesses, experts and whistle-blowers in corruption cases"),
    )
    CLASSIFIED = "classified", _("Information classified secret by a specific law")
    COUNCIL_DELIBERATIONS = (
        "council_deliberations",
        _("Secrecy of the deliberations of the Council of Ministers and the Government Council"),
    )
    INVESTIGATIONS = "investigations", _("Secrecy of investigations and inquiries")
    COURT_PROCEEDINGS = "court_proceedings", _("Proceedings before the courts")
    FAIR_COMPETITION = "fair_competition", _("Harm to fair competition or free initiative")
    PREPARATORY = "preparatory", _("Preparatory documents")


#: Grounds that DOMAIN.md §1.7 gives from memory [M]: offered, and listed as "to confirm".
REFUSAL_GROUNDS_TO_CONFIRM = frozenset(
    {
        RefusalGround.INVESTIGATIONS,
        RefusalGround.COURT_PROCEEDINGS,
        RefusalGround.FAIR_COMPETITION,
        RefusalGround.PREPARATORY,
    }
)


class InfoRequest(models.Model):
    """The law 31-13 part of a case of the `information` portal (requests and complaints)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="info_request")
    # A complaint's case points at the case it is about (head: the request; CDAI: the head complaint).
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="complaints", verbose_name=_("about")
    )
    requester_type = models.CharField(
        _("requester"), max_length=20, choices=RequesterType.choices, default=RequesterType.MA_CITIZEN
    )
    body_level = models.CharField(_("level of the body"), max_length=16, blank=True)
    address = models.CharField(_("personal address"), max_length=300, blank=True)
    period_from = models.DateField(_("period covered: from"), null=True, blank=True)
    period_to = models.DateField(_("period covered: to"), null=True, blank=True)
    document_kinds = models.JSONField(_("kinds of document"), default=list, blank=True)
    delivery_mode = models.CharField(
        _("preferred delivery"), max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.EMAIL
    )
    urgency_reason = models.TextField(_("reason for urgency"), blank=True)
    lawful_use_undertaking = models.BooleanField(_("undertakes a lawful use (art. 6)"), default=False)
    publish_consent = models.BooleanField(_("agrees to the publication of the answer"), default=False)

    # The body's decision.
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    refusal_ground = models.CharField(_("legal ground"), max_length=32, choices=RefusalGround.choices, blank=True)
    extension_reason = models.CharField(
        _("reason for the extension"), max_length=32, choices=ExtensionReason.choices, blank=True
    )
    published_entry = models.ForeignKey(
        "ProactiveEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("already published in"),
    )
    published_url = models.URLField(_("already published at"), blank=True)
    redirected_to = models.ForeignKey(
        "registry.Administration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("body that may hold it"),
    )
    # Art. 5: the request is free; reproduction and sending costs may be asked.
    cost_amount = models.DecimalField(
        _("costs (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cost_purpose = models.CharField(_("costs for"), max_length=300, blank=True)

    # The public register (opt-in, redacted by an officer before publication).
    redacted_text = models.TextField(_("published version"), blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        indexes = [models.Index(fields=["published_at"], name="info_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost_amount__isnull=True) | models.Q(cost_amount__gte=0),
                name="info_cost_not_negative",
            ),
            # A refusal without its legal ground cannot be stored (R1 "A refusal requires").
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.PARTIAL) | ~models.Q(refusal_ground=""),
                name="info_partial_answer_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"information request {self.case_id}"


class ProactiveCategory(models.Model):
    """A category of documents a body must publish (art. 10; DOMAIN.md §1.10 [M])."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_zgh = models.CharField(_("name (Amazigh)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("proactive-publication category")
        verbose_name_plural = _("proactive-publication categories")

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        lang = (language or get_language() or "ar").split("-")[0]
        return getattr(self, f"name_{lang}", "") or self.name_fr or self.name_ar


class ProactiveEntry(models.Model):
    """One document a body published proactively: the target of an "already published" answer."""

    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.CASCADE,
        related_name="proactive_entries",
        verbose_name=_("body"),
    )
    category = models.ForeignKey(
        ProactiveCategory, on_delete=models.PROTECT, related_name="entries", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address (URL)"))
    published_on = models.DateField(_("published on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "pk"]
        verbose_name = _("proactive-publication entry")
        verbose_name_plural = _("proactive-publication entries")
        indexes = [models.Index(fields=["administration", "-published_on"], name="info_proactive_admin_idx")]

    def __str__(self) -> str:
        return self.title
