"""Answer templates of an administration (issue 4: "Answer templates per administration; an
officer can answer in the citizen's language").

A template belongs to one administration, one portal and one action of that portal's workflow
(the actions that take a text: `answer`, `request_information`, ...), in one language. The back
office offers, on a case page, the active templates of the case's administration for each action,
those in the case's language first. Placeholders `{reference}` and `{received_date}` are filled
when the template is chosen (`AnswerTemplate.render`). Changes are kept by simple_history, like
the registry's reference data (ARCHITECTURE.md §1 "Audit").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

#: The placeholders a template body may use (replaced literally: other braces are left alone).
PLACEHOLDERS = ("{reference}", "{received_date}")


class AnswerTemplate(models.Model):
    administration = models.ForeignKey(
        "registry.Administration",
        on_delete=models.CASCADE,
        related_name="answer_templates",
        verbose_name=_("administration"),
    )
    portal = models.CharField(_("portal"), max_length=32)
    action = models.CharField(_("action"), max_length=40)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ar")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["administration_id", "portal", "action", "language", "title"]
        indexes = [
            models.Index(fields=["administration", "portal", "action"], name="answertemplate_lookup_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def render(self, *, reference: str, received_date: str) -> str:
        """The body with its placeholders filled (plain replacement, never `str.format`)."""
        return self.body.replace("{reference}", reference).replace("{received_date}", received_date)
