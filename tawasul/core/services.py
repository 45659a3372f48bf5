"""Writes of core: holiday overrides (DOMAIN.md §8.3)."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.cache import cache
from django.db import transaction

from .calendar import OVERRIDES_VERSION_KEY, invalidate_local_cache
from .models import HolidayOverride
from .signals import holidays_changed


def _announce_change(dates: set[date]) -> None:
    """After commit: bump the shared version (every process refreshes), then signal."""

    def announce() -> None:
        cache.set(OVERRIDES_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        invalidate_local_cache()
        holidays_changed.send(sender=HolidayOverride, dates=frozenset(dates))

    transaction.on_commit(announce)


@transaction.atomic
def holiday_override_save(
    *,
    actor,
    day: date,
    kind: str,
    source: str,
    name_ar: str = "",
    name_fr: str = "",
    name_zgh: str = "",
    name_en: str = "",
    override: HolidayOverride | None = None,
) -> HolidayOverride:
    """Create or update the override of `day` (or edit `override`, possibly moving its date).

    `actor` is the staff user making the change (kept for the admin log by the caller).
    Deadlines are recomputed by the listeners of `holidays_changed`, after commit.
    """
    if override is None:
        override = HolidayOverride.objects.filter(date=day).first() or HolidayOverride(date=day)
    else:
        override = HolidayOverride.objects.select_for_update().get(pk=override.pk)
    changed = {override.date, day}
    override.date = day
    override.kind = kind
    override.source = source
    override.name_ar = name_ar
    override.name_fr = name_fr
    override.name_zgh = name_zgh
    override.name_en = name_en
    override.full_clean()
    override.save()
    _announce_change(changed)
    return override


@transaction.atomic
def holiday_override_delete(*, actor, override: HolidayOverride) -> None:
    """Delete `override`: its date goes back to what the `holidays` package says."""
    day = override.date
    HolidayOverride.objects.filter(pk=override.pk).delete()
    _announce_change({day})
