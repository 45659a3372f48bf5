"""Writes of the back office's own data: answer templates (issue 4). Case writes are the case
core's and the portals' services; the back office only calls them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from tawasul.registry.models import Administration

from .models import AnswerTemplate
from .selectors import template_administrations

_FIELDS = ("administration", "portal", "action", "language", "title", "body", "is_active")


def _check(user, administration: Administration) -> None:
    if not template_administrations(user).filter(pk=administration.pk).exists():
        raise PermissionDenied("not an administration of this user")


def answer_template_create(*, user, administration, portal, action, language, title, body, is_active=True):
    """A template for an administration the user handles cases of (or supervises)."""
    _check(user, administration)
    with transaction.atomic():
        return AnswerTemplate.objects.create(
            administration=administration,
            portal=portal,
            action=action,
            language=language,
            title=title.strip(),
            body=body.strip(),
            is_active=is_active,
        )


def answer_template_update(*, user, template: AnswerTemplate, **fields) -> AnswerTemplate:
    """Change a template; both its old and its new administration must be the user's."""
    _check(user, template.administration)
    if "administration" in fields:
        _check(user, fields["administration"])
    with transaction.atomic():
        for name in _FIELDS:
            if name in fields:
                value = fields[name]
                setattr(template, name, value.strip() if isinstance(value, str) else value)
        template.save()
    return template
