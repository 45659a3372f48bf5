"""The public shell: root redirect, home page, language switch, health check."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tawasul.home.templatetags.tawasul_shell import path_in_language


def root_redirect(request: HttpRequest) -> HttpResponse:
    """`/` goes to the language the visitor chose before, else Arabic (the default)."""
    lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not lang or not check_for_language(lang) or lang not in dict(settings.LANGUAGES):
        lang = settings.LANGUAGE_CODE
    return HttpResponseRedirect(f"/{lang}/")


def index(request: HttpRequest) -> HttpResponse:
    """The home page: the portals, in the language of the URL prefix."""
    return render(request, "home/index.html")


@never_cache
@require_GET
def set_language(request: HttpRequest) -> HttpResponse:
    """`/<lang>/language/?next=<path>`: the language switcher's target (a plain link, no JavaScript).

    Stores the language of the URL prefix (activated by LocaleMiddleware) in the language cookie,
    so that `/` sends the visitor back to it (ADR 0004), then goes to `next` under that prefix.
    `next` must be a path on this site; anything else leads to the language's home page. A GET
    that sets a preference cookie is harmless: the worst a foreign link can do is change the
    language of the next page.
    """
    lang = get_language()
    next_url = request.GET.get("next", "")
    safe = next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = HttpResponseRedirect(path_in_language(next_url, lang) if safe else f"/{lang}/")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


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

        from tawasul.notifications.selectors import outbox_longest_wait_seconds

        checks["task_queue_ready"] = DBTaskResult.objects.filter(status="READY").count()
        # The outbox is its own queue (ADR 0060): how long its longest-waiting message has been due.
        checks["outbox_longest_wait_seconds"] = outbox_longest_wait_seconds()
        checks["task_queue"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["task_queue"] = f"error: {exc.__class__.__name__}"
    healthy = checks["database"] == "ok" and checks["task_queue"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
