"""Template helpers of the complaints portal's staff panel (templates/complaints/staff/)."""

from django import template

from ..models import ProblemLink
from ..selectors import open_problems_for_case, problems_for_staff
from ..staff_forms import LinkToProblemForm

register = template.Library()


@register.simple_tag
def problem_panel(case, user) -> dict:
    """The complaint's problem if it is linked to one, else the form to link it to an open one
    the user can see (the service checks the rest when it is posted)."""
    link = ProblemLink.objects.filter(complaint_id=case.pk).select_related("problem").first()
    if link is not None:
        visible = problems_for_staff(user).filter(pk=link.problem_id).exists()
        return {"link": link, "visible": visible, "form": None}
    problems = list(open_problems_for_case(case, user)[:100])
    return {"link": None, "form": LinkToProblemForm(problems=problems) if problems else None}
