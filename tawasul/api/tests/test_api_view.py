"""`ApiView`, the base of every API view: what it changes in DRF's request path, and what it keeps."""

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from tawasul.api.base import ApiView


class _Open(ApiView):
    seen: list = []

    def get(self, request):
        self.seen.append(("_authenticator" in request.__dict__, request.user, request.auth))
        return Response({"ok": True})


class _Refusing(BaseAuthentication):
    def authenticate(self, request):
        raise AuthenticationFailed("no")

    def authenticate_header(self, request):
        return "Proof"


class _Guarded(ApiView):
    authentication_classes = [_Refusing]
    reached: list = []

    def get(self, request):
        self.reached.append(True)
        return Response({"ok": True})


def test_a_view_without_authenticators_runs_none_and_still_answers_user_and_auth():
    _Open.seen = []
    response = _Open.as_view()(APIRequestFactory().get("/api/v1/open/"))
    assert response.status_code == 200
    assert _Open.seen == [(False, None, None)]  # not authenticated before the view; None when read


def test_a_view_with_an_authenticator_runs_it_before_the_view_as_drf_does():
    _Guarded.reached = []
    response = _Guarded.as_view()(APIRequestFactory().get("/api/v1/guarded/"))
    assert response.status_code == 401
    assert _Guarded.reached == []
