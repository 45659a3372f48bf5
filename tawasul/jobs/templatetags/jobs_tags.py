"""Template helpers of the jobs portal."""

from django import template

from ..permissions import is_recruiter

register = template.Library()


@register.simple_tag(takes_context=True)
def jobs_is_recruiter(context) -> bool:
    """Whether the reader is a recruiter somewhere (the portal's menu then links the unit's pages)."""
    request = context.get("request")
    return bool(request and request.user.is_authenticated and is_recruiter(request.user))
