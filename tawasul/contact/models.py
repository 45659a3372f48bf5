"""The contact center's log (SPEC.md §8, DOMAIN.md §6 and R6).

One `Contact` row per contact: a call, an email, a social-media message, a visit at the counter
or a question to the assistant. The same row is the callback queue: a citizen who asks the
assistant to be called back creates a contact whose `callback_status` is `waiting`, until an agent
logs the call back. Written only by `services.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How the question reached the center (SPEC.md §8; R6 `channel`, whose `web_form` is the
    assistant here: its questions and its callback requests)."""

    PHONE = "phone", _("Phone (3737)")
    EMAIL = "email", _("Email")
    SOCIAL = "social", _("Social media")
    COUNTER = "counter", _("Counter")
    ASSISTANT = "assistant", _("Online assistant")


class Category(models.TextChoices):
    """The categories of the 3737 statistics (DOMAIN.md §6, R6 `category`)."""

    GENERAL_GUIDANCE = "general_guidance", _("General guidance")
    PROCEDURE_INFO = "procedure_info", _("Information on procedures")
    COMPLAINT = "complaint", _("Complaint")
    THANKS_REMARKS = "thanks_remarks", _("Thanks and remarks")
    OUT_OF_COMPETENCE = "out_of_competence", _("Out of competence")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    """The caller's language: R6's Arabic, Amazigh and French, then English and any other."""

    AR = "ar", _("Arabic")
    ZGH = "zgh", _("Amazigh")
    FR = "fr", _("French")
    EN = "en", _("English")
    OTHER = "other", _("Other language")


class RequesterCategory(models.TextChoices):
    """Who is asking (DOMAIN.md §6, the 2017 statistics; R6 `requester_category`)."""

    UNKNOWN = "", _("Not asked")
    RESIDENT_MOROCCAN = "resident_moroccan", _("Moroccan resident in Morocco")
    MRE = "mre", _("Moroccan living abroad")
    RESIDENT_FOREIGNER = "resident_foreigner", _("Foreigner resident in Morocco")
    NONRESIDENT_FOREIGNER = "nonresident_foreigner", _("Foreigner living abroad")


class CallbackStatus(models.TextChoices):
    NONE = "", _("No callback")
    WAITING = "waiting", _("Waiting for a callback")
    DONE = "done", _("Called back")
    EXPIRED = "expired", _("Not called back in time")


class Contact(models.Model):
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.AR)
    requester_category = models.CharField(
        _("requester"), max_length=24, choices=RequesterCategory.choices, blank=True, default=""
    )
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administration concerned"),
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("procedure consulted"),
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facility consulted"),
    )
    complaint = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint filed"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    # The day of `created_at` in Morocco (Africa/Casablanca), written with it by the services: the
    # statistics group by it with no per-row time-zone conversion (ADR 0029).
    day = models.DateField(_("day"), default=timezone.localdate)
    # The assistant's questions: whether it answered with confidence (the text is not kept).
    answered = models.BooleanField(_("answered by the assistant"), null=True, blank=True)
    # The callback queue (a request from the assistant's "ask to be called back" form). The name
    # and the phone are erased once the call back is logged, or when nobody called back within
    # CONTACT_CALLBACK_RETENTION_DAYS (law 09-08: kept no longer than needed; `personal_data.py`).
    callback_status = models.CharField(
        _("callback"), max_length=8, choices=CallbackStatus.choices, blank=True, default=""
    )
    callback_name = models.CharField(_("name"), max_length=100, blank=True)
    callback_phone = models.CharField(_("phone"), max_length=20, blank=True)
    callback_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    callback_handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at"], name="contact_created_idx"),
            models.Index(fields=["day", "category"], name="contact_day_category_idx"),
            models.Index(fields=["callback_status", "created_at"], name="contact_callback_idx"),
            models.Index(fields=["agent", "created_at"], name="contact_agent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.category} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_waiting_callback(self) -> bool:
        return self.callback_status == CallbackStatus.WAITING
