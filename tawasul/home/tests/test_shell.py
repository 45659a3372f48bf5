"""The public shell: root redirect and health check."""

import pytest


@pytest.mark.django_db
def test_root_redirects_to_arabic_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.django_db
def test_root_redirects_to_the_language_chosen_before(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/")["Location"] == "/fr/"


@pytest.mark.django_db
def test_root_ignores_an_unknown_language_cookie(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Location"] == "/ar/"


@pytest.mark.django_db
def test_healthz_checks_database_and_task_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["task_queue"] == "ok"
