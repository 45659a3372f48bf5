"""Answers for what no endpoint handles: a JSON 404 (not Django's HTML page) in the API's shape."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import api_view, authentication_classes, permission_classes

from .errors import exception_handler


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def not_found(request, *args, **kwargs):
    return exception_handler(exceptions.NotFound(), {})
