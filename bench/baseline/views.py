"""Bare Django views: the physical floor each scenario is compared with (issue 7, "Scenarios")."""

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Row


@require_GET
def hello(request):
    return JsonResponse({"hello": "world"})


@require_GET
def select(request, pk: int):
    try:
        row = Row.objects.get(pk=pk)
    except Row.DoesNotExist:
        raise Http404 from None
    return JsonResponse({"id": row.pk, "name": row.name, "value": row.value})


@csrf_exempt
@require_POST
def insert(request):
    row = Row.objects.create(name="bench", value=len(request.body))
    return JsonResponse({"id": row.pk}, status=201)
