"""The CMI card gateway (Centre Monétique Interbancaire, Morocco), "3D_PAY_HOSTING" mode
(docs/adr/0040-cmi-card-gateway.md).

The protocol, from the CMI's public merchant integration kit (PHP pages `payment`, `callback`,
`ok-fail`):

1. The merchant's page POSTs a form to the gateway (`CMI_GATEWAY_URL`, ".../fim/est3Dgate"):
   clientid, amount ("40.00"), oid (unique per attempt), okUrl, failUrl, callbackUrl, shopurl,
   TranType "PreAuth", currency "504" (MAD), rnd, storetype "3D_PAY_HOSTING", hashAlgorithm
   "ver3", lang, encoding "UTF-8", email, BillToName and HASH (`hash_ver3`).
2. The payer types the card on the CMI's page. The CMI then calls `callbackUrl` server to server
   (form-encoded POST: the same kind of fields, ProcReturnCode, TransId, Response, HASH). The
   merchant checks the HASH, finds the order by oid, checks the amount; "00" is an accepted
   payment, answered "ACTION=POSTAUTH" (capture); anything else is a refusal, answered "APPROVED"
   (acknowledged; the CMI may send refusals then an acceptance for the same oid: the payer tried
   again); a problem is answered "FAILURE".
3. The payer's browser comes back to okUrl or failUrl: no proof of anything (only the callback
   confirms), so those pages only say where things stand.

Here: `CmiPaymentGateway` (payments.py) sends the payer to our page holding the signed form
(`payment_form`); `callback_answer` is the callback's whole logic; the views stay thin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import logging
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cmp_to_key
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from tawasul.cases.services import CaseActionRefused

from .models import Payment
from .payments import CmiPaymentGateway, get_payment_gateway
from .services import payment_confirm

__all__ = [
    "ACCEPTED",
    "ANSWER_ACKNOWLEDGED",
    "ANSWER_CAPTURE",
    "ANSWER_FAILURE",
    "TEST_GATEWAY_URL",
    "callback_answer",
    "check_cmi_settings",
    "check_cmi_test_platform",
    "cmi_selected",
    "gateway_origin",
    "hash_plaintext",
    "hash_ver3",
    "payment_form",
    "signature_valid",
]

logger = logging.getLogger(__name__)

#: The CMI's test platform (the default of `CMI_GATEWAY_URL`; production is given with the contract).
TEST_GATEWAY_URL = "https://testpayment.cmi.co.ma/fim/est3Dgate"
#: ProcReturnCode of an accepted payment.
ACCEPTED = "00"
#: ISO 4217 numeric code of the Moroccan dirham.
CURRENCY_MAD = "504"
#: The callback's answers (plain text).
ANSWER_CAPTURE = "ACTION=POSTAUTH"  # accepted and paid here: the CMI debits the card
ANSWER_ACKNOWLEDGED = "APPROVED"  # received, nothing to capture (a refusal, or a payment not taken)
ANSWER_FAILURE = "FAILURE"  # bad signature, unknown order, wrong amount
#: Parameters left out of the hash (compared case-insensitively).
_NOT_HASHED = frozenset({"hash", "encoding"})
#: The languages of the CMI's page; Amazigh readers get the Arabic page (the platform's default).
_CMI_LANGUAGES = {"ar": "ar", "fr": "fr", "en": "en"}


# --- The hash ("ver3") ----------------------------------------------------------------------------


def _natural_compare(a: str, b: str) -> int:
    """PHP's `strnatcasecmp`, which the kit's `natcasesort` uses: characters compared upper-cased
    one by one, except that runs of digits compare as numbers ("Item2" < "Item12"); a run
    starting with 0 compares digit by digit, as PHP does."""
    i = j = 0
    while True:
        ca = a[i] if i < len(a) else ""
        cb = b[j] if j < len(b) else ""
        if ca.isascii() and ca.isdigit() and cb.isascii() and cb.isdigit():
            end_a, end_b = i, j
            while end_a < len(a) and a[end_a].isascii() and a[end_a].isdigit():
                end_a += 1
            while end_b < len(b) and b[end_b].isascii() and b[end_b].isdigit():
                end_b += 1
            run_a, run_b = a[i:end_a], b[j:end_b]
            key_a, key_b = (run_a, run_b) if "0" in (ca, cb) else ((len(run_a), run_a), (len(run_b), run_b))
            if key_a != key_b:
                return -1 if key_a < key_b else 1
            i, j = end_a, end_b
            continue
        if not ca and not cb:
            return 0
        ca, cb = ca.upper(), cb.upper()
        if ca != cb:
            return -1 if ca < cb else 1
        i, j = i + 1, j + 1


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def hash_plaintext(fields: Mapping[str, str], store_key: str) -> str:
    """The text the "ver3" hash digests: the values of every parameter but "hash" and "encoding"
    (names compared case-insensitively), in the natural case-insensitive order of their names,
    each escaped (backslash → two backslashes, "|" → backslash + "|") and followed by "|"; then
    the escaped store key. Parameters of the same name but for case keep their given order."""
    names = sorted((name for name in fields if name.lower() not in _NOT_HASHED), key=cmp_to_key(_natural_compare))
    return "".join(_escape(str(fields[name])) + "|" for name in names) + _escape(store_key)


def hash_ver3(fields: Mapping[str, str], store_key: str) -> str:
    """The CMI's "ver3" HASH of a form or a callback: base64 of the raw SHA-512 digest of
    `hash_plaintext` (UTF-8). The CMI merchant kit: `base64_encode(pack('H*', hash('sha512',
    $hashval)))`."""
    digest = hashlib.sha512(hash_plaintext(fields, store_key).encode()).digest()
    return base64.b64encode(digest).decode("ascii")


def _kit_normalized(fields: Mapping[str, str]) -> dict[str, str]:
    """The values as the kit's callback page reads them before hashing: a final newline dropped,
    HTML entities decoded, surrounding spaces trimmed."""
    return {name: html.unescape(str(value).removesuffix("\n")).strip() for name, value in fields.items()}


def signature_valid(fields: Mapping[str, str], store_key: str) -> bool:
    """Whether the HASH posted with `fields` is the one the store key gives (compared in constant
    time), on the values as posted or as the kit reads them. An empty store key signs nothing."""
    received = next((str(value) for name, value in fields.items() if name.lower() == "hash"), "")
    if not store_key or not received:
        return False
    valid = False
    for candidate in (fields, _kit_normalized(fields)):
        valid |= hmac.compare_digest(hash_ver3(candidate, store_key).encode(), received.encode())
    return valid


# --- The form to the gateway ------------------------------------------------------------------------


def cmi_selected() -> bool:
    return isinstance(get_payment_gateway(), CmiPaymentGateway)


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def payment_form(payment: Payment, *, request) -> dict[str, str]:
    """The fields of the form our page posts to the gateway for this attempt, HASH last. The oid is
    the attempt's token (unique, 43 URL-safe characters; the CMI takes up to 64): an order may
    have several attempts. The return addresses are absolute, in the page's language."""
    case = payment.order.case
    language = (get_language() or "ar").split("-")[0]

    def url(name: str, *args) -> str:
        return request.build_absolute_uri(reverse(name, args=args))

    fields = {
        "clientid": settings.CMI_CLIENT_ID,
        "amount": _amount(payment.amount),
        "oid": payment.token,
        "okUrl": url("documents:cmi_ok", payment.token),
        "failUrl": url("documents:cmi_fail", payment.token),
        "callbackUrl": url("documents:cmi_callback"),
        "shopurl": url("documents:order_detail", case.reference),
        "TranType": "PreAuth",
        "currency": CURRENCY_MAD,
        "rnd": secrets.token_hex(10),
        "storetype": "3D_PAY_HOSTING",
        "hashAlgorithm": "ver3",
        "lang": _CMI_LANGUAGES.get(language, "ar"),
        "encoding": "UTF-8",
        "email": case.email,
        "BillToName": payment.order.recipient_name,
    }
    fields = {name: str(value).strip() for name, value in fields.items()}  # the kit trims what it posts
    fields["HASH"] = hash_ver3(fields, settings.CMI_STORE_KEY)
    return fields


def gateway_origin() -> str:
    parts = urlsplit(settings.CMI_GATEWAY_URL)
    return f"{parts.scheme}://{parts.netloc}"


# --- The callback -----------------------------------------------------------------------------------


def callback_answer(fields: Mapping[str, str]) -> str:
    """The CMI's server-to-server callback: check, record, and the plain-text answer. Idempotent
    (the CMI retries): an accepted payment already recorded gets the same answer again and
    changes nothing (`payment_confirm`). A refusal is only logged: the attempt stays pending (the
    payer may try again on the CMI's page with the same oid), and `Payment` has no field for it.
    An attempt accepted for an order already paid or cancelled is marked `duplicate` and not
    captured ("APPROVED"): its authorisation is voided in the CMI merchant center."""
    if not signature_valid(fields, settings.CMI_STORE_KEY):
        logger.warning("CMI callback refused: bad or missing HASH")
        return ANSWER_FAILURE
    payment = Payment.objects.filter(token=str(fields.get("oid", ""))).first()
    if payment is None:
        logger.warning("CMI callback refused: no payment attempt has this oid")
        return ANSWER_FAILURE
    code = str(fields.get("ProcReturnCode", ""))
    if code != ACCEPTED:
        logger.info(
            "CMI refused payment %s: ProcReturnCode=%r Response=%r ErrMsg=%r",
            payment.pk,
            code,
            fields.get("Response", ""),
            fields.get("ErrMsg", ""),
        )
        return ANSWER_ACKNOWLEDGED
    try:
        amount = Decimal(str(fields.get("amount", "")))
    except InvalidOperation:
        amount = None
    currency = str(fields.get("currency", CURRENCY_MAD))
    if amount is None or amount != payment.amount or currency != CURRENCY_MAD:
        logger.error(
            "CMI callback for payment %s: amount %r %s, expected %s", payment.pk, amount, currency, payment.amount
        )
        return ANSWER_FAILURE
    try:
        payment = payment_confirm(token=payment.token, provider_reference=str(fields.get("TransId", "")), amount=amount)
    except (ValidationError, CaseActionRefused) as error:
        logger.error("CMI callback for payment %s not recorded: %s", payment.pk, error)
        return ANSWER_FAILURE
    if payment.status == Payment.Status.CONFIRMED:
        return ANSWER_CAPTURE
    logger.warning("CMI accepted payment %s for an order already paid or cancelled: not captured", payment.pk)
    return ANSWER_ACKNOWLEDGED


# --- System checks ----------------------------------------------------------------------------------


def _cmi_configured_class() -> bool:
    try:
        gateway = import_string(settings.DOCUMENTS_PAYMENT_GATEWAY)
    except ImportError:
        return False
    return isinstance(gateway, type) and issubclass(gateway, CmiPaymentGateway)


@register(Tags.compatibility)
def check_cmi_settings(app_configs=None, **kwargs):
    """The CMI gateway selected without its merchant credentials would send payers to a page that
    refuses them, and would accept no callback."""
    if not _cmi_configured_class():
        return []
    errors = []
    for name, where in (("CMI_CLIENT_ID", "CMI_CLIENT_ID"), ("CMI_STORE_KEY", "CMI_STORE_KEY or CMI_STORE_KEY_FILE")):
        if not getattr(settings, name, ""):
            errors.append(
                Error(
                    f"DOCUMENTS_PAYMENT_GATEWAY is the CMI gateway but {name} is empty.",
                    hint=f"Set {where} to the value the CMI gave with the merchant contract "
                    "(docs/operations/deployment.md).",
                    id="documents.E001",
                )
            )
    if urlsplit(getattr(settings, "CMI_GATEWAY_URL", "")).scheme != "https":
        errors.append(
            Error(
                "CMI_GATEWAY_URL is not an https address.",
                hint=f"The CMI's test platform is {TEST_GATEWAY_URL}; production's comes with the contract.",
                id="documents.E002",
            )
        )
    return errors


@register(Tags.compatibility, deploy=True)
def check_cmi_test_platform(app_configs=None, **kwargs):
    """In production, the CMI's test platform takes no money: a deployment that forgot to switch."""
    if settings.DEBUG or not _cmi_configured_class() or settings.CMI_GATEWAY_URL != TEST_GATEWAY_URL:
        return []
    return [
        Warning(
            "The CMI gateway points at the CMI's test platform: no card is charged.",
            hint="Set CMI_GATEWAY_URL to the production address given with the merchant contract.",
            id="documents.W001",
        )
    ]
