"""Production settings (issue 8 item 6): `check --deploy` clean, CSP without inline code,
Permissions-Policy, secure cookies, no DEBUG pages, uploads served as attachments with nosniff."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tawasul.complaints.tests.factories import make_complaint, png_upload

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "tawasul.gov.ma",
    "CSRF_TRUSTED_ORIGINS": "https://tawasul.gov.ma",
    "SITE_URL": "https://tawasul.gov.ma",
    "SECURE_SSL_REDIRECT": "1",
    "BEHIND_HTTPS_PROXY": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "DATABASE_URL": "",
}


def _production(code: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in ("TAWASUL_TESTING", "TAWASUL_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env.update(PRODUCTION_ENV)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_production_environment():
    env = {k: v for k, v in os.environ.items() if k not in ("TAWASUL_TESTING", "TAWASUL_DEMO")}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_production_settings_are_strict():
    code = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.conf import settings as s
assert not s.DEBUG
assert s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE and s.LANGUAGE_COOKIE_SECURE
assert s.SESSION_COOKIE_HTTPONLY
assert s.SECURE_HSTS_SECONDS >= 31536000 and s.SECURE_HSTS_INCLUDE_SUBDOMAINS
assert s.SECURE_CONTENT_TYPE_NOSNIFF and s.X_FRAME_OPTIONS == "DENY"
assert not s.SECRET_KEY_IS_PLACEHOLDER
print("ok")
"""
    result = _production(code)
    assert result.stdout.strip().endswith("ok"), result.stderr


@pytest.mark.slow
def test_the_wsgi_application_refuses_to_start_without_a_secret_key():
    code = "import os; os.environ['SECRET_KEY']=''; import config.wsgi"
    env_code = "import os\nos.environ.pop('SECRET_KEY', None)\n" + code
    result = _production(env_code)
    assert result.returncode != 0


# --- Headers and pages ---------------------------------------------------------------------------

PAGES = [
    ("home:index", {}),
    ("complaints:index", {}),
    ("complaints:file", {}),
    ("complaints:track", {}),
    ("complaints:faq", {}),
    ("complaints:statistics", {}),
    ("registry:directory", {}),
    ("information:index", {}),
    ("facilities:index", {}),
    ("catalog:index", {}),
    ("account_login", {}),
    ("account_signup", {}),
]
# Inline code without a nonce; `<script type="application/json">` (json_script) is data, never run.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_have_no_inline_script_or_style_and_send_the_security_headers(client, lang, name, kwargs):
    with translation.override(lang):
        response = client.get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 200
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html), INLINE_SCRIPT.findall(html)
    assert not INLINE_STYLE.findall(html)
    assert not STYLE_ATTRIBUTE.findall(html), STYLE_ATTRIBUTE.findall(html)[:3]
    assert not EVENT_HANDLER.findall(html), EVENT_HANDLER.findall(html)[:3]
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_an_attachment_is_served_as_a_download_never_inline(client):
    case = make_complaint(attachments=[png_upload("photo.png")])
    client.get(reverse("complaints:track_link", args=[case.reference, case.tracking_token]))
    attachment = case.attachments.get()
    response = client.get(reverse("complaints:attachment", args=[case.reference, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]


def test_media_files_have_no_public_url(settings):
    """Stored files are reached only through views that check access (MEDIA_URL serves nothing)."""
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "cases/anything.png")


@pytest.mark.django_db
def test_an_unknown_page_is_the_plain_404_not_a_debug_page(client, settings):
    settings.DEBUG = False
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode() and "URLconf" not in response.content.decode()


@pytest.mark.django_db
def test_the_api_docs_pages_run_no_inline_script(client):
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        html = client.get(path).content.decode()
        assert not INLINE_SCRIPT.findall(html), path
