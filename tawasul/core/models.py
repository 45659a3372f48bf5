"""Domain-free tables: scheduler slots (and, from the calendar and reference modules,
holiday overrides and reference counters)."""

from django.db import models


class ScheduleSlot(models.Model):
    """One period of one periodic job, claimed by the scheduler that enqueued it.

    The unique constraint is the lock: two schedulers racing for the same slot both
    INSERT, one wins, the other gets an IntegrityError and enqueues nothing.
    """

    job = models.CharField(max_length=100)
    slot = models.BigIntegerField(help_text="Start of the period, in seconds since the epoch.")
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_schedule_slot_unique")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot}"
