"""The API's quick content negotiation (`JsonNegotiation`) answers as DRF's own would."""

import pytest
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tawasul.api.base import JsonNegotiation
from tawasul.api.parsers import StrictJSONParser

ACCEPT_HEADERS = [
    None,
    "*/*",
    "application/json",
    " application/json ",
    "application/json; indent=4",
    "application/*",
    "text/html, */*;q=0.1",
    "application/json, text/plain",
]


def _request(accept, query=""):
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    return Request(APIRequestFactory().get(f"/api/v1/complaint-subjects/{query}", **extra))


@pytest.mark.parametrize("accept", ACCEPT_HEADERS)
@pytest.mark.parametrize("renderers", [[JSONRenderer()], [JSONRenderer(), BrowsableAPIRenderer()]])
@pytest.mark.parametrize("query", ["", "?", "?page=2", "?format=json"])
def test_the_quick_negotiation_picks_what_drf_picks(accept, renderers, query):
    ours = JsonNegotiation().select_renderer(_request(accept, query), renderers)
    drf = DefaultContentNegotiation().select_renderer(_request(accept, query), renderers)
    assert (type(ours[0]), ours[1]) == (type(drf[0]), drf[1])


def test_a_request_without_a_query_string_builds_no_query_dict():
    request = _request("*/*")
    JsonNegotiation().select_renderer(request, [JSONRenderer()])
    assert "GET" not in request._request.__dict__  # Django builds it on first read


def test_a_client_that_accepts_no_json_still_gets_406(client):
    response = client.get("/api/v1/complaint-subjects/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406


def test_a_format_in_the_query_string_takes_drfs_path():
    request = _request("*/*", "?format=json")
    assert JsonNegotiation().select_renderer(request, [JSONRenderer()])[1] == "application/json"


CONTENT_TYPES = [
    None,
    "",
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    " application/json",
    "application/*",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/json" + " " * 300,
]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize(
    "parsers", [[StrictJSONParser()], [JSONParser()], [MultiPartParser()], [FormParser(), JSONParser()]]
)
def test_the_quick_negotiation_picks_the_parser_drf_picks(content_type, parsers):
    django_request = APIRequestFactory().generic("POST", "/api/v1/complaints/", b"{}", content_type=content_type or "")
    if content_type is None:
        del django_request.META["CONTENT_TYPE"]
    request = Request(django_request)
    ours = JsonNegotiation().select_parser(request, parsers)
    drf = DefaultContentNegotiation().select_parser(request, parsers)
    assert ours is drf
