"""`tawasul.core.middleware.CSPMiddleware` gives the headers django-csp's own middleware gives
(ADR 0033): it only builds the static policy once. Each case runs both middlewares on the same
request and response and compares the headers."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from tawasul.core.middleware import CSPMiddleware

POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "'nonce-placeholder'"]}}


def _headers(middleware_class, *, path="/api/v1/track/", use_nonce=False, status=200, prepare=None):
    request = RequestFactory().post(path)
    middleware = middleware_class(lambda request: None)
    middleware.process_request(request)
    nonce = str(request.csp_nonce) if use_nonce else None
    response = HttpResponse(status=status)
    if prepare is not None:
        prepare(response)
    response = middleware.process_response(request, response)
    return (response.get(HEADER), response.get(HEADER_REPORT_ONLY)), nonce, request


def _same(**kwargs):
    ours, our_nonce, _request = _headers(CSPMiddleware, **kwargs)
    theirs, their_nonce, _request = _headers(DjangoCSPMiddleware, **kwargs)
    if our_nonce is not None:  # a fresh nonce each time: compare with it put back
        ours = tuple(h.replace(our_nonce, "N") if h else h for h in ours)
        theirs = tuple(h.replace(their_nonce, "N") if h else h for h in theirs)
    assert ours == theirs
    return ours


def test_static_policy_is_django_csps_and_built_once(monkeypatch):
    header, report_only = _same()
    assert "default-src 'self'" in header and "frame-ancestors 'none'" in header
    assert report_only is None
    import tawasul.core.middleware as module

    calls = []
    monkeypatch.setattr(module, "build_policy", lambda **kw: calls.append(kw) or "x")
    _headers(CSPMiddleware)
    assert calls == []  # the cached policy, not a new build


def test_a_response_with_a_nonce_gets_django_csps_policy_with_that_nonce():
    (header, _ro), nonce, _request = _headers(CSPMiddleware, path="/fr/", use_nonce=True)
    assert f"'nonce-{nonce}'" in header
    _same(path="/fr/", use_nonce=True)


@pytest.mark.parametrize(
    "attribute",
    ["_csp_update", "_csp_replace", "_csp_config", "_csp_update_ro", "_csp_replace_ro", "_csp_config_ro"],
)
def test_per_view_changes_are_django_csps(attribute):
    change = {"img-src": ["https://tiles.example"]}
    if attribute.startswith("_csp_config"):
        change = {"default-src": ["'none'"]}
    headers = _same(prepare=lambda response: setattr(response, attribute, change))
    assert "tiles.example" in str(headers) or "'none'" in str(headers)


def test_exempt_responses_and_excluded_prefixes(settings):
    _same(prepare=lambda response: setattr(response, "_csp_exempt", True))
    assert _headers(CSPMiddleware, prepare=lambda r: setattr(r, "_csp_exempt", True))[0] == (None, None)
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/api/"]}
    assert _same() == (None, None)
    assert _same(path="/fr/")[0]


def test_settings_changes_are_followed(settings):
    first = _same()
    settings.CONTENT_SECURITY_POLICY = POLICY
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    second = _same()
    assert second != first and second[1] == "default-src 'none'"
    settings.DEBUG = True
    assert _same(status=404) == (None, None)


def test_asking_for_a_nonce_after_the_header_is_written_is_an_error():
    from csp.exceptions import CSPNonceError

    _pair, _nonce, request = _headers(CSPMiddleware)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
