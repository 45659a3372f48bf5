"""The access matrix (issue 8 item 1; ARCHITECTURE.md §4 "Personas for every view and API").

Every URL pattern of the resolver (recursively, under the `/fr/` language prefix) and every
operation of the OpenAPI schema is tried with every persona. `tests/security/routes.py` declares,
once per route, who may reach it:

- allowed: 2xx, or a redirect that is not to a login page (for an empty POST, the form's 400);
- refused: a redirect to a login page, 403 or 404 (401 on the API) — and, for a route naming an
  object, the same answer as for a made-up object, so a refusal reveals nothing about existence;
- never a 5xx.

A route with no declaration fails with its name: declaring it is one line in routes.py. The
number of (persona, route) pairs tried is written to `test-artifacts/security/access-matrix.json`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

from .routes import FAKE_KWARGS, PERSONAS, ROUTES, declaration_for
from .world import World

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "security" / "access-matrix.json"
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
TALLY: Counter = Counter()


# --- Enumeration ------------------------------------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            own = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + own, inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            key = f"{namespace}{pattern.name}" if pattern.name else f"pattern:{route}"
            yield key, route


def url_routes() -> dict[str, str]:
    """Every URL pattern: {declaration key: route}."""
    return dict(_walk(get_resolver().url_patterns))


def api_operations() -> list[tuple[str, str]]:
    """Every (method, path template) of the OpenAPI schema (drf-spectacular's generator)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


ROUTE_KEYS = sorted(url_routes())
API_OPERATIONS = api_operations()


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _matrix_settings(settings):
    settings.STAFF_2FA_REQUIRED = False  # the personas are signed in; 2FA has its own tests
    settings.RATELIMIT_ENABLE = False  # rate limits have their own tests (test_abuse.py)
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "100000/min")


@pytest.fixture(scope="module", autouse=True)
def _record_tally():
    yield
    TALLY.setdefault("leaks", 0)
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(dict(TALLY), indent=2, sort_keys=True))
    print(f"\naccess matrix: {dict(TALLY)}")


@pytest.fixture
def world(db):
    return World()


def _client(world: World, persona: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    user = world.users[persona]
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- Building URLs and judging answers -------------------------------------------------------------


def _kwargs_of(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def _fill(world: World, route: str, declared: dict[str, str], *, fake: bool = False) -> dict[str, str]:
    values = {}
    for name in _kwargs_of(route):
        if fake or name not in declared:
            values[name] = FAKE_KWARGS[name]
        else:
            values[name] = world.value(declared[name])
    return values


def _url(key: str, route: str, kwargs: dict) -> str:
    if not key.startswith("pattern:"):
        positional = len(re.findall(r"\((?!\?)", route))  # unnamed regex groups
        with translation.override("fr"):
            if positional and not kwargs:
                return reverse(key, args=[FAKE_KWARGS["object_id"]] * positional)
            return reverse(key, kwargs=kwargs or None)
    path = route
    for name, value in kwargs.items():
        path = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), path)
    return "/" + ("fr/" + path.lstrip("^")).rstrip("$")


def _is_login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code in (301, 302, 303, 307, 308) and any(p in location for p in LOGIN_PATHS)


def _verdict(response, method: str) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (401, 403, 404) or _is_login_redirect(response):
        return "refused"
    # An empty POST (or a GET without its required query parameters) gets past the access check
    # and then fails the form (400) or the body's content type (415, the upload wants multipart).
    if 200 <= status < 400 or status in (400, 415):
        return "allowed"
    return f"unexpected {status}"


def _request(client: Client, method: str, url: str, **extra):
    if method == "GET":
        return client.get(url, **extra)
    return client.generic(method, url, data=b"{}" if "api/" in url else b"", content_type=_content_type(url), **extra)


def _content_type(url: str) -> str:
    return "application/json" if "/api/" in url else "application/x-www-form-urlencoded"


def _signature(response, fake_values: dict, real_values: dict) -> tuple:
    """What a refused answer shows: its status, its redirect target and (JSON) body, with the
    made-up values written as the real ones."""
    location = response.get("Location", "")
    body = response.content if response.get("Content-Type", "").startswith("application/json") else b""
    for name, fake in fake_values.items():
        location = location.replace(str(fake), str(real_values[name]))
    return response.status_code, location, body


# --- The tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ROUTE_KEYS)
def test_every_route_lets_in_exactly_the_declared_personas(world, key):
    access = declaration_for(key)
    if access is None:
        pytest.fail(f"route {key!r} has no declaration in tests/security/routes.py (one line: who may reach it)")
    if access.api:
        pytest.skip("API route: tried per OpenAPI operation by test_every_api_operation_...")
    route = url_routes()[key]
    real = _fill(world, route, access.kwargs)
    fake = _fill(world, route, access.kwargs, fake=True)
    url, fake_url = _url(key, route, real), _url(key, route, fake)
    leaks_possible = any(not str(access.kwargs.get(name, "fake.")).startswith("fake.") for name in real)
    problems = []
    # Refused personas first: the allowed ones may change the object (withdraw, rate...).
    for persona in sorted(PERSONAS, key=lambda p: p in access.allowed):
        client = _client(world, persona)
        response = _request(client, access.method, url)
        verdict = _verdict(response, access.method)
        TALLY["pairs"] += 1
        expected = "allowed" if persona in access.allowed else "refused"
        if verdict != expected:
            problems.append(f"{persona}: {verdict} ({response.status_code} {response.get('Location', '')})")
            continue
        if expected == "refused" and leaks_possible:
            TALLY["existence_checks"] += 1
            other = _request(client, access.method, fake_url)
            if _signature(response, fake, real) != _signature(other, fake, real):
                TALLY["leaks"] += 1
                problems.append(
                    f"{persona}: a real object answers {response.status_code}, a made-up one {other.status_code}"
                )
    assert not problems, f"{key} ({url}): " + "; ".join(problems)


def _api_route_key(path: str) -> tuple[str, str]:
    concrete = re.sub(r"\{(\w+)\}", lambda m: str(FAKE_KWARGS.get(m.group(1), "x")), path)
    match = resolve(concrete)
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name, match.route


@pytest.mark.parametrize(("method", "path"), API_OPERATIONS, ids=[f"{m} {p}" for m, p in API_OPERATIONS])
def test_every_api_operation_lets_in_exactly_the_declared_personas(world, method, path):
    key, _route = _api_route_key(path)
    access = declaration_for(key)
    if access is None:
        pytest.fail(f"API route {key!r} ({method} {path}) has no declaration in tests/security/routes.py")
    names = re.findall(r"\{(\w+)\}", path)
    real = {name: world.value(access.kwargs[name]) if name in access.kwargs else FAKE_KWARGS[name] for name in names}
    fake = {name: FAKE_KWARGS[name] for name in names}

    def url_for(values):
        return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)

    problems = []
    for persona in sorted(PERSONAS, key=lambda p: p in access.allowed):
        client = _client(world, persona)
        extra = {}
        case = world.case_of(persona, real.get("reference", ""))
        if case is not None:
            extra["HTTP_AUTHORIZATION"] = f"Tracking {case.reference}:{case.tracking_token}"
        response = _request(client, method, url_for(real), **extra)
        verdict = _verdict(response, method)
        TALLY["pairs"] += 1
        TALLY["api_pairs"] += 1
        expected = "allowed" if persona in access.allowed else "refused"
        if verdict != expected:
            problems.append(f"{persona}: {verdict} ({response.status_code})")
            continue
        if expected == "refused" and names:
            TALLY["existence_checks"] += 1
            other = _request(client, method, url_for(fake), **extra)
            if _signature(response, fake, real) != _signature(other, fake, real):
                TALLY["leaks"] += 1
                problems.append(
                    f"{persona}: a real object answers {response.status_code}, a made-up one {other.status_code}"
                )
    assert not problems, f"{method} {path}: " + "; ".join(problems)


def test_every_declaration_names_a_route_that_exists():
    """A stale line would hide a renamed route: each exact name must still be in the resolver."""
    keys = set(url_routes())
    stale = [name for name in ROUTES if "*" not in name and name not in keys]
    assert not stale, f"declared routes that no longer exist: {stale}"


def test_every_api_operation_is_a_resolver_route():
    """The schema and the URLconf describe the same API (so neither hides a route from the other)."""
    keys = {_api_route_key(path)[0] for _method, path in API_OPERATIONS}
    assert keys <= set(url_routes())
    assert len(API_OPERATIONS) >= 10
