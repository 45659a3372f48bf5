"""The assistant: answers from the FAQ and the catalog with a citation, Arabic with or without
diacritics, hands over when unsure, counts each question without keeping it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tawasul.catalog.tests.factories import make_procedure
from tawasul.contact.assistant import answer, content_words, words_match
from tawasul.contact.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def passport(db):
    return make_procedure(
        title_ar="طلب جواز السفر البيومتري",
        title_fr="Demande de passeport biométrique",
        summary_ar="الحصول على جواز السفر البيومتري للمواطنين المغاربة.",
        summary_fr="Obtenir le passeport biométrique pour les citoyens marocains.",
    )


@pytest.mark.parametrize(
    "question",
    [
        "كيف أتتبع شكايتي؟",
        "كَيْفَ أَتَتَبَّعُ شِكَايَتِي؟",  # with harakat
        "كيف اتتبع شكايتى",  # bare alef, alef maqsura for ya
        "Comment suivre ma réclamation ?",
        "comment suivre ma reclamation",  # without the accent
        "How do I track my complaint?",
    ],
)
def test_faq_question_is_answered_in_every_spelling(question):
    result = answer(question, language="ar")
    assert result.confident
    assert result.best.kind == "faq" and result.best.title == "كيف أتتبع شكايتي؟"
    with translation.override("ar"):  # the source is cited in the answer's language
        assert result.best.url == reverse("complaints:faq")
    assert result.category == "general_guidance"


def test_procedure_question_cites_the_procedure_page(passport):
    for question in ("كيف أحصل على جواز السفر؟", "كَيْفَ أَحْصُلُ عَلَى جَوَازِ السَّفَرِ", "passeport biometrique"):
        result = answer(question, language="fr")
        assert result.confident, question
        assert result.best.kind == "procedure"
        with translation.override("fr"):
            assert result.best.url == reverse("catalog:detail", kwargs={"code": passport.code})
        assert result.category == "procedure_info"


def test_unpublished_procedures_are_never_cited():
    draft = make_procedure(title_ar="رخصة الصيد البحري", title_fr="Permis de pêche maritime", status="draft")
    result = answer("permis de pêche maritime", language="fr")
    assert all(draft.code not in s.url for s in result.sources)


def test_unknown_question_is_not_answered_with_confidence(passport):
    result = answer("ما هو لون السماء اليوم؟", language="ar")
    assert not result.confident and result.best is None
    assert result.category == "other"


@pytest.mark.parametrize(
    ("question", "category"),
    [("أريد أن أشتكي: شكوى ضد موظف الجماعة", "complaint"), ("شكرا جزيلا على الخدمة", "thanks_remarks")],
)
def test_category_is_guessed_when_there_is_no_answer(question, category):
    assert answer(question, language="ar").category == category


def test_question_words_are_dropped_and_words_match_across_suffixes():
    assert content_words("كيف يمكنني الحصول على جواز السفر؟") == ["جواز", "السفر"]
    assert words_match("شكايتي", "شكايه")
    assert not words_match("شكرا", "شكايه")


# --- The pages ---------------------------------------------------------------------------------


def test_assistant_page_answers_with_a_link_to_its_source(client, passport):
    response = client.post("/ar/contact/assistant/", {"question": "كيف أحصل على جواز السفر؟"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-confident="yes"' in page
    with translation.override("ar"):
        assert f'href="{reverse("catalog:detail", kwargs={"code": passport.code})}"' in page
    # the question is counted for the statistics, nothing of it is kept
    contact = Contact.objects.get()
    assert (contact.channel, contact.category, contact.answered, contact.note) == (
        "assistant",
        "procedure_info",
        True,
        "",
    )


def test_assistant_hands_over_on_an_unknown_question(client):
    response = client.post("/fr/contact/assistant/", {"question": "Quelle est la couleur du ciel ?"})
    page = response.content.decode()
    assert 'data-confident="no"' in page and "tw-not-sure" in page
    assert 'href="/fr/complaints/file/"' in page
    assert 'href="tel:3737"' in page
    assert 'href="/fr/contact/assistant/callback/"' in page
    assert Contact.objects.get().answered is False


def test_empty_question_is_refused_with_a_message(client):
    response = client.post("/fr/contact/assistant/", {"question": ""})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Contact.objects.exists()


def test_assistant_is_rate_limited(client, settings):
    settings.PUBLIC_FORM_RATE_LIMITS = {**settings.PUBLIC_FORM_RATE_LIMITS, "contact:assistant": "2/h"}
    for _ in range(2):
        assert client.post("/ar/contact/assistant/", {"question": "كيف أتتبع شكايتي"}).status_code == 200
    response = client.post("/ar/contact/assistant/", {"question": "كيف أتتبع شكايتي"})
    assert response.status_code == 429 and response.has_header("Retry-After")
    assert Contact.objects.count() == 2


def test_callback_request_joins_the_queue(client):
    response = client.post(
        "/ar/contact/assistant/callback/",
        {"name": "فاطمة", "phone": "0612345678", "language": "ar", "note": "سؤال حول شهادة السكنى", "consent": "on"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/contact/assistant/callback/sent/")
    waiting = Contact.objects.get()
    assert (waiting.channel, waiting.callback_status, waiting.callback_phone) == (
        "assistant",
        "waiting",
        "+212612345678",
    )


def test_callback_with_a_bad_phone_keeps_what_was_typed(client):
    response = client.post(
        "/fr/contact/assistant/callback/",
        {
            "name": "Fatima Zahra",
            "phone": "12",
            "language": "fr",
            "note": "Question sur le certificat",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fatima Zahra" in page and "Question sur le certificat" in page
    assert 'id="id_phone_error"' in page
    assert not Contact.objects.exists()


def test_callback_honeypot_stores_nothing(client):
    response = client.post(
        "/fr/contact/assistant/callback/",
        {"name": "Bot", "phone": "0612345678", "note": "buy cheap things now", "consent": "on", "website": "x"},
    )
    assert response.status_code == 400 and not Contact.objects.exists()
