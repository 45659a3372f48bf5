"""The case core: every citizen request of every portal is a `Case` (issue 3, "Case core").

- `status` is written only by `services.case_create` and `services.case_transition`
  (ARCHITECTURE.md §3.6); the workflow table of the case's portal says which moves exist.
- `CaseEvent` is the append-only audit trail the citizen timeline and the staff timeline are
  both drawn from: the ORM refuses to update or delete it, and on PostgreSQL a trigger refuses
  it too (migration 0002), so the log cannot be edited from the application.
- Deadlines are stored on the case, computed by `tawasul.core.calendar` (DOMAIN.md R2, R8).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: `Case.reminders_sent` once every staff reminder of the default `CASE_REMINDER_WORKING_DAYS` (D-5
#: and D-1, config/settings.py) is sent: the mask `case_reminder_next_idx` is built for. With another
#: setting the sweep's reminder look-up stays right but cannot use that index.
REMINDERS_ALL_SENT = 0b11


def _running() -> models.Q:
    return models.Q(closed_at__isnull=True, answered_at__isnull=True, paused_at__isnull=True)


# The sweep's reminder look-up (tasks._send_reminders) and the conditions of its two partial indexes:
# one expression for both, so that the databases match them. A mask in `reminders_sent` counts only
# for the deadline in `reminders_sent_for` (a deadline that moved starts afresh).


def reminders_none_sent() -> models.Q:
    """The open, running cases with no staff reminder sent for their current answer deadline (none
    ever, or only for a deadline that has moved since): their next reminder is the first, D-5. A
    NULL on either side counts as "not sent for this deadline": Django adds `IS NOT NULL` to each
    nullable side of a negated comparison (`reminders_sent_for IS DISTINCT FROM answer_due_at`,
    written in SQL that both SQLite and PostgreSQL take in a partial index)."""
    return _running() & ~models.Q(reminders_sent__gt=0, reminders_sent_for=models.F("answer_due_at"))


def reminders_partly_sent(all_sent: int = REMINDERS_ALL_SENT) -> models.Q:
    """The open, running cases with some but not all of their reminders sent for their current
    answer deadline (`all_sent`: the mask of every reminder): D-5 sent, D-1 not yet."""
    return (
        _running()
        & models.Q(reminders_sent__gt=0, reminders_sent_for=models.F("answer_due_at"))
        & ~models.Q(reminders_sent=all_sent)
    )


class Channel(models.TextChoices):
    """How the request reached the platform (DOMAIN.md R2 "Channels")."""

    WEB = "web", _("Web portal")
    MOBILE_APP = "mobile_app", _("Mobile app")
    PHONE_3737 = "phone_3737", _("Contact center 3737")
    COUNTER = "counter", _("Counter")
    EMAIL = "email", _("Email")
    POST = "post", _("Post")


class IdType(models.TextChoices):
    CIN = "cin", _("National identity card (CIN)")
    RESIDENCE_DOC = "residence_doc", _("Residence document")
    PASSPORT = "passport", _("Passport")
    TRADE_REGISTER = "trade_register", _("Trade register (RC)")


class ComplainantType(models.TextChoices):
    """DOMAIN.md R2 [M]: natural person, Moroccan residing abroad, foreigner, legal person."""

    CITIZEN = "citizen", _("Citizen")
    MRE = "mre", _("Moroccan residing abroad")
    FOREIGNER = "foreigner", _("Foreigner")
    LEGAL_PERSON = "legal_person", _("Legal person")


class Case(models.Model):
    # Unique through `case_reference_unique` (Meta): a constraint, not `unique=True`, which on
    # PostgreSQL adds a second, LIKE-only index that no query uses (ADR 0053).
    reference = models.CharField(_("reference"), max_length=24)
    portal = models.CharField(_("portal"), max_length=32)
    kind = models.CharField(_("kind"), max_length=32)
    # No index of its own: the (administration_id, ...) indexes below lead with it, and every index
    # costs each filing's INSERT (issue 7).
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("administration"),
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    # Never assigned outside services.case_create and services.case_transition.
    status = models.CharField(_("status"), max_length=32, editable=False)
    language = models.CharField(_("language"), max_length=8, default="ar")
    is_confidential = models.BooleanField(_("confidential"), default=False)

    # The requester: an account, or identity fields (tracking without an account).
    requester_user = models.ForeignKey(  # indexed by case_requester_idx (requester_user_id, -received_at)
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="cases_filed",
        verbose_name=_("requester account"),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    id_type = models.CharField(_("identity document"), max_length=16, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("identity document number"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)  # stored lower-cased
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    complainant_type = models.CharField(
        _("requester type"), max_length=16, choices=ComplainantType.choices, default=ComplainantType.CITIZEN
    )
    subject = models.CharField(_("subject"), max_length=255)
    description = models.TextField(_("description"))
    details = models.JSONField(_("portal details"), default=dict, blank=True)  # portal-specific fields

    # Clocks (DOMAIN.md R2; stored so that the sweep and the inbox filter on indexed columns).
    received_at = models.DateTimeField(_("received at"))
    first_action_due_at = models.DateTimeField(_("first action due at"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer due at"), null=True, blank=True)
    deadlines_provisional = models.BooleanField(_("deadlines provisional"), default=False)
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    # Days spent waiting for the requester, added to the answer deadline (DOMAIN.md R2:
    # INFO_REQUESTED pauses the clock), in both units so either policy can be recomputed.
    paused_days = models.PositiveIntegerField(_("calendar days paused"), default=0)
    paused_working_days = models.PositiveIntegerField(_("working days paused"), default=0)
    # Days added to the answer deadline by an extension, in the policy's unit (law 31-13 art. 16:
    # once, +20 working days; written only by services.case_extend_answer_deadline).
    extension_days = models.PositiveSmallIntegerField(_("answer deadline extended by (days)"), default=0)
    clock_started_at = models.DateTimeField(_("clock (re)started at"), null=True, blank=True)
    last_qualifying_action_at = models.DateTimeField(_("last qualifying action at"), null=True, blank=True)
    # Where the escalation timer counts from (None: the clock's start): the last qualifying
    # action, the end of a pause (the clock stood still while waiting for the requester), or the
    # last escalation (the next step counts from it). Written with the escalation fields only.
    escalation_timer_from = models.DateTimeField(_("escalation timer counts from"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=1)
    next_escalation_at = models.DateTimeField(_("next escalation at"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    # Staff reminders sent before the answer deadline (issue 4: D-5 and D-1 working days), as a
    # bitmask (services.REMINDER_BITS) valid for the deadline in `reminders_sent_for`: when the
    # deadline moves (restart, pause, extension, holiday override) the mask no longer applies.
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    reminders_sent_for = models.DateTimeField(_("reminders sent for the deadline"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_assigned",
        verbose_name=_("assigned to"),
    )

    tracking_token_hash = models.CharField(_("tracking secret (hash)"), max_length=64, editable=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="case_reference_unique"),
            models.UniqueConstraint(
                fields=["portal", "idempotency_key"],
                name="case_unique_idempotency_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(escalation_level__gte=1, escalation_level__lte=3),
                name="case_escalation_level_1_to_3",
            ),
        ]
        indexes = [
            models.Index(fields=["administration", "status"], name="case_admin_status_idx"),
            models.Index(fields=["administration", "is_overdue"], name="case_admin_overdue_idx"),
            models.Index(fields=["administration", "-received_at"], name="case_admin_received_idx"),
            models.Index(
                fields=["next_escalation_at"],
                name="case_next_escalation_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["answer_due_at"],
                name="case_answer_due_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            # The sweep's overdue look-up (tasks.sweep_once): the open cases not yet flagged only,
            # so the backlog of cases already overdue is never walked again (issue 7, scenario 5).
            models.Index(
                fields=["answer_due_at"],
                name="case_overdue_due_idx",
                condition=models.Q(
                    closed_at__isnull=True, answered_at__isnull=True, paused_at__isnull=True, is_overdue=False
                ),
            ),
            # The sweep's D-5/D-1 reminder look-up (tasks._send_reminders): the cases with no reminder
            # sent for their deadline, and those with some but not all, each read up to the deadline
            # its next reminder can be due for; the cases already reminded are not read again at
            # every sweep (issue 7, scenario 5).
            models.Index(fields=["answer_due_at"], name="case_reminder_first_idx", condition=reminders_none_sent()),
            models.Index(fields=["answer_due_at"], name="case_reminder_next_idx", condition=reminders_partly_sent()),
            models.Index(fields=["requester_user", "-received_at"], name="case_requester_idx"),
            # The back office's inbox (backoffice.selectors.inbox_page, inbox_counts) reads open
            # cases through this partial index alone (index-only): in received order, with every
            # column the inbox filters, counts or searches on, and `closed_at` itself, without
            # which SQLite 3.40 does not take a partial index as covering. Its cost follows the
            # open cases, not the years of closed ones (docs/adr/0017-inbox-at-scale.md).
            models.Index(
                fields=[
                    "administration",
                    "received_at",
                    "status",
                    "portal",
                    "kind",
                    "channel",
                    "escalation_level",
                    "is_overdue",
                    "assignee",
                    "answer_due_at",
                    "subject",
                    "closed_at",
                ],
                name="case_admin_open_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        if not self.email and not self.phone and not self.requester_user_id:
            raise ValidationError(_("Give an email address or a phone number, so that we can reach you."))

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def requester_display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class AppendOnlyQuerySet(models.QuerySet):
    """The audit trail is written once: no bulk update or delete through the ORM."""

    def update(self, **kwargs):
        raise PermissionError("case events are append-only")

    def delete(self):
        raise PermissionError("case events are append-only")

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError("case events are append-only")


class CaseEvent(models.Model):
    """One thing that happened to a case: a transition, a message, an assignment, an escalation."""

    # Found by case through `caseevent_case_time_idx` (case, created_at), which also serves the
    # foreign key's checks: no index of its own (ADR 0051).
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case"), db_index=False
    )
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from status"), max_length=32, blank=True)
    to_status = models.CharField(_("to status"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_role = models.CharField(_("actor role"), max_length=32)
    is_public = models.BooleanField(_("shown to the requester"), default=False)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    # No index of its own: events are read by case (`caseevent_case_time_idx`) or after an event
    # id (the indicators), never by time alone (ADR 0053).
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_case_time_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise PermissionError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("case events are append-only")


class Message(models.Model):
    class Kind(models.TextChoices):
        PUBLIC_ANSWER = "public_answer", _("Answer")
        CITIZEN_MESSAGE = "citizen_message", _("Message from the requester")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        REQUEST_FOR_INFORMATION = "request_for_information", _("Request for more information")

    #: Kinds the requester sees on the tracking page.
    PUBLIC_KINDS = frozenset({Kind.PUBLIC_ANSWER, Kind.CITIZEN_MESSAGE, Kind.REQUEST_FOR_INFORMATION})

    # Found by case through `message_case_time_idx` (case, created_at): no index of its own (ADR 0051).
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="messages", verbose_name=_("case"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_role = models.CharField(_("author role"), max_length=32)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="ar")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="message_case_time_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"

    @property
    def is_public(self) -> bool:
        return self.kind in self.PUBLIC_KINDS


class Attachment(models.Model):
    """A checked file (tawasul.core.uploads) stored under a random name, served only by views
    that check access (never from a public URL: MEDIA_URL is not served)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case"))
    message = models.ForeignKey(
        Message,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("message"),
    )
    storage_name = models.CharField(_("stored as"), max_length=255, unique=True, editable=False)
    display_name = models.CharField(_("file name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8)  # pdf | image | office | video
    mime = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by_role = models.CharField(_("uploaded by"), max_length=32)
    is_public = models.BooleanField(_("shown to the requester"), default=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.display_name
