"""The agents' pages: who may open them (and who may not), the console's search, log and
filing for a caller, the callback queue, the log and the statistics with their CSV."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tawasul.cases.models import Case
from tawasul.catalog.tests.factories import make_procedure
from tawasul.complaints.tests.factories import main_subject
from tawasul.contact.models import Contact
from tawasul.contact.services import assistant_question_log, callback_request, contact_log
from tawasul.facilities.tests.factories import FacilityFactory
from tawasul.notifications.gateways import LoggingSmsGateway

pytestmark = pytest.mark.django_db

STAFF_PAGES = ("/fr/contact/console/", "/fr/contact/log/", "/fr/contact/statistics/")


def _status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("agent", {"console": 200, "log": 200, "statistics": 403}),
        ("supervisor", {"console": 403, "log": 200, "statistics": 200}),
        ("national", {"console": 403, "log": 403, "statistics": 200}),
        ("officer_x", {"console": 403, "log": 403, "statistics": 403}),
        ("head_x", {"console": 403, "log": 403, "statistics": 403}),
        ("citizen", {"console": 403, "log": 403, "statistics": 403}),
    ],
)
def test_who_opens_the_staff_pages(people, login, who, expected):
    client = login(getattr(people, who))
    got = {url.split("/")[3]: _status(client, url) for url in STAFF_PAGES}
    assert got == expected


def test_anonymous_is_sent_to_the_login_page(client):
    for url in (*STAFF_PAGES, "/fr/contact/console/complaint/?administration=x", "/fr/contact/statistics/export.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_officer_cannot_log_nor_file_through_the_console(people, login):
    client = login(people.officer_x)
    assert client.post("/fr/contact/console/log/", {"channel": "phone", "category": "other"}).status_code == 403
    assert client.post("/fr/contact/console/complaint/", {"administration": people.x.code}).status_code == 403
    assert not Contact.objects.exists() and not Case.objects.exists()


def test_console_searches_the_catalog_and_the_directory(people, login):
    procedure = make_procedure(title_ar="طلب جواز السفر", title_fr="Demande de passeport")
    facility = FacilityFactory(name_ar="ملحقة إدارية جواز", name_fr="Annexe passeport")
    client = login(people.agent)
    page = client.get("/fr/contact/console/", {"q": "passeport"}).content.decode()
    assert f"/fr/procedures/{procedure.code}/" in page or procedure.code in page
    assert f"facility={facility.pk}" in page
    # choosing a result fills the log form
    page = client.get("/fr/contact/console/", {"q": "passeport", "procedure": procedure.code}).content.decode()
    assert f'value="{procedure.code}"' in page


def test_agent_logs_a_contact_from_the_console(people, login):
    procedure = make_procedure()
    client = login(people.agent)
    response = client.post(
        "/fr/contact/console/log/",
        {
            "channel": "social",
            "category": "procedure_info",
            "language": "fr",
            "administration": people.x.code,
            "procedure": procedure.code,
            "note": "Documents du passeport.",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.channel, contact.procedure, contact.administration, contact.agent) == (
        "social",
        procedure,
        people.x,
        people.agent,
    )


def test_a_bad_log_keeps_what_was_typed(people, login):
    client = login(people.agent)
    response = client.post(
        "/fr/contact/console/log/",
        {"channel": "phone", "category": "", "language": "fr", "note": "Une note à garder", "procedure": "nope"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Une note à garder" in page and 'id="id_category_error"' in page and 'id="id_procedure_error"' in page
    assert not Contact.objects.exists()


def test_agent_files_a_complaint_for_a_caller(people, login, django_capture_on_commit_callbacks, run_tasks):
    LoggingSmsGateway.sent.clear()
    client = login(people.agent)
    form = client.get("/ar/contact/console/complaint/", {"administration": people.x.code})
    assert form.status_code == 200
    key = form.context["form"]["idempotency_key"].value()
    data = {
        "administration": people.x.code,
        "idempotency_key": key,
        "channel": "phone",
        "language": "ar",
        "kind": "complaint",
        "subject": str(main_subject().pk),
        "description": "لم أتوصل بشهادة السكنى رغم مرور شهر على الطلب.",
        "first_name": "Karim",
        "last_name": "Tazi",
        "complainant_type": "citizen",
        "id_type": "cin",
        "id_number": "ab123456",
        "phone": "0612345678",
        "email": "karim@example.ma",
        "consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ar/contact/console/complaint/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    case = Case.objects.get()
    assert response["Location"].endswith(f"/contact/console/complaint/{case.reference}/")
    assert case.channel == "phone_3737" and case.id_number == "AB123456"
    assert Contact.objects.get().complaint == case
    done = client.get(response["Location"]).content.decode()
    assert case.reference in done
    run_tasks()
    assert any(case.reference in m.body for m in mail.outbox)
    assert any(case.reference in body for _to, body in LoggingSmsGateway.sent)


def test_a_bad_complaint_for_a_caller_keeps_what_was_typed(people, login):
    client = login(people.agent)
    response = client.post(
        "/fr/contact/console/complaint/",
        {
            "administration": people.x.code,
            "channel": "phone",
            "language": "fr",
            "kind": "complaint",
            "description": "Trop court",
            "first_name": "Karim",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Karim" in page and "Trop court" in page and "error-summary" in page
    assert not Case.objects.exists()


def test_another_agent_sees_the_done_page_but_not_of_a_web_complaint(people, login):
    from tawasul.complaints.tests.factories import make_complaint

    web = make_complaint(people.x)
    client = login(people.agent2)
    assert client.get(f"/fr/contact/console/complaint/{web.reference}/").status_code == 404


def test_callback_queue_and_handling(people, login):
    waiting = callback_request(name="Fatima", phone="+212612345678", language="ar", note="سؤال حول البطاقة الوطنية")
    client = login(people.agent)
    page = client.get("/ar/contact/console/").content.decode()
    assert "+212612345678" in page and f"callback={waiting.pk}" in page
    page = client.get("/ar/contact/console/", {"callback": waiting.pk}).content.decode()
    assert "tw-callback-current" in page and f'value="{waiting.pk}"' in page
    response = client.post(
        "/ar/contact/console/log/",
        {"channel": "phone", "category": "general_guidance", "language": "ar", "callback": waiting.pk},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.callback_status == "done" and waiting.callback_phone == ""
    # the second agent's attempt is refused with a message
    response = login(people.agent2).post(
        "/ar/contact/console/log/", {"channel": "phone", "category": "other", "language": "ar", "callback": waiting.pk}
    )
    assert response.status_code == 400
    assert Contact.objects.filter(agent=people.agent2).count() == 0


def test_a_callback_past_its_promised_time_is_flagged_late_in_the_queue(people, login, settings):
    """R6: a written question is answered within 3 days (`CONTACT_CALLBACK_WITHIN_DAYS`)."""
    settings.CONTACT_CALLBACK_WITHIN_DAYS = 3
    with time_machine.travel(timezone.now() - timedelta(days=4)):
        old = callback_request(name="Fatima", phone="+212612345678", language="ar", note="سؤال")
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        recent = callback_request(name="Omar", phone="+212612345679", language="fr", note="question")
    page = login(people.agent).get("/fr/contact/console/").content.decode()
    assert f'data-late="{old.pk}"' in page and f'data-late="{recent.pk}"' not in page
    assert "En retard" in page

    settings.CONTACT_CALLBACK_WITHIN_DAYS = 5
    page = login(people.agent).get("/fr/contact/console/").content.decode()
    assert "data-late=" not in page


def test_log_lists_contacts_and_filters(people, login):
    contact_log(agent=people.agent, channel="phone", category="other", language="ar", note="اتصال أول")
    contact_log(agent=people.agent2, channel="email", category="thanks_remarks", language="fr", note="Merci")
    client = login(people.supervisor)
    page = client.get("/fr/contact/log/").content.decode()
    assert "اتصال أول" in page and "Merci" in page
    page = client.get("/fr/contact/log/", {"channel": "email"}).content.decode()
    assert "Merci" in page and "اتصال أول" not in page
    page = login(people.agent).get("/fr/contact/log/", {"mine": "on"}).content.decode()
    assert "اتصال أول" in page and "Merci" not in page


def test_statistics_count_by_category_channel_and_language(people, login):
    contact_log(agent=people.agent, channel="phone", category="general_guidance", language="ar")
    contact_log(agent=people.agent, channel="phone", category="general_guidance", language="zgh")
    contact_log(agent=people.agent, channel="email", category="procedure_info", language="fr")
    assistant_question_log(language="ar", category="procedure_info", answered=True)
    client = login(people.national)
    response = client.get("/fr/contact/statistics/", {"period": "day"})
    stats = response.context["stats"]
    assert stats["total"] == 4
    by = {row["value"]: row["count"] for row in stats["by_category"]}
    assert by["general_guidance"] == 2 and by["procedure_info"] == 2
    assert {row["value"]: row["count"] for row in stats["by_channel"]}["assistant"] == 1
    assert {row["value"]: row["count"] for row in stats["by_language"]}["zgh"] == 1
    assert stats["assistant_answered_percent"] == 100.0
    csv_response = client.get("/fr/contact/statistics/export.csv", {"period": "month"})
    body = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 1 + 4  # header + (phone,general,ar) (phone,general,zgh) (email,proc,fr) (assistant,proc,ar)
    rows = [line.split(",") for line in lines[1:]]
    assert [(r[1], r[3], r[5], r[7]) for r in rows if r[1] == "phone" and r[5] == "ar"] == [
        ("phone", "general_guidance", "ar", "1")
    ]


def test_statistics_form_refuses_an_inverted_period(people, login):
    response = login(people.national).get("/fr/contact/statistics/", {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()


def test_the_place_lists_refresh_without_javascript_and_keep_what_was_typed(people, login):
    from tawasul.registry.tests.factories import ProvinceFactory

    province = ProvinceFactory()
    region = province.region
    client = login(people.agent)
    response = client.post(
        "/fr/contact/console/complaint/",
        {"administration": people.x.code, "refresh": "1", "region": region.code, "description": "Texte gardé"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Texte gardé" in page and 'role="status"' in page
    assert f'value="{province.code}"' in page  # the provinces of the chosen region are offered
    assert not Case.objects.exists()


@pytest.mark.parametrize("lang", ["ar", "fr", "zgh", "en"])
def test_public_pages_render_in_every_language(client, lang):
    for url in ("", "assistant/", "assistant/callback/", "assistant/callback/sent/"):
        response = client.get(f"/{lang}/contact/{url}")
        assert response.status_code == 200, url
        assert 'href="tel:3737"' in response.content.decode() or url == "assistant/callback/"
    response = client.post(f"/{lang}/contact/assistant/", {"question": "كيف أتتبع شكايتي؟"})
    assert 'data-confident="yes"' in response.content.decode()
