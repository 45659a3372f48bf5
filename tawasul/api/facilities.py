"""Public facilities as GeoJSON (`GET /api/v1/facilities/`) and nearest-N
(`GET /api/v1/facilities/nearest/`), SPEC.md §6.

Both read through `tawasul.facilities.selectors` (the same filters as the web directory).
Coordinates follow GeoJSON (RFC 7946): `[longitude, latitude]`, WGS 84.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from tawasul.facilities.models import Facility
from tawasul.facilities.selectors import facilities_filter, facilities_nearest

from .base import ApiView
from .errors import ErrorResponseSerializer
from .fields import StrictSerializer

__all__ = ["FacilityGeoJsonView", "FacilityNearestView"]

#: The largest primary key (`BigAutoField`, DEFAULT_AUTO_FIELD): a larger id in a filter is refused
#: with a 400 instead of overflowing the database's integer (a 500, found by schemathesis).
MAX_ID = 2**63 - 1
#: Paging stops here, far past any directory: the database's LIMIT/OFFSET must not overflow.
MAX_OFFSET = 2**31 - 1


class _FilterSerializer(StrictSerializer):
    """The filters of both facility look-ups. The OpenAPI parameters are these fields themselves
    (`parameters=[serializer]`), so the schema states exactly the bounds the code enforces (issue 8:
    schemathesis `positive_data_acceptance`). A blank filter (`?type=`, as an HTML form sends an
    empty field) means "no filter", as it does on the web directory."""

    type = serializers.SlugField(
        max_length=64, required=False, allow_blank=True, help_text="Facility type code (e.g. `post_office`)."
    )
    administration = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Id of the administration running it."
    )
    region = serializers.CharField(max_length=2, required=False, allow_blank=True, help_text="HCP region code (`06`).")
    province = serializers.CharField(
        max_length=16, required=False, allow_blank=True, help_text="HCP province code (`06.141`)."
    )
    commune = serializers.CharField(
        max_length=16, required=False, allow_blank=True, help_text="HCP commune code (`06.141.01.0`)."
    )
    service = serializers.SlugField(
        max_length=64, required=False, allow_blank=True, help_text="Code of a service offered."
    )


class GeoJsonQuerySerializer(_FilterSerializer):
    bbox = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="`west,south,east,north` in degrees (WGS 84)."
    )
    offset = serializers.IntegerField(
        min_value=0, max_value=MAX_OFFSET, default=0, help_text="Features to skip (paging)."
    )

    def get_fields(self):
        # The page size is a setting: the field is built with it each time (each request, and the
        # schema), so the schema's maximum is the one enforced.
        fields = super().get_fields()
        size = settings.FACILITIES_API_PAGE_SIZE
        fields["limit"] = serializers.IntegerField(
            min_value=1, max_value=size, required=False, help_text=f"Features per page (default and maximum {size})."
        )
        return fields

    def validate_bbox(self, value: str):
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError as exc:
            raise serializers.ValidationError("Give four numbers: west,south,east,north.") from exc
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise serializers.ValidationError("The box must have west < east and south < north, in degrees.")
        return west, south, east, north


class NearestQuerySerializer(_FilterSerializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text="Latitude in degrees.")
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text="Longitude in degrees.")

    def get_fields(self):
        fields = super().get_fields()  # as GeoJsonQuerySerializer's `limit`: the maximum is a setting
        most = settings.FACILITIES_NEAREST_MAX
        fields["n"] = serializers.IntegerField(
            min_value=1, max_value=most, default=5, help_text=f"How many (default 5, maximum {most})."
        )
        return fields


class _GeometrySerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always `Point`.")
    coordinates = serializers.ListField(child=serializers.FloatField(), help_text="[longitude, latitude]")


class _PropertiesSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="In the request's language (Arabic when missing).")
    name_ar = serializers.CharField()
    name_fr = serializers.CharField()
    type = serializers.CharField(help_text="Facility type code.")
    type_name = serializers.CharField()
    commune = serializers.CharField(help_text="HCP code of the commune.")
    address = serializers.CharField()
    phone = serializers.CharField(help_text="E.164, or empty.")
    email = serializers.CharField()
    opening_hours = serializers.DictField(help_text="Weekday (mon..sun) → list of [open, close] times.")
    wheelchair_access = serializers.BooleanField()
    distance_km = serializers.FloatField(required=False, help_text="Nearest-N only.")


class FeatureSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always `Feature`.")
    id = serializers.IntegerField()
    geometry = _GeometrySerializer()
    properties = _PropertiesSerializer()


class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always `FeatureCollection`.")
    count = serializers.IntegerField(help_text="Facilities matching the query (all pages).")
    next_offset = serializers.IntegerField(allow_null=True, help_text="Offset of the next page, or null.")
    features = FeatureSerializer(many=True)


def _feature(facility: Facility, language: str, distance: float | None = None) -> dict:
    properties = {
        "name": facility.name(language),
        "name_ar": facility.name_ar,
        "name_fr": facility.name_fr,
        "type": facility.type.code,
        "type_name": facility.type.name(language),
        "commune": facility.commune.code,
        "address": facility.address(language),
        "phone": facility.phone,
        "email": facility.email,
        "opening_hours": facility.opening_hours or {},
        "wheelchair_access": facility.wheelchair_access,
    }
    if distance is not None:
        properties["distance_km"] = distance
    return {
        "type": "Feature",
        "id": facility.pk,
        "geometry": {"type": "Point", "coordinates": [facility.longitude, facility.latitude]},
        "properties": properties,
    }


_ERRORS = {
    400: OpenApiResponse(ErrorResponseSerializer, description="Invalid parameter."),
    429: OpenApiResponse(ErrorResponseSerializer, description="Too many requests from this client."),
}


def _filters(params: dict) -> dict:
    keys = ("type", "administration", "region", "province", "commune", "service")
    return {key: params[key] for key in keys if params.get(key) not in (None, "")}


class FacilityGeoJsonView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="facility_geojson",
        summary="Public facilities as a GeoJSON FeatureCollection",
        parameters=[GeoJsonQuerySerializer],
        responses={200: FeatureCollectionSerializer, **_ERRORS},
        tags=["facilities"],
    )
    def get(self, request):
        query = GeoJsonQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        limit = params.get("limit") or settings.FACILITIES_API_PAGE_SIZE
        offset = params["offset"]
        qs = facilities_filter(bbox=params.get("bbox"), **_filters(params)).order_by("pk")
        count = qs.count()
        page = qs.select_related("type", "commune")[offset : offset + limit]
        language = translation.get_language()
        data = {
            "type": "FeatureCollection",
            "count": count,
            "next_offset": offset + limit if offset + limit < count else None,
            "features": [_feature(facility, language) for facility in page],
        }
        return Response(data)


class FacilityNearestView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="facility_nearest",
        summary="The N facilities nearest to a point, nearest first, with their distance",
        parameters=[NearestQuerySerializer],
        responses={200: FeatureCollectionSerializer, **_ERRORS},
        tags=["facilities"],
    )
    def get(self, request):
        query = NearestQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        nearest = facilities_nearest(lat=params["lat"], lon=params["lon"], limit=params["n"], **_filters(params))
        language = translation.get_language()
        features = [_feature(facility, language, distance) for facility, distance in nearest]
        return Response(
            {"type": "FeatureCollection", "count": len(features), "next_offset": None, "features": features}
        )
