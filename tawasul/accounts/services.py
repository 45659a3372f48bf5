"""Writes on memberships. Each one records who did it in the membership's history
(django-simple-history), so "who granted what when" can always be answered."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.registry.models import Administration

from .models import Membership, User
from .permissions import forget_memberships
from .roles import Role


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    user: User,
    administration: Administration,
    role: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Membership:
    """Give `user` the `role` in `administration` (or switch a former membership back on)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    membership = (
        Membership.objects.select_for_update().filter(user=user, administration=administration, role=role).first()
    )
    if membership is None:
        membership = Membership(user=user, administration=administration, role=role)
    membership.is_active = True
    membership.starts_on = starts_on or timezone.localdate()
    membership.ends_on = ends_on
    membership.full_clean(validate_unique=False)
    membership._history_user = actor
    membership.save()
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, ends_on: datetime.date | None = None) -> Membership:
    """End a membership on `ends_on` (its last day; default yesterday, so it stops today)."""
    given = membership
    membership = Membership.objects.select_for_update().get(pk=given.pk)
    last_day = ends_on or timezone.localdate() - datetime.timedelta(days=1)
    if last_day < membership.starts_on:
        # Never started: switch it off rather than write an end before the start.
        membership.is_active = False
    else:
        membership.ends_on = last_day
    membership._history_user = actor
    membership.save(update_fields=["is_active", "ends_on"])
    if Membership.user.is_cached(given):  # the caller's user object must not keep the old roles
        forget_memberships(given.user)
    return membership


#: The fields a person may change on their own profile (ProfileForm).
PROFILE_FIELDS = ("first_name", "last_name", "phone", "cin", "postal_address", "preferred_language")


@transaction.atomic
def user_update_profile(*, actor: User, user: User, **changes) -> User:
    """Change the profile fields of `user` (a person edits their own; staff tools may act for them).
    Phone and CIN are normalised (DOMAIN.md R10); invalid values raise ValidationError."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password", "username", "email"])
    user.save(update_fields=list(changes))
    return user
