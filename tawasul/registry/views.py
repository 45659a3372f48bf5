"""Public pages of the registry: the directory of administrations, one administration's page, and
the JSON lists behind region → province → commune pickers (progressive enhancement)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .forms import DirectorySearchForm
from .models import Administration
from .selectors import (
    administration_ancestors,
    administration_search,
    communes_of_province,
    provinces_of_region,
)


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = administration_search(
        filters.get("q", ""),
        region=filters.get("region") or None,
        kind=filters.get("kind") or None,
        group=filters.get("group") or None,
        limit=None,
    )
    page = Paginator(results, settings.REGISTRY_DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/directory.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


@require_GET
def administration_detail(request: HttpRequest, code: str) -> HttpResponse:
    administration = get_object_or_404(
        Administration.objects.select_related("region", "province", "commune"), code=code
    )
    return render(
        request,
        "registry/administration_detail.html",
        {
            "administration": administration,
            "ancestors": administration_ancestors(administration),
            "children": administration.children.order_by("name_ar"),
        },
    )


def _names(qs) -> JsonResponse:
    results = [{"code": obj.code, "name": obj.name()} for obj in qs]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


@require_GET
def provinces_json(request: HttpRequest) -> JsonResponse:
    """`?region=04` (or `MA-04`): the provinces/prefectures of a region, names in the page's language."""
    return _names(provinces_of_region(request.GET.get("region", "")))


@require_GET
def communes_json(request: HttpRequest) -> JsonResponse:
    """`?province=04.421`: the communes of a province or prefecture, names in the page's language."""
    return _names(communes_of_province(request.GET.get("province", "")))
