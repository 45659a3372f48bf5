"""The notification outbox: one row per email or SMS to send (SPEC.md §1 "Notifications").

A row is written in the same transaction as the change it announces; a background task sends
it after commit and records the outcome, so a mail server that is down loses nothing. It knows
nothing of cases: `subject_ref` is a free reference (e.g. a case reference) for support work.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")  # gave up after NOTIFICATION_MAX_ATTEMPTS

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(_("recipient"), max_length=254)
    template = models.CharField(_("template"), max_length=100)
    context = models.JSONField(_("context"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ar")
    subject_ref = models.CharField(_("about"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notif_due_idx",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.template} → {self.to} ({self.status})"
