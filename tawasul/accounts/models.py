"""Users. One user model for citizens and staff; what a staff member may do comes from
their memberships (administration + role), never from flags on the user.

`is_staff`/`is_superuser` only open the Django admin (the platform's back office for the
national unit's technical team); they give no access to any administration's cases.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .roles import Role
from .validators import normalize_cin, normalize_phone, validate_cin, validate_phone


class TawasulUserManager(UserManager):
    """Django's manager, except that a blank email is stored as NULL: `email` is unique,
    and accounts without one (a staff account created by username) must not collide."""

    def _create_user_object(self, username, email, password, **extra_fields):
        user = super()._create_user_object(username, email, password, **extra_fields)
        user.email = user.email or None
        return user


class User(AbstractUser):
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # What the citizen forms ask for (DOMAIN.md §1.4, §2.2, R10), kept so that a signed-in
    # citizen does not type them again. All optional: most portals work without an account.
    phone = models.CharField(
        _("phone number"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("E.164, e.g. +212612345678"),
    )
    cin = models.CharField(
        _("national identity card number (CIN)"), max_length=8, blank=True, validators=[validate_cin]
    )
    postal_address = models.CharField(_("postal address"), max_length=500, blank=True)

    objects = TawasulUserManager()

    def __str__(self) -> str:
        return self.email or self.username

    def clean_fields(self, exclude=None):
        # Bring what a person typed ("06 12 34 56 78", "ab123456") to the stored form first, so
        # that the field validators judge the number, not its spelling; invalid values are left
        # as typed and the validators report them.
        self.email = self.email or None
        for field, normalize in (("phone", normalize_phone), ("cin", normalize_cin)):
            value = getattr(self, field)
            if value:
                with contextlib.suppress(ValidationError):
                    setattr(self, field, normalize(value))
        super().clean_fields(exclude=exclude)


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        """Memberships in force on `on` (default today, Africa/Casablanca): switched on, started,
        not ended (`ends_on` is the last day of the membership), held by an active user."""
        day = on or timezone.localdate()
        return self.filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day),
            is_active=True,
            starts_on__lte=day,
            user__is_active=True,
        )


class Membership(models.Model):
    """A staff member's role in one administration. Granted and ended through
    `tawasul.accounts.services`, which record who did it (simple_history)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("administration"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("Last day of the membership."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["administration_id", "role", "user_id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "administration", "role"], name="accounts_membership_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="accounts_membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["administration", "role"], name="accounts_membership_adm_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.administration}"

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A membership cannot end before it starts.")})

    def is_in_force(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.is_active and self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
