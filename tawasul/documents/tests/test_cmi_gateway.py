"""The CMI card gateway (docs/adr/0040-cmi-card-gateway.md): the "ver3" hash against a vector
computed outside Python, the signed form of our page (which works without JavaScript), the
CMI's server-to-server callback (accepted, replayed, tampered, refused), the payer's return pages
that prove nothing, and the system check of the merchant credentials."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from tawasul.cases.models import CaseEvent
from tawasul.documents import cmi
from tawasul.documents.models import Payment
from tawasul.documents.services import payment_start

from .factories import make_order

pytestmark = pytest.mark.django_db

STORE_KEY = "TEST|key\\1234"
CLIENT_ID = "600000000"
CMI_GATEWAY = "tawasul.documents.payments.CmiPaymentGateway"


@pytest.fixture
def cmi_settings(settings):
    settings.DOCUMENTS_PAYMENT_GATEWAY = CMI_GATEWAY
    settings.CMI_CLIENT_ID = CLIENT_ID
    settings.CMI_STORE_KEY = STORE_KEY
    settings.CMI_GATEWAY_URL = cmi.TEST_GATEWAY_URL
    return settings


def cmi_sign(fields: dict[str, str], store_key: str = STORE_KEY) -> str:
    """The CMI's side, written apart from the code under test: values of the names (none has a
    digit) in case-insensitive order, escaped, "|"-joined, the store key last; SHA-512; base64."""

    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace("|", "\\|")

    names = sorted((n for n in fields if n.lower() not in ("hash", "encoding")), key=str.lower)
    text = "".join(escape(fields[n]) + "|" for n in names) + escape(store_key)
    return base64.b64encode(hashlib.sha512(text.encode("utf-8")).digest()).decode()


def callback_fields(payment: Payment, *, code: str = "00", amount: str | None = None, **extra) -> dict[str, str]:
    """What the CMI posts to callbackUrl, signed as it signs it."""
    fields = {
        "clientid": CLIENT_ID,
        "oid": payment.token,
        "amount": amount if amount is not None else f"{payment.amount:.2f}",
        "currency": "504",
        "TranType": "PreAuth",
        "ProcReturnCode": code,
        "Response": "Approved" if code == "00" else "Declined",
        "TransId": "25340KXYZ1234",
        "AuthCode": "123456" if code == "00" else "",
        "mdStatus": "1",
        "rnd": "f3c1a2b4d5e6",
        "storetype": "3D_PAY_HOSTING",
        "hashAlgorithm": "ver3",
        "encoding": "UTF-8",
        **extra,
    }
    fields["HASH"] = cmi_sign(fields)
    return fields


def post_callback(fields: dict[str, str], language: str = "fr"):
    return Client().post(f"/{language}/documents/pay/cmi/callback/", fields)


def _hidden_inputs(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    }


# --- The hash -------------------------------------------------------------------------------------


def test_the_hash_matches_a_vector_computed_by_hand():
    """The vector: names out of order and in mixed case, digits in names (natural order: Item2
    before Item12), "|" and "\\" in a value and in the store key, Arabic (UTF-8), and the two
    parameters left out (HASH, encoding). The plain text below was written by hand from the rules;
    the expected value was computed outside Python:
        printf '%s' '40.00|أمينة\\\\A|600000000|y|x|T\\|1|r2|k\\|ey\\\\' | openssl dgst -sha512 -binary | base64 -w0
    """
    fields = {
        "clientid": "600000000",
        "amount": "40.00",
        "Item12": "x",
        "oid": "T|1",
        "BillToName": "أمينة\\A",
        "Item2": "y",
        "rnd": "r2",
        "encoding": "UTF-8",
        "HASH": "not hashed",
    }
    store_key = "k|ey\\"
    assert cmi.hash_plaintext(fields, store_key) == "40.00|أمينة\\\\A|600000000|y|x|T\\|1|r2|k\\|ey\\\\"
    expected = "ekkbNAGOnU6189FC5GxTve6GqPt2Oxr2Rbtl72KDrlHqXR2Qq7wTPqqTdRNvn6CL2qj+xgkZylNvvffnF5GZjg=="
    assert cmi.hash_ver3(fields, store_key) == expected
    assert cmi.signature_valid({**fields, "HASH": expected}, store_key)
    assert not cmi.signature_valid({**fields, "HASH": expected}, "another key")
    assert not cmi.signature_valid({**fields, "HASH": expected}, "")  # no store key signs nothing


def test_names_sort_naturally_and_case_insensitively():
    names = ["rnd", "Item12", "amount", "item2", "BillToName", "EXTRA.TRXDATE", "ErrMsg", "oid", "a01", "a1"]
    fields = {name: name for name in names}
    order = cmi.hash_plaintext(fields, "").split("|")[:-1]
    assert order == ["a01", "a1", "amount", "BillToName", "ErrMsg", "EXTRA.TRXDATE", "item2", "Item12", "oid", "rnd"]


# --- Our page before the CMI's ---------------------------------------------------------------------


def test_the_pay_button_leads_to_our_page_with_the_signed_form(cmi_settings, client):
    case = make_order(language="fr")
    client.get(f"/fr/documents/track/{case.reference}/{case.tracking_token}/")  # the proof, in the session
    response = client.post(f"/fr/documents/order/{case.reference}/pay/")
    payment = Payment.objects.get(order=case.document_order)
    assert response.status_code == 302 and response.url == f"/fr/documents/pay/cmi/{payment.token}/"
    page = client.get(response.url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    content = page.content.decode()
    fields = _hidden_inputs(content)
    base = f"http://testserver/fr/documents/pay/cmi/{payment.token}"
    assert {k: v for k, v in fields.items() if k not in ("rnd", "HASH")} == {
        "clientid": CLIENT_ID,
        "amount": "25.00",  # 20 + 1 × 5 + 0
        "oid": payment.token,
        "okUrl": f"{base}/ok/",
        "failUrl": f"{base}/fail/",
        "callbackUrl": "http://testserver/fr/documents/pay/cmi/callback/",
        "shopurl": f"http://testserver/fr/documents/order/{case.reference}/",
        "TranType": "PreAuth",
        "currency": "504",
        "storetype": "3D_PAY_HOSTING",
        "hashAlgorithm": "ver3",
        "lang": "fr",
        "encoding": "UTF-8",
        "email": case.email,
        "BillToName": "Amina Alaoui",
    }
    assert re.fullmatch(r"[0-9a-f]{20}", fields["rnd"])
    assert fields["HASH"] == cmi_sign(fields)  # as the CMI will check it
    # Without JavaScript: the form goes to the CMI with its own visible button; no CSRF token leaves.
    assert f'<form method="post" action="{cmi.TEST_GATEWAY_URL}"' in content
    assert re.search(r'<button type="submit"[^>]*>[^<]+</button>\s*</form>', content)
    assert "csrfmiddlewaretoken" not in content
    # With JavaScript: our own script (nonce'd) sends it; the CSP lets the form go to the CMI only.
    nonce = re.search(r'<script src="[^"]*documents-autosubmit[^"]*" nonce="([^"]+)" defer>', content).group(1)
    policy = page["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" in policy
    assert "form-action 'self' https://testpayment.cmi.co.ma" in policy


def test_each_visit_signs_a_fresh_form_and_the_languages_map(cmi_settings):
    payment = payment_start(case=make_order())
    first = _hidden_inputs(Client().get(f"/ar/documents/pay/cmi/{payment.token}/").content.decode())
    second = _hidden_inputs(Client().get(f"/zgh/documents/pay/cmi/{payment.token}/").content.decode())
    assert first["lang"] == "ar" and second["lang"] == "ar"  # the CMI's page has no Amazigh: Arabic
    assert first["rnd"] != second["rnd"] and first["HASH"] != second["HASH"]
    assert first["oid"] == second["oid"] == payment.token


def test_a_paid_order_does_not_show_the_form_again(cmi_settings):
    payment = payment_start(case=make_order())
    post_callback(callback_fields(payment))
    client = Client()
    response = client.get(f"/en/documents/pay/cmi/{payment.token}/", follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/documents/order/{payment.order.case.reference}/")
    assert "This order does not wait for a payment." in response.content.decode()
    assert "est3Dgate" not in response.content.decode()


def test_the_api_gives_the_cmi_page_which_opens_without_a_session(cmi_settings):
    from rest_framework.test import APIClient

    from .factories import make_office, order_fields

    fields = order_fields(email="amina@example.ma")
    fields.pop("language")
    body = {**fields, "office": make_office().code, "holder_birth_date": "1990-05-17"}
    answer = APIClient().post("/api/v1/documents/orders/", body, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 201, answer.content
    data = answer.json()
    payment = Payment.objects.get(order__case__reference=data["reference"])
    assert data["payment_is_demo"] is False
    assert data["payment_url"] == f"http://testserver/fr/documents/pay/cmi/{payment.token}/"
    page = Client().get(data["payment_url"].removeprefix("http://testserver"))  # the app opens a browser
    assert page.status_code == 200 and _hidden_inputs(page.content.decode())["oid"] == payment.token


def test_the_pages_exist_only_with_the_cmi_gateway(settings):
    payment = payment_start(case=make_order())
    client = Client()
    for path in ("", "ok/", "fail/"):
        assert client.get(f"/fr/documents/pay/cmi/{payment.token}/{path}").status_code == 404
    assert client.post("/fr/documents/pay/cmi/callback/", callback_fields(payment)).status_code == 404
    settings.DOCUMENTS_PAYMENT_GATEWAY = CMI_GATEWAY
    assert client.get(f"/fr/documents/pay/demo/{payment.token}/").status_code == 404  # and the demo's is gone
    assert client.get("/fr/documents/pay/cmi/no-such-token/").status_code == 404


# --- The callback ----------------------------------------------------------------------------------


def test_an_accepted_payment_pays_the_order_and_is_captured(cmi_settings):
    case = make_order()
    payment = payment_start(case=case)
    response = post_callback(callback_fields(payment))
    assert response.status_code == 200 and response.content == b"ACTION=POSTAUTH"
    assert response["Content-Type"].startswith("text/plain")
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies  # no session
    payment.refresh_from_db()
    case.refresh_from_db()
    assert payment.status == Payment.Status.CONFIRMED and payment.provider_reference == "25340KXYZ1234"
    assert case.status == "transmitted" and case.document_order.paid_at is not None


def test_a_replayed_callback_changes_nothing_and_gets_the_same_answer(cmi_settings):
    case = make_order()
    payment = payment_start(case=case)
    fields = callback_fields(payment)
    assert post_callback(fields).content == b"ACTION=POSTAUTH"
    events = CaseEvent.objects.filter(case=case).count()
    assert post_callback(fields).content == b"ACTION=POSTAUTH"
    assert post_callback(fields, language="ar").content == b"ACTION=POSTAUTH"
    assert CaseEvent.objects.filter(case=case).count() == events
    assert Payment.objects.filter(order=case.document_order, status="confirmed").count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda f, p: {**f, "amount": "1.00"}, id="amount changed after signing"),
        pytest.param(lambda f, p: {**f, "oid": payment_start(case=p.order.case).token}, id="oid of another attempt"),
        pytest.param(lambda f, p: {**f, "ProcReturnCode": "00", "HASH": f["HASH"][:-4] + "AAA="}, id="hash changed"),
        pytest.param(lambda f, p: {k: v for k, v in f.items() if k != "HASH"}, id="no hash"),
        pytest.param(lambda f, p: {**f, "HASH": cmi_sign(f, "not the store key")}, id="signed with another key"),
        pytest.param(lambda f, p: callback_fields(p, amount="1.00"), id="signed but the amount is wrong"),
        pytest.param(lambda f, p: callback_fields(p, currency="978"), id="signed but in euros"),
        pytest.param(lambda f, p: callback_fields(p, oid="no-such-attempt"), id="signed but unknown oid"),
    ],
)
def test_a_tampered_or_wrong_callback_fails_and_pays_nothing(cmi_settings, tamper):
    case = make_order()
    payment = payment_start(case=case)
    response = post_callback(tamper(callback_fields(payment), payment))
    assert response.status_code == 200 and response.content == b"FAILURE"
    case.refresh_from_db()
    assert case.status == "awaiting_payment" and case.document_order.paid_at is None
    assert not Payment.objects.filter(order=case.document_order).exclude(status="pending").exists()


def test_without_a_store_key_no_callback_is_believed(cmi_settings):
    cmi_settings.CMI_STORE_KEY = ""
    payment = payment_start(case=make_order())
    fields = callback_fields(payment)
    fields["HASH"] = cmi_sign(fields, "")
    assert post_callback(fields).content == b"FAILURE"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_a_refused_card_is_acknowledged_and_the_payer_may_try_again(cmi_settings):
    case = make_order()
    payment = payment_start(case=case)
    refused = callback_fields(payment, code="05", ErrMsg="Declined")
    assert post_callback(refused).content == b"APPROVED"
    assert post_callback(refused).content == b"APPROVED"  # retried by the CMI: the same
    case.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and case.status == "awaiting_payment"
    assert case.document_order.paid_at is None
    # The payer tries again on the CMI's page (same oid): accepted this time.
    assert post_callback(callback_fields(payment)).content == b"ACTION=POSTAUTH"
    case.refresh_from_db()
    assert case.status == "transmitted"
    # A late refusal of the same oid changes nothing.
    assert post_callback(refused).content == b"APPROVED"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CONFIRMED


def test_a_callback_without_a_return_code_is_a_refusal(cmi_settings):
    payment = payment_start(case=make_order())
    fields = callback_fields(payment)
    del fields["ProcReturnCode"]
    fields["HASH"] = cmi_sign(fields)
    assert post_callback(fields).content == b"APPROVED"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_a_card_accepted_for_an_order_already_paid_is_not_captured(cmi_settings):
    case = make_order()
    first, second = payment_start(case=case), payment_start(case=case)
    assert post_callback(callback_fields(first)).content == b"ACTION=POSTAUTH"
    assert post_callback(callback_fields(second)).content == b"APPROVED"
    assert post_callback(callback_fields(second)).content == b"APPROVED"
    second.refresh_from_db()
    assert second.status == Payment.Status.DUPLICATE
    assert Payment.objects.filter(order=case.document_order, status="confirmed").count() == 1


def test_the_callback_takes_only_posts(cmi_settings):
    assert Client().get("/fr/documents/pay/cmi/callback/").status_code == 405


def test_values_as_the_kit_reads_them_are_accepted(cmi_settings):
    """The kit's callback page drops a final newline and decodes HTML entities before hashing."""
    payment = payment_start(case=make_order())
    fields = callback_fields(payment, ErrMsg="Approuvé & payé")
    posted = {**fields, "ErrMsg": "Approuvé &amp; payé\n"}
    assert post_callback(posted).content == b"ACTION=POSTAUTH"


# --- The payer's return pages ---------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["ok", "fail"])
def test_the_return_pages_mark_nothing_paid(cmi_settings, outcome):
    case = make_order()
    payment = payment_start(case=case)
    client = Client()
    url = f"/en/documents/pay/cmi/{payment.token}/{outcome}/"
    # The CMI's POST (cross-site: no session cookie) is only sent on as a GET to the same address.
    posted = client.post(url, callback_fields(payment))
    assert posted.status_code == 303 and posted["Location"] == url
    assert "sessionid" not in posted.cookies
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/documents/order/{case.reference}/"
    page = response.content.decode()
    message = (
        "The bank is confirming your payment: this page will show when it is received."
        if outcome == "ok"
        else "The payment did not go through: no money was taken. You can try again."
    )
    assert html.escape(message) in page or message in page
    case.refresh_from_db()
    payment.refresh_from_db()
    assert case.status == "awaiting_payment" and payment.status == Payment.Status.PENDING
    assert case.document_order.paid_at is None


def test_the_return_page_after_the_callback_says_paid(cmi_settings):
    case = make_order()
    payment = payment_start(case=case)
    post_callback(callback_fields(payment))  # the CMI calls back before sending the payer back
    response = Client().get(f"/en/documents/pay/cmi/{payment.token}/ok/", follow=True)
    assert "Payment received. Your order was sent to the civil-status office." in response.content.decode()


# --- Settings and checks --------------------------------------------------------------------------


def test_the_check_refuses_the_cmi_gateway_without_its_credentials(settings):
    settings.DOCUMENTS_PAYMENT_GATEWAY = CMI_GATEWAY
    settings.CMI_CLIENT_ID = ""
    settings.CMI_STORE_KEY = ""
    ids = {error.id for error in cmi.check_cmi_settings()}
    assert ids == {"documents.E001"} and len(cmi.check_cmi_settings()) == 2
    with pytest.raises(SystemCheckError, match="CMI_STORE_KEY"):
        call_command("check")
    settings.CMI_CLIENT_ID, settings.CMI_STORE_KEY = CLIENT_ID, STORE_KEY
    assert cmi.check_cmi_settings() == []
    settings.CMI_GATEWAY_URL = "http://testpayment.cmi.co.ma/fim/est3Dgate"
    assert [error.id for error in cmi.check_cmi_settings()] == ["documents.E002"]
    settings.DOCUMENTS_PAYMENT_GATEWAY = "tawasul.documents.payments.DemoPaymentGateway"
    assert cmi.check_cmi_settings() == []


def test_the_deploy_check_warns_on_the_test_platform(cmi_settings):
    cmi_settings.DEBUG = False
    assert [w.id for w in cmi.check_cmi_test_platform()] == ["documents.W001"]
    cmi_settings.CMI_GATEWAY_URL = "https://payment.cmi.co.ma/fim/est3Dgate"
    assert cmi.check_cmi_test_platform() == []


def test_the_store_key_can_come_from_a_file(tmp_path, monkeypatch):
    from config.settings import env_secret

    path = tmp_path / "cmi_store_key"
    path.write_text("from|the\\file\n")
    monkeypatch.setenv("CMI_STORE_KEY", "from the environment")
    monkeypatch.setenv("CMI_STORE_KEY_FILE", str(path))
    assert env_secret("CMI_STORE_KEY") == "from|the\\file"


def test_amounts_are_sent_with_two_decimals():
    assert cmi._amount(Decimal("40")) == "40.00" and cmi._amount(Decimal("5.5")) == "5.50"
