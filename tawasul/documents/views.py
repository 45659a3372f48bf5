"""The civil-status documents window, citizen side (watiqa model; SPEC.md §4, DOMAIN.md R3).

Thin views: forms check shape, `services.py` and the case core write, `access.py` decides who may
open an order. Steps: order (one form, no JavaScript) → the order page shows the price → pay
through the configured gateway → the order goes to the office → follow it (reference + email, or
the secret link). The office works the order in the back office (workflow table).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from tawasul.cases.actors import Actor
from tawasul.cases.links import tracking_url_builder
from tawasul.cases.selectors import case_by_token, case_public_timeline, case_track
from tawasul.cases.services import CaseActionRefused
from tawasul.cases.workflow import REQUESTER, get_workflow
from tawasul.core.references import format_for_speech

from . import cmi
from .access import access_requester_order, has_proof, remember_proof
from .forms import OrderForm, TrackForm
from .models import DocType, Payment, PriceItem
from .payments import get_payment_gateway
from .postfeed import EVENT_LABELS as POST_FEED_LABELS
from .pricing import price_table
from .selectors import offices_joined, orders_for_requester
from .services import order_cancel, order_details, order_submit, payment_confirm, payment_start
from .workflow import CLOSED, DELAY_MAX_DAYS, DELAY_MIN_DAYS, PORTAL

#: Tracking attempts per client IP (as the other portals: tracking is rate-limited per client).
TRACK_RATE = "10/m"
#: Session key of the secret links of orders placed in this session (shown on the order page).
RECEIPT_TOKENS = "documents_receipt_tokens"
#: Statuses after which the documents are with the post (the ID notice and the item number apply).
POSTAL = ("handed_to_post", "in_transit", "delivered", "returned")


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    table = price_table()
    context = {
        "prices": table,
        "codes": PriceItem.Code,
        "delay": (DELAY_MIN_DAYS, DELAY_MAX_DAYS),
        "offices_count": offices_joined().count(),
        "doc_types": DocType.choices,
    }
    return render(request, "documents/index.html", context)


def order(request: HttpRequest) -> HttpResponse:
    """The order form (R3): one page; a bad input comes back with its message and what was typed."""
    if request.method == "POST":
        form = OrderForm(request.POST)
        if form.is_valid():
            response = _submit(request, form)
            if response is not None:
                return response
        if "idempotency_key" in form.errors:
            form.data = form.data.copy()
            form.data["idempotency_key"] = str(uuid.uuid4())
    else:
        initial = {"copies": 1, "country": "MA"}
        if request.user.is_authenticated:
            initial["email"] = request.user.email
        code = request.GET.get("office", "")
        if code and offices_joined().filter(code=code).exists():
            initial["office"] = code
        form = OrderForm(initial=initial)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "documents/order_form.html", {"form": form, "prices": price_table()}, status=status)


def _submit(request: HttpRequest, form: OrderForm) -> HttpResponse | None:
    data = form.cleaned_data
    office = offices_joined().filter(code=data["office"]).select_related("administration").first()
    if office is None:
        form.add_error("office", _("Choose an office from the list."))
        return None
    user = request.user if request.user.is_authenticated else None
    try:
        case = order_submit(
            actor=Actor(user=user, roles=frozenset({REQUESTER})),
            office=office,
            **order_details(data),
            requester_user=user,
            language=_language(),
            idempotency_key=str(data["idempotency_key"]),
            tracking_url_builder=tracking_url_builder(request, "documents:track_link"),
        )
    except ValidationError as error:
        field = {
            "office_not_joined": "office",
            "invalid_phone": "phone",
            "email_required": "email",
            "contact_required": "email",
        }.get(error.code or "")
        form.add_error(field, error)
        return None
    if case.was_created:
        remember_proof(request, case)
        tokens = request.session.get(RECEIPT_TOKENS, {})
        tokens[case.reference] = case.tracking_token
        request.session[RECEIPT_TOKENS] = dict(list(tokens.items())[-5:])
    elif not has_proof(request, case):
        messages.info(request, _("This order was already placed. Follow it with its reference and your email."))
        return redirect("documents:track")
    return redirect("documents:order_detail", reference=case.reference)


# --- The order page (tracking) ----------------------------------------------------------------------


def _action_labels(workflow) -> dict[str, str]:
    labels = {t.action: _(t.label) if t.label else t.action for t in workflow.transitions}
    labels["submitted"] = _("Order placed, waiting for the payment")
    labels.update({action: _(label) for action, label in POST_FEED_LABELS.items()})
    return labels


@require_GET
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_requester_order(request, reference)
    order = case.document_order
    workflow = get_workflow(PORTAL)
    labels = _action_labels(workflow)
    timeline = [
        {
            "entry": entry,
            "label": labels.get(entry.action, entry.action.replace("_", " ")),
            "status_label": _(workflow.status_label(entry.status)) if entry.status else "",
        }
        for entry in case_public_timeline(case)
    ]
    token = request.session.get(RECEIPT_TOKENS, {}).get(case.reference)
    context = {
        "case": case,
        "order": order,
        "office": order.office,
        "status_label": _(workflow.status_label(case.status)),
        "spoken_reference": format_for_speech(case.reference),
        "timeline": timeline,
        "awaiting_payment": case.status == "awaiting_payment",
        "with_post": case.status in POSTAL,
        "open": case.status not in CLOSED,
        "delay": (DELAY_MIN_DAYS, DELAY_MAX_DAYS),
        "demo_gateway": get_payment_gateway().is_demo,
        "tracking_url": tracking_url_builder(request, "documents:track_link")(case, token) if token else "",
        "refund": case.status in ("rejected", "refund_pending", "refunded"),
    }
    return render(request, "documents/order.html", context)


@require_POST
def order_pay(request: HttpRequest, reference: str) -> HttpResponse:
    """Start a payment: to the gateway's page (the demo gateway's is ours)."""
    case = access_requester_order(request, reference)
    try:
        payment = payment_start(case=case)
    except CaseActionRefused:
        messages.info(request, _("This order does not wait for a payment."))
        return redirect("documents:order_detail", reference=case.reference)
    return redirect(get_payment_gateway().start(payment, request=request))


@require_POST
def order_cancel_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_requester_order(request, reference)
    try:
        order_cancel(case=case, actor=Actor.requester(case))
    except CaseActionRefused:
        messages.warning(request, _("A paid order can no longer be cancelled."))
    else:
        messages.success(request, _("The order was cancelled."))
    return redirect("documents:order_detail", reference=case.reference)


def demo_pay(request: HttpRequest, token: str) -> HttpResponse:
    """The demo gateway's page: no money is taken; the button confirms the payment. Gone (404)
    when another gateway is configured."""
    if not get_payment_gateway().is_demo:
        raise Http404
    payment = Payment.objects.filter(token=token).select_related("order__case").first()
    if payment is None:
        raise Http404
    case = payment.order.case
    if request.method == "POST":
        payment = payment_confirm(token=token, provider_reference=f"demo-{payment.pk}", amount=payment.amount)
        if payment.status == Payment.Status.DUPLICATE:
            messages.warning(request, _("This order was already paid: this second payment will be refunded."))
        else:
            messages.success(request, _("Payment received. Your order was sent to the civil-status office."))
        remember_proof(request, case)  # whoever holds the payment's secret token placed the order
        return redirect("documents:order_detail", reference=case.reference)
    return render(request, "documents/demo_pay.html", {"payment": payment, "case": case})


# --- The CMI card gateway (tawasul.documents.cmi; docs/adr/0040) --------------------------------------
# Every page is 404 unless the CMI gateway is the configured one (as the demo page the other way).


def _cmi_payment(token: str) -> Payment:
    if not cmi.cmi_selected():
        raise Http404
    payment = Payment.objects.filter(token=token).select_related("order__case").first()
    if payment is None:
        raise Http404
    return payment


@never_cache
@require_GET
def cmi_pay(request: HttpRequest, token: str) -> HttpResponse:
    """Our page before the CMI's: the signed form, sent on by a small script, or by its button
    without JavaScript. The payment's secret token is the proof, as on the demo page."""
    payment = _cmi_payment(token)
    case = payment.order.case
    if payment.status != Payment.Status.PENDING or case.status != "awaiting_payment":
        remember_proof(request, case)
        messages.info(request, _("This order does not wait for a payment."))
        return redirect("documents:order_detail", reference=case.reference)
    context = {"payment": payment, "case": case, "action": settings.CMI_GATEWAY_URL}
    context["fields"] = cmi.payment_form(payment, request=request)
    response = render(request, "documents/cmi_pay.html", context)
    response._csp_update = {"form-action": [cmi.gateway_origin()]}  # the form goes to the CMI
    return response


@csrf_exempt
@require_POST
def cmi_callback(request: HttpRequest) -> HttpResponse:
    """The CMI's server-to-server callback: plain-text answer of the protocol, no session."""
    if not cmi.cmi_selected():
        raise Http404
    return HttpResponse(cmi.callback_answer(request.POST.dict()), content_type="text/plain; charset=utf-8")


def _cmi_return(request: HttpRequest, token: str, *, accepted: bool) -> HttpResponse:
    """The payer's browser back from the CMI (okUrl / failUrl): proof of nothing, only the callback
    confirms. The CMI's POST comes from its site, without our (SameSite) session cookie: it is
    only sent on to the same address as a GET, which has the cookie; the GET says where the
    payment stands and opens the order."""
    payment = _cmi_payment(token)
    if request.method == "POST":
        return HttpResponseRedirect(request.path, status=303)
    case = payment.order.case
    remember_proof(request, case)  # whoever holds the payment's secret token placed the order
    if payment.status == Payment.Status.CONFIRMED:
        messages.success(request, _("Payment received. Your order was sent to the civil-status office."))
    elif payment.status == Payment.Status.DUPLICATE:
        messages.warning(request, _("This order was already paid: this second payment will be refunded."))
    elif accepted:
        messages.info(request, _("The bank is confirming your payment: this page will show when it is received."))
    else:
        messages.warning(request, _("The payment did not go through: no money was taken. You can try again."))
    return redirect("documents:order_detail", reference=case.reference)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cmi_ok(request: HttpRequest, token: str) -> HttpResponse:
    return _cmi_return(request, token, accepted=True)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cmi_fail(request: HttpRequest, token: str) -> HttpResponse:
    return _cmi_return(request, token, accepted=False)


# --- Tracking -----------------------------------------------------------------------------------------


@ratelimit(key="ip", rate=TRACK_RATE, method="POST", block=False)
def track(request: HttpRequest) -> HttpResponse:
    """Reference + email or phone. An unknown reference and a wrong contact get the same page."""
    my_orders = orders_for_requester(request.user)[:50] if request.user.is_authenticated else None
    context = {"my_cases": my_orders}
    if request.method != "POST":
        return render(request, "documents/track.html", {"form": TrackForm(), **context})
    form = TrackForm(request.POST)
    if getattr(request, "limited", False):
        context["too_many"] = True
        return render(request, "documents/track.html", {"form": form, **context}, status=429)
    if form.is_valid():
        case = case_track(form.cleaned_data["reference"], form.cleaned_data["contact"])
        if case is not None and case.portal == PORTAL:
            remember_proof(request, case)
            return redirect("documents:order_detail", reference=case.reference)
        context["not_found"] = True
    return render(request, "documents/track.html", {"form": form, **context})


@ratelimit(key="ip", rate=TRACK_RATE, method="GET", block=False)
@require_GET
def track_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return render(request, "documents/track.html", {"form": TrackForm(), "too_many": True}, status=429)
    case = case_by_token(reference, token)
    if case is None or case.portal != PORTAL:
        return render(request, "documents/track.html", {"form": TrackForm(), "not_found": True}, status=404)
    remember_proof(request, case)
    return redirect("documents:order_detail", reference=case.reference)


@require_GET
def offices(request: HttpRequest) -> HttpResponse:
    """The offices that joined the service (the same list as the form's picker)."""
    return render(request, "documents/offices.html", {"offices": offices_joined().select_related("commune")})
