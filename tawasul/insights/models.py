"""Insights' own tables (SPEC.md §9; docs/adr/0030-indicators-and-reports.md).

- `IndicatorCounter`: per (portal, administration, month of receipt), the case figures that the
  portals' own counters do not keep (overdue, escalated, the time to first action and to answer),
  refreshed from the case events by `tawasul.insights.counters` like the complaints' counters.
- `VisitDay`: page views per portal and day from the cookie-less counter (`visits.py`).
- `Report`: the monthly report and the year-end pending report, files in Django's storage.
- `OpenDataset`: one month of anonymised counts, as CSV and JSON in Django's storage.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorCounter(models.Model):
    """Sums of one administration's cases of one portal and kind received in one month (Morocco time).

    Durations are kept as histograms `{bucket: count}` (`counters.duration_bucket`: whole hours up
    to 72 h, whole days past that), so that any grouping adds rows up and its median is exact to
    the bucket."""

    portal = models.CharField(max_length=32)
    kind = models.CharField(max_length=32)
    administration = models.ForeignKey("registry.Administration", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month of receipt (Morocco time).")
    received = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)  # answered or closed
    overdue = models.PositiveIntegerField(default=0)  # flagged overdue, or answered after the deadline
    escalated = models.PositiveIntegerField(default=0)  # reached escalation level 2 or 3
    reopened = models.PositiveIntegerField(default=0)
    first_action = models.JSONField(default=dict)  # {bucket hours: cases}, cases with a staff action
    answer = models.JSONField(default=dict)  # {bucket hours: cases}, answered cases
    # The portal's own measures (its provider's `status_counts` and `milestones`, docs/adr/0038):
    # {measure: cases} or {measure: {bucket hours: cases}}.
    extra = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "kind", "administration", "month"], name="insights_counter_uniq")
        ]
        indexes = [models.Index(fields=["month", "portal"], name="insights_counter_month_idx")]

    def __str__(self) -> str:
        return f"{self.portal} {self.administration_id} {self.month:%Y-%m}: {self.received}"


class IndicatorWatermark(models.Model):
    """One row: the newest case event the counters have seen (same scheme as the complaints'
    `StatisticsWatermark`: the months of every event above `previous_event_id` are re-counted)."""

    last_event_id = models.BigIntegerField(default=0)
    previous_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)  # None: never built

    def __str__(self) -> str:
        return f"indicators up to event {self.last_event_id}"


class VisitDay(models.Model):
    """Cookie-less page views of one portal on one day (Morocco time). `visitors` counts distinct
    daily-salted hashes; the hashes and the salt are never written to the database."""

    day = models.DateField()
    portal = models.CharField(max_length=32)
    views = models.PositiveIntegerField(default=0)
    mobile_views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "portal"], name="insights_visitday_uniq")]

    def __str__(self) -> str:
        return f"{self.day} {self.portal}: {self.views}"


class Report(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly report to the head of government")
        PENDING = "pending", _("Year-end report of pending cases")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))  # inclusive
    pdf = models.FileField(_("PDF"), upload_to="insights/reports/", blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to="insights/reports/", blank=True)
    created_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start", "period_end"], name="insights_report_period_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start}..{self.period_end}"


class OpenDataset(models.Model):
    month = models.DateField(unique=True)
    csv = models.FileField(upload_to="insights/opendata/")
    json = models.FileField(upload_to="insights/opendata/")
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"open data {self.month:%Y-%m}"

    @property
    def slug(self) -> str:
        return f"{self.month:%Y-%m}"
