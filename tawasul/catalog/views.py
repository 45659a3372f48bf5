"""Public pages of the catalog (SPEC.md §5): themes, a theme, search, a procedure with
"where to go", online services and investor procedures. Staff pages are in `staff_views`."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from tawasul.core.text import normalize
from tawasul.facilities.hours import weekly_rows
from tawasul.registry.models import Commune

from .forms import SearchForm, WhereForm
from .models import Audience, Procedure, Theme
from .search import search
from .selectors import (
    public_procedure_get,
    subtheme_get,
    subthemes_with_counts,
    themes_with_counts,
    unclassified_count,
    where_to_go,
)


def index(request):
    return render(request, "catalog/index.html", {"themes": themes_with_counts(), "form": SearchForm()})


def _search_page(request, *, template: str, extra: dict, fixed: dict | None = None):
    form = SearchForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    filters = {k: params.get(k) or None for k in ("theme", "subtheme", "audience", "administration", "kind")}
    filters.update(fixed or {})
    # The sub-theme select of the filters: the sub-themes of the theme shown or chosen.
    chosen_theme = extra.get("theme") or (
        Theme.objects.filter(slug=filters["theme"]).first() if filters.get("theme") else None
    )
    filter_subthemes = list(chosen_theme.subthemes.all()) if chosen_theme else []
    if filters["subtheme"] and chosen_theme and filters["subtheme"] not in {s.slug for s in filter_subthemes}:
        filters["subtheme"] = None  # left over from another theme chosen in the same form
    page_size = settings.CATALOG_SEARCH_PAGE_SIZE
    number = params.get("page") or 1
    result = search(params.get("q", ""), limit=page_size, offset=(number - 1) * page_size, **filters)
    paginator = Paginator(range(result.total), page_size)
    page = paginator.get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "result": result,
        "page": page,
        "query_string": query.urlencode(),
        "themes": Theme.objects.all(),
        "audiences": Audience.choices,
        "filter_subthemes": filter_subthemes,
        **extra,
    }
    return render(request, template, context)


def results(request):
    return _search_page(request, template="catalog/search.html", extra={})


def theme(request, slug):
    """A theme: its sub-themes with their counts, then its procedures (`?subtheme=` narrows)."""
    theme = get_object_or_404(Theme, slug=slug)
    extra = {"theme": theme, "subthemes": subthemes_with_counts(theme), "unclassified": unclassified_count(theme)}
    return _search_page(request, template="catalog/theme.html", extra=extra, fixed={"theme": slug})


def subtheme(request, slug, subtheme):
    """A sub-theme's procedures, under its theme (breadcrumbs theme → sub-theme)."""
    theme = get_object_or_404(Theme, slug=slug)
    sub = subtheme_get(theme, subtheme)
    return _search_page(
        request,
        template="catalog/subtheme.html",
        extra={
            "theme": theme,
            "subtheme": sub,
            "fixed_subtheme": True,
            "theme_crumbs": [(theme.name(), reverse("catalog:theme", args=[theme.slug]))],
        },
        fixed={"theme": slug, "subtheme": sub.slug},
    )


def online_services(request):
    return _search_page(
        request,
        template="catalog/list.html",
        extra={"list_kind": "online"},
        fixed={"kind": Procedure.Kind.ONLINE_SERVICE},
    )


def investor_procedures(request):
    return _search_page(
        request, template="catalog/list.html", extra={"list_kind": "investor"}, fixed={"kind": Procedure.Kind.INVESTOR}
    )


def _commune_from_text(text: str):
    words = normalize(text)
    if not words:
        return None
    return Commune.objects.filter(search_text__contains=words).select_related("province").order_by("id").first()


def facility_url(facility) -> str:
    """The facilities app's page of one place (helper "facilities" owns it), else its directory."""
    for name, args in (("facilities:detail", [facility.pk]), ("facilities:index", [])):
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            continue
        return url if args else f"{url}?id={facility.pk}"
    return ""


def detail(request, code):
    procedure = public_procedure_get(code)
    where = WhereForm(request.GET or None)
    lat = lon = commune = None
    commune_not_found = False
    if where.is_valid():
        lat, lon = where.cleaned_data.get("lat"), where.cleaned_data.get("lon")
        if where.cleaned_data.get("commune") and (lat is None or lon is None):
            commune = _commune_from_text(where.cleaned_data["commune"])
            commune_not_found = commune is None
    places = [
        {
            "facility": f,
            "distance": d,
            "url": facility_url(f),
            "hours": [row for row in weekly_rows(f.opening_hours) if not row["closed"]],
        }
        for f, d in where_to_go(procedure, lat=lat, lon=lon, commune=commune)
    ]
    crumbs = [(procedure.theme.name(), reverse("catalog:theme", args=[procedure.theme.slug]))]
    if procedure.subtheme_id:
        crumbs.append(
            (
                procedure.subtheme.name(),
                reverse("catalog:subtheme", args=[procedure.theme.slug, procedure.subtheme.slug]),
            )
        )
    context = {
        "procedure": procedure,
        "crumbs": crumbs,
        "where": where,
        "places": places,
        "sorted_by_distance": bool(places and places[0]["distance"] is not None),
        "commune": commune,
        "commune_not_found": commune_not_found,
        "legal_references": [line for line in _localized_lines(procedure, "legal") if line.strip()],
    }
    return render(request, "catalog/detail.html", context)


def _localized_lines(procedure, field):
    from .i18n import localized

    return localized(procedure, field).splitlines()


def form_download(request, code, pk):
    """A downloadable form of a published procedure (media files are not served directly)."""
    procedure = public_procedure_get(code)
    form = get_object_or_404(procedure.forms, pk=pk)
    extension = Path(form.file.name).suffix
    return FileResponse(form.file.open("rb"), as_attachment=True, filename=f"{procedure.code}-{form.pk}{extension}")
