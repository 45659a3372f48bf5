"""The administrations a citizen can address (`GET /api/v1/administrations/?q=`).

Search through `registry.selectors.administration_search`, the same as the web form's step 1:
every language, Arabic diacritics and hamza forms ignored (SPEC.md §1 "Languages").
"""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from tawasul.registry.models import Administration
from tawasul.registry.selectors import administration_search

from .base import ApiView
from .errors import ErrorResponseSerializer
from .fields import StrictSerializer

__all__ = ["AdministrationListView"]

#: Results per search (a picker, not an export: the directory pages list them all).
MAX_RESULTS = 50
DEFAULT_RESULTS = 20


class AdministrationQuerySerializer(StrictSerializer):
    """The search's parameters; the OpenAPI parameters are these fields (`parameters=[...]`), so the
    schema states the bounds the code enforces. A blank `q` or `region` means "no filter"."""

    q = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Words of the name or acronym, in any language."
    )
    region = serializers.CharField(
        max_length=5, required=False, allow_blank=True, help_text="Region code (`04` or `MA-04`)."
    )
    kind = serializers.ChoiceField(choices=Administration.Kind.choices, required=False)
    group = serializers.ChoiceField(choices=Administration.Group.choices, required=False)
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_RESULTS,
        default=DEFAULT_RESULTS,
        help_text=f"1 to {MAX_RESULTS} (default {DEFAULT_RESULTS}).",
    )


class AdministrationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language (Arabic when missing).")
    name_ar = serializers.CharField()
    name_fr = serializers.CharField()
    acronym = serializers.CharField()
    kind = serializers.CharField()
    group = serializers.CharField()
    level = serializers.CharField()
    region = serializers.CharField(allow_null=True, help_text="ISO 3166-2 code of the region, if regional.")


class AdministrationListView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="administration_search",
        summary="Search the administrations on the platform",
        parameters=[AdministrationQuerySerializer],
        responses={
            200: AdministrationSerializer(many=True),
            400: OpenApiResponse(ErrorResponseSerializer, description="Invalid parameter."),
            429: OpenApiResponse(ErrorResponseSerializer, description="Too many requests from this client."),
        },
        tags=["registry"],
    )
    def get(self, request):
        query = AdministrationQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        results = administration_search(
            params.get("q", ""),
            region=params.get("region") or None,
            kind=params.get("kind"),
            group=params.get("group"),
            limit=params["limit"],
        )
        language = translation.get_language()
        data = [
            {
                "code": administration.code,
                "name": administration.name(language),
                "name_ar": administration.name_ar,
                "name_fr": administration.name_fr,
                "acronym": administration.acronym,
                "kind": administration.kind,
                "group": administration.group,
                "level": administration.level,
                "region": administration.region.iso_code if administration.region_id else None,
            }
            for administration in results
        ]
        return Response(AdministrationSerializer(data, many=True).data)
