"""The visitor's satisfaction survey: validation, anonymity, defences against ballot stuffing,
rate limit, and results hidden under the minimum, per site and per administration."""

import datetime as dt
import re
import time

import pytest

from tawasul.accounts.roles import Role
from tawasul.cases.tests.factories import make_staff
from tawasul.reception import rules
from tawasul.reception.models import SurveyAnswer
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_answers, make_site

pytestmark = pytest.mark.django_db

MARKS = {"welcome": "5", "orientation": "4", "waiting": "2", "clarity": "4", "overall": "4"}


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def site():
    return make_site(name_fr="Guichet unique de Salé")


def _ticket(site, age=10):
    return rules.issue_ticket(site.code, now=time.time() - age)


def _post(client, site, lang="ar", remote_addr="127.0.0.1", **data):
    payload = {"ticket": _ticket(site), "channel": "qr", **MARKS, **data}
    return client.post(f"/{lang}/reception/survey/{site.code}/", payload, REMOTE_ADDR=remote_addr)


def test_the_form_shows_five_questions_and_a_ticket(client, site):
    page = client.get(f"/ar/reception/survey/{site.code}/?via=qr").content.decode()
    for name in rules.QUESTION_FIELDS:
        assert page.count(f'name="{name}"') == 5
    assert 'name="ticket"' in page and 'value="qr"' in page
    assert 'name="website"' in page  # the honeypot


def test_the_form_is_never_cached(client, site):
    response = client.get(f"/ar/reception/survey/{site.code}/")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_an_answer_is_stored_without_personal_data(client, site):
    response = _post(client, site, comment="Accueil parfait, appelez-moi au 0612345678", remote_addr="10.1.2.3")
    assert response.status_code == 302
    assert response.url.endswith(f"/reception/survey/{site.code}/thanks/?via=qr")
    answer = SurveyAnswer.objects.get()
    assert (answer.welcome, answer.waiting, answer.overall, answer.channel) == (5, 2, 4, "qr")
    assert answer.language == "ar"
    assert "0612345678" not in answer.comment and "Accueil parfait" in answer.comment
    stored = " ".join(str(getattr(answer, f.attname)) for f in SurveyAnswer._meta.concrete_fields)
    assert "10.1.2.3" not in stored
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("lang", ["ar", "fr", "zgh", "en"])
def test_the_survey_answers_in_every_language(client, site, lang):
    assert client.get(f"/{lang}/reception/survey/{site.code}/").status_code == 200
    assert _post(client, site, lang=lang).status_code == 302
    assert SurveyAnswer.objects.get().language == lang


def test_a_missing_mark_is_refused_and_the_rest_is_kept(client, site):
    response = _post(client, site, lang="fr", waiting="", comment="Très bien reçu")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Très bien reçu" in page
    assert re.search(r'name="welcome" value="5"[^>]*checked', page)
    assert "error-summary" in page
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize("bad", ["0", "6", "x", "3.5"])
def test_marks_out_of_the_scale_are_refused(client, site, bad):
    assert _post(client, site, overall=bad).status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_a_too_long_comment_is_refused(client, site):
    assert _post(client, site, comment="ا" * (rules.COMMENT_MAX_LENGTH + 1)).status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_the_honeypot_stores_nothing(client, site):
    assert _post(client, site, website="http://spam.example").status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_a_form_sent_at_once_comes_back_with_a_fresh_ticket(client, site):
    response = _post(client, site, ticket=_ticket(site, age=0), comment="gardé")
    assert response.status_code == 400
    assert not SurveyAnswer.objects.exists()
    page = response.content.decode()
    assert "gardé" in page
    new_ticket = re.search(r'name="ticket" value="([^"]+)"', page).group(1)
    with pytest.raises(rules.TicketTooFresh):
        rules.read_ticket(new_ticket, site.code)


def test_a_replayed_form_counts_once(client, site):
    ticket = _ticket(site)
    for _ in range(3):
        assert _post(client, site, ticket=ticket).status_code == 302
    assert SurveyAnswer.objects.count() == 1


def test_a_forged_or_foreign_ticket_is_refused(client, site):
    other = make_site(site.administration)
    assert _post(client, site, ticket="forged").status_code == 400
    assert _post(client, site, ticket=_ticket(other)).status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_an_inactive_or_unknown_site_has_no_survey(client, site):
    site.is_active = False
    site.save()
    assert client.get(f"/ar/reception/survey/{site.code}/").status_code == 404
    assert client.get("/ar/reception/survey/no-such-site/").status_code == 404


def test_the_survey_is_rate_limited_per_client(client, site, settings):
    settings.PUBLIC_FORM_RATE_LIMITS = {**settings.PUBLIC_FORM_RATE_LIMITS, "reception:survey": "3/h"}
    for _ in range(3):
        assert _post(client, site).status_code == 302
    limited = _post(client, site)
    assert limited.status_code == 429
    assert SurveyAnswer.objects.count() == 3
    assert _post(client, site, remote_addr="10.9.9.9").status_code == 302


def test_the_rate_limit_is_declared_in_settings(settings):
    assert "reception:survey" in settings.PUBLIC_FORM_RATE_LIMITS


def test_the_qr_poster_carries_the_survey_url_as_svg(client, site):
    import segno

    page = client.get(f"/ar/reception/sites/{site.code}/qr/").content.decode()
    url = f"http://testserver/ar/reception/survey/{site.code}/?via=qr"
    assert url in page
    # the SVG is the QR code of exactly that address (segno is deterministic)
    expected = segno.make(url, error="m").svg_inline(border=4, dark="#000", light="#fff", omitsize=True)
    assert expected in page


def test_the_desk_mode_offers_the_next_visitor(client, site):
    response = _post(client, site, channel="desk")
    page = client.get(response.url).content.decode()
    assert f"/ar/reception/survey/{site.code}/?via=desk" in page


# --- Results ---------------------------------------------------------------------------------------------


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_site_results_are_hidden_under_the_minimum(client, site, settings):
    settings.RECEPTION_SURVEY_MIN_ANSWERS = 10
    head = make_staff(site.administration, role=Role.HEAD_OF_UNIT)
    _login(client, head)
    url = f"/fr/reception/staff/sites/{site.pk}/results/"
    make_answers(site, 9, score=4, comment="secret")
    page = client.get(url).content.decode()
    assert "tw-survey-hidden" in page and "secret" not in page and "4,00" not in page
    make_answers(site, 1, score=1)
    page = client.get(url).content.decode()
    assert "tw-survey-hidden" not in page
    assert "3,70" in page  # (9 × 4 + 1) / 10
    assert "secret" in page


def test_results_by_month(client, site, settings):
    settings.RECEPTION_SURVEY_MIN_ANSWERS = 2
    make_answers(site, 2, score=5, answered_on=dt.date(2026, 10, 3))
    make_answers(site, 2, score=1, answered_on=dt.date(2026, 11, 3))
    _login(client, make_staff(site.administration, role=Role.HEAD_OF_UNIT))
    summary = client.get(f"/fr/reception/staff/sites/{site.pk}/results/?month=2026-10").context["summary"]
    assert summary["count"] == 2
    assert {str(q["average"]) for q in summary["questions"]} == {"5.00"}


def test_results_per_administration_are_scoped(client, settings):
    settings.RECEPTION_SURVEY_MIN_ANSWERS = 3
    ministry = AdministrationFactory(kind="ministry")
    x = AdministrationFactory(parent=ministry, name_fr="Préfecture X")
    y = AdministrationFactory(parent=ministry, name_fr="Préfecture Y")
    site_x1, site_x2, site_y = make_site(x), make_site(x), make_site(y)
    make_answers(site_x1, 2, score=5)
    make_answers(site_x2, 2, score=3)
    make_answers(site_y, 5, score=2)
    _login(client, make_staff(x, role=Role.HEAD_OF_UNIT))
    page = client.get("/fr/reception/staff/results/").content.decode()
    assert "Préfecture X" in page and "Préfecture Y" not in page
    page = client.get(f"/fr/reception/staff/results/?administration={x.pk}").content.decode()
    assert "4,00" in page  # 4 answers of the administration together pass the minimum
    assert client.get(f"/fr/reception/staff/results/?administration={y.pk}").status_code == 404
    _login(client, make_staff(ministry, role=Role.NATIONAL_UNIT))
    page = client.get("/fr/reception/staff/results/").content.decode()
    assert "Préfecture X" in page and "Préfecture Y" in page


def test_results_by_administration_cost_the_same_queries_for_many_administrations(client, settings):
    settings.RECEPTION_SURVEY_MIN_ANSWERS = 1
    ministry = AdministrationFactory(kind="ministry")
    national = make_staff(ministry, role=Role.NATIONAL_UNIT)
    _login(client, national)

    def queries(n_admins):
        for _ in range(n_admins):
            make_answers(make_site(AdministrationFactory(parent=ministry)), 2, score=4)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/fr/reception/staff/results/").status_code == 200
        return len(captured)

    assert queries(2) == queries(6)


def test_site_results_month_by_month(client, site, settings):
    settings.RECEPTION_SURVEY_MIN_ANSWERS = 3
    make_answers(site, 3, score=5, answered_on=dt.date(2026, 10, 3))
    make_answers(site, 1, score=1, answered_on=dt.date(2026, 11, 3))
    _login(client, make_staff(site.administration, role=Role.HEAD_OF_UNIT))
    response = client.get(f"/fr/reception/staff/sites/{site.pk}/results/")
    months = dict(response.context["by_month"])
    assert [(day.month, row["count"], row["shown"]) for day, row in sorted(months.items())] == [
        (10, 3, True),
        (11, 1, False),
    ]


#: The site by its code; the answer's INSERT inside its savepoint (2 more: SAVEPOINT, RELEASE).
SURVEY_POST_BUDGET = 4


def test_an_answer_stays_within_its_query_budget(client, site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert _post(client, site).status_code == 302
    assert len(captured) <= SURVEY_POST_BUDGET, [q["sql"] for q in captured]
    assert not any("cache" in q["sql"].lower() for q in captured)
