"""Reactions of the case core to other apps' signals (connected in apps.CasesConfig.ready)."""

from django.db import transaction
from django.dispatch import receiver

from tawasul.core.signals import holidays_changed


@receiver(holidays_changed, dispatch_uid="cases.recompute_deadlines_on_holidays_changed")
def recompute_deadlines_on_holidays_changed(sender, dates, **kwargs):
    from .tasks import recompute_open_deadlines

    iso = sorted(day.isoformat() for day in dates)
    transaction.on_commit(lambda: recompute_open_deadlines.enqueue(iso))
