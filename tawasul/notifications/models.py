"""The notification outbox: one row per email or SMS to send (SPEC.md §1 "Notifications").

A row is written in the same transaction as the change it announces; the task workers send it
after commit and record the outcome (the row is its own job: `relay.py`, ADR 0060), so a mail
server that is down loses nothing. It knows
nothing of cases: `subject_ref` is a free reference (e.g. a case reference) for support work.
"""

from django.conf import settings
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
    subject_ref = models.CharField(_("about"), max_length=64, blank=True)
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
            # Found by equality only (support work, personal-data erasure): no LIKE index beside
            # it, which `db_index=True` adds on PostgreSQL (ADR 0053).
            models.Index(fields=["subject_ref"], name="notif_subject_ref_idx"),
            # Erasure finds a person's emails and SMS by their address (law 09-08): without it,
            # every erased case read the whole outbox.
            models.Index(fields=["to"], name="notif_to_idx"),
            # The rows whose content is still kept (a few weeks of them: `retention.py`), so the
            # daily retention job finds the ones to blank without reading the outbox.
            models.Index(fields=["created_at"], name="notif_content_idx", condition=~models.Q(context={})),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.template} → {self.to} ({self.status})"


class StaffAlert(models.Model):
    """One thing a staff member must know about a case (issue 4 "Staff notifications: in the back
    office and by email digest"). It knows nothing of cases either: `case_reference` is text.

    `text` is an English msgid with `%(name)s` placeholders and `params` their values, so the
    alert is translated when it is read (`display_text`), in the reader's language. Alerts never
    carry a requester's identity (confidential cases, issue 4): references, levels and dates only.
    `digested_at` is set when the alert went out by email (in the daily digest, or at once for the
    urgent kinds that are emailed when they happen: escalations and reminders).
    """

    class Kind(models.TextChoices):
        ESCALATED = "escalated", _("Escalation")
        ASSIGNED = "assigned", _("Assignment")
        REMINDER = "reminder", _("Deadline reminder")
        REQUESTER_UPDATE = "requester_update", _("News from the requester")
        TRANSFER_IN = "transfer_in", _("Case transferred to your administration")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_alerts", verbose_name=_("for")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    case_reference = models.CharField(_("case"), max_length=24, blank=True)
    text = models.CharField(_("text (msgid)"), max_length=300)
    params = models.JSONField(_("text parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Makes a repeated alert (two sweeps at the same moment) a no-op: unique per user when set.
    dedupe_key = models.CharField(_("deduplication key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    digested_at = models.DateTimeField(_("sent by email at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff alert")
        verbose_name_plural = _("staff alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], name="staffalert_unique_dedupe", condition=~models.Q(dedupe_key="")
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="staffalert_user_time_idx"),
            models.Index(
                fields=["user"],
                name="staffalert_undigested_idx",
                condition=models.Q(read_at__isnull=True, digested_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}:{self.case_reference}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def display_text(self) -> str:
        """The text in the active language, its placeholders filled (gettext at read time)."""
        from django.utils.translation import gettext

        try:
            return gettext(self.text) % (self.params or {})
        except (KeyError, TypeError, ValueError):
            return gettext(self.text)
