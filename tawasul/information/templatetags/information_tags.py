"""What the back office's case page shows of an information request
(`templates/information/staff/case_panel.html`, interfaces.md "Portal panel")."""

from django import template

from tawasul.information.models import InfoRequest
from tawasul.information.recourse import recourse_for

register = template.Library()


@register.simple_tag
def information_panel(case) -> dict:
    """The request's portal fields, its parent and complaints, and its recourse routes."""
    info = (
        InfoRequest.objects.filter(case=case).select_related("parent__case", "redirected_to", "published_entry").first()
    )
    children = list(InfoRequest.objects.filter(parent=info).select_related("case")) if info else []
    return {"info": info, "children": [child.case for child in children], "recourse": recourse_for(case)}
