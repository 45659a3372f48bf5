"""The public shell: root redirect, home page, health check."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache


def root_redirect(request: HttpRequest) -> HttpResponse:
    """`/` goes to the language the visitor chose before, else Arabic (the default)."""
    lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not lang or not check_for_language(lang) or lang not in dict(settings.LANGUAGES):
        lang = settings.LANGUAGE_CODE
    return HttpResponseRedirect(f"/{lang}/")


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "home/index.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and the task queue's table is reachable."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        from django_tasks_db.models import DBTaskResult

        checks["task_queue_ready"] = DBTaskResult.objects.filter(status="READY").count()
        checks["task_queue"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["task_queue"] = f"error: {exc.__class__.__name__}"
    healthy = checks["database"] == "ok" and checks["task_queue"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
