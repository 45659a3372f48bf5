"""Public pages of the reception program: the model sites and the program's progress, the
visitor's satisfaction survey (no account, no JavaScript) and the printable QR poster of a site.

The survey's POST is rate-limited per client like every public form
(`PUBLIC_FORM_RATE_LIMITS["reception:survey"]`, tawasul.core.ratelimits); the other defences
against ballot stuffing are in `rules.py` and docs/adr/0032.
"""

from __future__ import annotations

import contextlib

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .forms import SurveyForm
from .models import SurveyChannel
from .rules import QUESTION_FIELDS, TicketError, TicketTooFresh, issue_ticket, read_ticket
from .selectors import model_sites, public_progress, public_site
from .services import SurveyRefused, survey_submit


def _channel(value: str | None) -> str:
    return value if value in SurveyChannel.values else SurveyChannel.WEB


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reception/index.html",
        {"sites": model_sites(), "progress": public_progress()},
    )


@never_cache  # each showing carries its own single-use ticket: a shared cache would hand out one ticket
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    site = public_site(code)
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            channel = _channel(data["channel"])
            try:
                nonce = read_ticket(data["ticket"], site.code)
            except TicketTooFresh:
                form = _with_new_ticket(
                    request, site, _("Please take a moment to check your answers, then send the form again.")
                )
            except TicketError:
                expired = _("This form has expired. Your answers are kept: please send it again.")
                form = _with_new_ticket(request, site, expired)
            else:
                # The same form sent twice (SurveyRefused) was counted once: thank the visitor again.
                with contextlib.suppress(SurveyRefused):
                    survey_submit(
                        site=site,
                        scores={name: data[name] for name in QUESTION_FIELDS},
                        comment=data["comment"],
                        channel=channel,
                        language=(get_language() or "")[:8],
                        nonce=nonce,
                    )
                return redirect(f"{reverse('reception:survey_thanks', args=[site.code])}?via={channel}")
        status = 400
    else:
        channel = _channel(request.GET.get("via"))
        form = SurveyForm(initial={"ticket": issue_ticket(site.code), "channel": channel})
        status = 200
    return render(request, "reception/survey.html", {"site": site, "form": form}, status=status)


def _with_new_ticket(request: HttpRequest, site, message: str) -> SurveyForm:
    """The answers as typed, a fresh ticket for the next try, and why the form came back."""
    data = request.POST.copy()
    data["ticket"] = issue_ticket(site.code)
    form = SurveyForm(data)
    form.is_valid()
    form.add_error(None, message)
    return form


@require_GET
def survey_thanks(request: HttpRequest, code: str) -> HttpResponse:
    site = public_site(code)
    return render(
        request,
        "reception/survey_thanks.html",
        {"site": site, "desk": request.GET.get("via") == SurveyChannel.DESK},
    )


def survey_url(request: HttpRequest, site, channel: str = SurveyChannel.QR) -> str:
    return request.build_absolute_uri(f"{reverse('reception:survey', args=[site.code])}?via={channel}")


@require_GET
def site_qr(request: HttpRequest, code: str) -> HttpResponse:
    """A page to print and display at the desk: the site's name and the survey's QR code (SVG)."""
    site = public_site(code)
    url = survey_url(request, site)
    qr_svg = segno.make(url, error="m").svg_inline(border=4, dark="#000", light="#fff", omitsize=True)
    return render(request, "reception/site_qr.html", {"site": site, "survey_url": url, "qr_svg": qr_svg})
