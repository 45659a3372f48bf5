"""Public pages of the facilities map (SPEC.md §6).

The page's main content is the server-rendered text directory (filters, nearest first when a
place is given, pagination): it works without JavaScript and without a tile server. The Leaflet
map (`static/js/facilities-map.js`) is an enhancement that loads the compact points list.
"""

import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tawasul.registry.selectors import commune_search

from .forms import DirectoryForm
from .hours import is_open_at, weekly_rows
from .models import Facility
from .selectors import (
    commune_centroid,
    facilities_filter,
    facilities_nearest,
    facility_get,
    facility_list,
    facility_points,
    facility_types,
)


def _origin(form: DirectoryForm) -> tuple[float, float, str] | None:
    """Where "nearest" starts: the browser's position, or the centroid of a typed commune."""
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    if data.get("lat") is not None and data.get("lon") is not None:
        return data["lat"], data["lon"], _("the chosen place")
    near = data.get("near", "").strip()
    if not near:
        return None
    commune = commune_search(near, limit=1).first()
    centre = commune_centroid(commune) if commune else None
    if not centre:
        form.add_error("near", _("No commune matches “%(text)s”. Check the spelling.") % {"text": near})
        return None
    return centre[0], centre[1], commune.name()


def _map_config() -> dict:
    return {
        "tileUrl": settings.FACILITIES_TILE_URL,
        "attribution": settings.FACILITIES_TILE_ATTRIBUTION,
        "types": {t.code: t.name() for t in facility_types()},
        "detailUrl": reverse("facilities:detail", args=[0]),
        "cardUrl": reverse("facilities:card", args=[0]),
        "labels": {
            "details": _("Details"),
            "locating": _("Finding your location…"),
            "denied": _("Your location is not available. Type a commune name instead."),
            "mapUnavailable": _("The map could not be loaded; the list below shows every facility."),
        },
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = form.filters()
    origin = _origin(form)
    page_size = settings.FACILITIES_DIRECTORY_PAGE_SIZE
    nearest = None
    page = None
    if origin:
        nearest = facilities_nearest(lat=origin[0], lon=origin[1], limit=page_size, **filters)
    else:
        page = Paginator(facility_list(**filters), page_size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    points_query = {key: value for key, value in filters.items() if key != "q"}
    return render(
        request,
        "facilities/index.html",
        {
            "form": form,
            "page": page,
            "nearest": nearest,
            "origin": origin,
            "query_string": query.urlencode(),
            "points_url": reverse("facilities:points") + ("?" + urlencode(points_query) if points_query else ""),
            "map_config": _map_config(),
            "map_enabled": bool(settings.FACILITIES_TILE_URL),
        },
    )


@require_GET
def points(request: HttpRequest) -> HttpResponse:
    """Every active facility as compact `[id, lat, lon, type]` arrays for the map, with an ETag
    (the browser revalidates and gets 304 while nothing changed). Filters narrow the list."""
    form = DirectoryForm(request.GET or None)
    filters = form.filters()
    filters.pop("q", None)
    if filters:
        rows = facilities_filter(**filters).values_list("pk", "latitude", "longitude", "type__code")
        data = [[pk, round(la, 5), round(lo, 5), code] for pk, la, lo, code in rows]
        body = json.dumps(data, separators=(",", ":"))
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:24] + '"'
    else:
        tag, data = facility_points()
        etag = f'"{tag}"'
        body = None
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body or json.dumps(data, separators=(",", ":")), content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response


def _facility_or_404(pk: int) -> Facility:
    try:
        return facility_get(pk)
    except Facility.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _facility_or_404(pk)
    now = timezone.now()
    return render(
        request,
        "facilities/detail.html",
        {
            "facility": facility,
            "hours": weekly_rows(facility.opening_hours),
            "has_hours": bool(facility.opening_hours),
            "open_now": is_open_at(facility.opening_hours, now),
            "accessibility": [Facility._meta.get_field(flag).verbose_name for flag in facility.accessibility],
            "map_config": _map_config(),
            "map_enabled": bool(settings.FACILITIES_TILE_URL),
        },
    )


@require_GET
def card(request: HttpRequest, pk: int) -> JsonResponse:
    """The few lines a map popup shows, in the page's language."""
    facility = _facility_or_404(pk)
    return JsonResponse(
        {
            "id": facility.pk,
            "name": facility.name(),
            "type": facility.type.name(),
            "address": facility.address(),
            "phone": facility.phone,
            "open_now": is_open_at(facility.opening_hours, timezone.now()),
        },
        json_dumps_params={"ensure_ascii": False},
    )
