"""`manage.py check --deploy` refuses what would be wrong in production: a SITE_URL that emails
cannot use (loopback, localhost, plain http), and two proxy counts that disagree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from tawasul.core.checks import check_proxy_count_names, site_url_problem

ROOT = Path(__file__).resolve().parents[2]


def deploy_check_ids():
    return {message.id for message in run_checks(include_deployment_checks=True)}


@pytest.mark.parametrize(
    "site_url",
    [
        "http://127.0.0.1:8000",  # the default
        "https://127.0.0.1",
        "https://127.8.9.10",
        "https://[::1]:8443",
        "https://localhost",
        "https://LOCALHOST.",
        "https://tawasul.localhost",
        "https://0.0.0.0",
        "http://tawasul.gov.ma",
        "tawasul.gov.ma",
        "",
    ],
)
def test_check_deploy_warns_about_a_site_url_emails_cannot_use(settings, site_url):
    settings.DEBUG = False
    settings.SITE_URL = site_url
    assert site_url_problem(site_url)
    assert "tawasul.W001" in deploy_check_ids()


@pytest.mark.parametrize("site_url", ["https://tawasul.gov.ma", "https://tawasul.gov.ma/", "https://196.200.1.1:8443"])
def test_a_public_https_site_url_passes(settings, site_url):
    settings.DEBUG = False
    settings.SITE_URL = site_url
    assert site_url_problem(site_url) is None
    assert "tawasul.W001" not in deploy_check_ids()


def test_with_debug_on_the_local_default_is_fine(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert "tawasul.W001" not in deploy_check_ids()


def test_the_site_url_check_runs_only_with_deploy(settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert "tawasul.W001" not in {message.id for message in run_checks()}


@pytest.mark.parametrize(
    ("environment", "refused"),
    [
        ({"PROXY_COUNT": "1", "API_NUM_PROXIES": "2"}, True),
        ({"PROXY_COUNT": "0", "API_NUM_PROXIES": "1"}, True),
        ({"PROXY_COUNT": "1", "API_NUM_PROXIES": "1"}, False),
        ({"PROXY_COUNT": "1"}, False),
        ({"API_NUM_PROXIES": "1"}, False),
        ({}, False),
    ],
)
def test_the_former_and_the_new_proxy_count_may_not_disagree(monkeypatch, environment, refused):
    for name in ("PROXY_COUNT", "API_NUM_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert bool(check_proxy_count_names()) is refused


@pytest.mark.slow
@pytest.mark.parametrize(
    ("environment", "count"),
    [
        ({}, 0),
        ({"PROXY_COUNT": "1"}, 1),
        ({"API_NUM_PROXIES": "2"}, 2),
        ({"PROXY_COUNT": "1", "API_NUM_PROXIES": "1"}, 1),
    ],
)
def test_proxy_count_sets_the_trusted_proxies_and_the_former_name_still_does(environment, count):
    env = {k: v for k, v in os.environ.items() if k not in ("PROXY_COUNT", "API_NUM_PROXIES")}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    code = "from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == [str(count), str(count)]
