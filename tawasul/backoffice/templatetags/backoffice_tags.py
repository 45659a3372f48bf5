"""`{% backoffice_link as BO %}`: the header's "Back office" link for the staff who handle cases,
with their unread alerts (None for everyone else: one memoised membership read, then one count)."""

from django import template
from django.urls import reverse

from tawasul.notifications.selectors import staff_alert_unread_count

from ..selectors import has_case_role

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_link(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_case_role(user):
        return None
    return {"url": reverse("backoffice:inbox"), "unread": staff_alert_unread_count(user)}
