"""Who may reach every route: the declaration table of the access matrix (issue 8 item 1).

`tests/security/test_access_matrix.py` enumerates every URL pattern from the resolver and every
operation of the OpenAPI schema; each must be declared here, by route name (or, for an unnamed
pattern, `pattern:<its route>`). A route that is not declared fails the test with its name.

Declaring a route is one line:

    "catalog:detail": public(code="procedure.code"),
    "backoffice:case": allow(STAFF_X, reference="case_a.reference"),

- the first argument is the set of personas that reach the route (PERSONAS below); every other
  persona must be refused (302 to a login page, 403 or 404);
- keyword arguments fill the URL's kwargs from the objects of `tests/security/world.py`
  (`"case_a.reference"` = the reference of citizen A's complaint at administration X);
- `method="POST"` tries the route with an empty POST (allowed then means "not refused": the
  form's 400 is fine);
- a route whose kwargs name an object is also tried, for each refused persona, with a made-up
  value (FAKE_KWARGS): both answers must be the same, so the URL reveals nothing about existence.

Personas: anonymous visitor, citizen A and citizen B (signed-in accounts, each the requester of
one complaint and one information request at X), officer of X, officer of Y, supervisor of X
(head of unit), national unit, contact-center agent. On the API, which has no session
authentication, citizen A is the holder of the `Tracking <reference>:<token>` proof of case A,
citizen B of case B, and staff are anonymous.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
CITIZEN_A = "citizen_a"
CITIZEN_B = "citizen_b"
OFFICER_X = "officer_x"
OFFICER_Y = "officer_y"
SUPERVISOR_X = "supervisor_x"
NATIONAL_UNIT = "national_unit"
CONTACT_AGENT = "contact_agent"

PERSONAS = (ANONYMOUS, CITIZEN_A, CITIZEN_B, OFFICER_X, OFFICER_Y, SUPERVISOR_X, NATIONAL_UNIT, CONTACT_AGENT)
EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
SIGNED_IN = EVERYONE - {ANONYMOUS}
STAFF = frozenset({OFFICER_X, OFFICER_Y, SUPERVISOR_X, NATIONAL_UNIT, CONTACT_AGENT})
#: Staff who work on administration X's cases (the officer and the head of unit of X).
STAFF_X = frozenset({OFFICER_X, SUPERVISOR_X})

#: Made-up values for URL kwargs, of the right shape, naming nothing that exists.
FAKE_KWARGS = {
    "reference": "CHK-2026-9999999-Z",
    "token": "x" * 43,
    "pk": 987654,
    "attachment_id": 987654,
    "code": "no-such-code",
    "slug": "no-such-slug",
    "subtheme": "no-such-subtheme",
    "object_id": "987654",
    "key": "no-such-key",
    "uidb36": "zz",
    "url": "no/such/page/",
    "id": "987654",
    "app_label": "accounts",
    "content_type_id": "987654",
    "history_id": "987654",
    "action": "answer",
    "kind": "no-such-kind",
}


@dataclass(frozen=True)
class Access:
    allowed: frozenset[str]
    kwargs: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    #: API only: which case's tracking proof each citizen persona sends (see `api_route`).
    api: bool = False
    note: str = ""


def allow(personas, *, method: str = "GET", note: str = "", **kwargs: str) -> Access:
    return Access(frozenset(personas), kwargs, method, note=note)


def public(*, method: str = "GET", note: str = "", **kwargs: str) -> Access:
    return allow(EVERYONE, method=method, note=note, **kwargs)


def api_route(personas, *, note: str = "", **kwargs: str) -> Access:
    """An API route; the method comes from the OpenAPI operation being tried."""
    return Access(frozenset(personas), kwargs, "*", api=True, note=note)


#: Requester-only pages of case A: the signed-in requester (or a session holding the proof).
REQUESTER_A = frozenset({CITIZEN_A})

ROUTES: dict[str, Access] = {
    # --- Machine endpoints and the shell --------------------------------------------------------
    "root": public(),
    "healthz": public(),
    "set_language": public(method="POST", note="Django's set_language: redirects, changes only a cookie"),
    "home:index": public(),
    "home:set_language": public(),
    # --- Accounts (ours and allauth's) ------------------------------------------------------------
    "accounts:profile": allow(SIGNED_IN),
    "accounts:personal_data": allow(SIGNED_IN),
    "accounts:personal_data_export": allow(SIGNED_IN),
    "accounts:personal_data_erase": allow(SIGNED_IN),
    "account_login": public(note="signed in: redirects home"),
    "account_logout": public(),
    "account_inactive": public(),
    "account_signup": public(note="signed in: redirects home"),
    "account_reauthenticate": allow(SIGNED_IN),
    "account_email": allow(SIGNED_IN),
    "account_email_verification_sent": public(),
    "account_change_password": allow(SIGNED_IN),
    "account_set_password": allow(SIGNED_IN),
    "account_reset_password": public(),
    "account_confirm_login_code": allow(SIGNED_IN, note="no login by code in progress: anonymous goes to login"),
    "account_confirm_email": public(key="fake.key", note="a bad key shows the 'invalid link' page"),
    "account_reset_password_from_key_done": public(),
    "account_reset_password_from_key": public(uidb36="fake.uidb36", key="fake.key"),
    "account_reset_password_done": public(),
    "mfa_index": allow(SIGNED_IN),
    "mfa_authenticate": allow(SIGNED_IN, note="outside a login in progress, anonymous goes to login"),
    "mfa_reauthenticate": allow(SIGNED_IN),
    "mfa_activate_totp": allow(SIGNED_IN),
    # Without an authenticator these are 404 for everyone (the personas have none; enrolled use is
    # tested in tawasul/accounts/tests/test_two_factor.py).
    "mfa_deactivate_totp": allow(NOBODY, note="404 without an authenticator"),
    "mfa_view_recovery_codes": allow(NOBODY, note="404 without an authenticator"),
    "mfa_generate_recovery_codes": allow(SIGNED_IN, note="without an authenticator: redirects"),
    "mfa_download_recovery_codes": allow(NOBODY, note="404 without an authenticator"),
    # --- Registry (public reference data) ---------------------------------------------------------
    "registry:directory": public(),
    "registry:provinces_json": public(),
    "registry:communes_json": public(),
    "registry:administration": public(code="admin_x.code"),
    # --- Complaints portal, citizen side ----------------------------------------------------------
    "complaints:index": public(),
    "complaints:file": public(),
    "complaints:file_form": public(),
    "complaints:receipt": allow(REQUESTER_A, reference="case_a.reference"),
    "complaints:track": public(),
    "complaints:track_link": public(
        reference="case_a.reference", token="case_a.tracking_token", note="the secret link is the proof"
    ),
    "complaints:case": allow(REQUESTER_A, reference="case_a.reference"),
    "complaints:case_message": allow(REQUESTER_A, method="POST", reference="case_a.reference"),
    "complaints:case_rate": allow(REQUESTER_A, method="POST", reference="case_a.reference"),
    "complaints:case_reopen": allow(REQUESTER_A, method="POST", reference="case_a.reference"),
    "complaints:case_withdraw": allow(REQUESTER_A, method="POST", reference="case_a.reference"),
    "complaints:attachment": allow(REQUESTER_A, reference="case_a.reference", pk="attachment_a.pk"),
    "complaints:statistics": public(),
    "complaints:faq": public(),
    # --- Access-to-information portal, citizen side (law 31-13) --------------------------------------
    "information:index": public(),
    "information:file": public(),
    "information:file_form": public(),
    "information:receipt": allow(REQUESTER_A, reference="info_a.reference"),
    "information:track": public(),
    "information:track_link": public(reference="info_a.reference", token="info_a.tracking_token"),
    "information:case": allow(REQUESTER_A, reference="info_a.reference"),
    "information:case_message": allow(REQUESTER_A, method="POST", reference="info_a.reference"),
    "information:complaint_head": allow(REQUESTER_A, method="POST", reference="info_a.reference"),
    "information:complaint_cdai": allow(REQUESTER_A, method="POST", reference="info_a.reference"),
    "information:attachment": allow(REQUESTER_A, reference="info_a.reference", pk="info_attachment_a.pk"),
    "information:register": public(),
    "information:register_detail": allow(
        NOBODY, reference="info_a.reference", note="an unpublished answer: 404 for all, as an unknown reference"
    ),
    "information:publications": public(),
    "information:publications_body": public(code="admin_x.code"),
    "information:statistics": public(),
    "information:staff_publish": allow(STAFF_X, reference="info_a.reference"),
    # --- Back office (issue 4): staff of X only; Y and the national roles get the unknown-case 404 --
    "backoffice:inbox": allow(STAFF_X | {OFFICER_Y}, note="each sees only their own administrations"),
    "backoffice:export": allow(STAFF_X | {OFFICER_Y}, note="each exports only their own administrations"),
    "backoffice:case": allow(STAFF_X, reference="case_a.reference"),
    "backoffice:case_act": allow(STAFF_X, method="POST", reference="case_a.reference", action="fake.action"),
    "backoffice:case_assign": allow(STAFF_X, method="POST", reference="case_a.reference"),
    "backoffice:case_note": allow(STAFF_X, method="POST", reference="case_a.reference"),
    "backoffice:case_upload": allow(STAFF_X, method="POST", reference="case_a.reference"),
    "backoffice:attachment": allow(STAFF_X, reference="case_a.reference", pk="attachment_a.pk"),
    "backoffice:templates": allow(STAFF_X | {OFFICER_Y}),
    "backoffice:template_create": allow(STAFF_X | {OFFICER_Y}),
    "backoffice:template_edit": allow(STAFF_X, pk="answer_template_x.pk"),
    "backoffice:alerts": allow(STAFF_X | {OFFICER_Y}),
    "backoffice:alerts_read": allow(STAFF_X | {OFFICER_Y}, method="POST"),
    # --- Complaints, staff side: problems (ITIL) of administration X --------------------------------
    "complaints:staff_problems": allow(STAFF_X | {OFFICER_Y}, note="each lists only their own problems"),
    "complaints:staff_problem_new": allow(STAFF_X | {OFFICER_Y}),
    "complaints:staff_problem": allow(STAFF_X, pk="problem_x.pk"),
    "complaints:staff_problem_link": allow(STAFF_X, method="POST", pk="problem_x.pk"),
    "complaints:staff_problem_unlink": allow(STAFF_X, method="POST", pk="problem_x.pk", reference="case_a.reference"),
    "complaints:staff_problem_resolve": allow(STAFF_X, method="POST", pk="problem_x.pk"),
    "complaints:staff_case_link_problem": allow(STAFF_X, method="POST", reference="case_a.reference"),
    # --- Catalog and facilities (public) ----------------------------------------------------------
    "catalog:index": public(),
    "catalog:search": public(),
    "catalog:theme": public(slug="theme.slug"),
    "catalog:subtheme": public(slug="theme.slug", subtheme="procedure.subtheme.slug"),
    "catalog:online_services": public(),
    "catalog:investors": public(),
    "catalog:detail": public(code="procedure.code"),
    "catalog:form_download": public(code="procedure.code", pk="procedure_form.pk"),
    # Catalog editing: the catalog editors of an administration (no persona is one) and the
    # national unit, which reviews and publishes (issue 6).
    "catalog:staff_list": allow({NATIONAL_UNIT}),
    "catalog:staff_create": allow(NOBODY, note="catalog editors only (no persona is one); the national unit reviews"),
    "catalog:staff_review": allow({NATIONAL_UNIT}),
    "catalog:staff_edit": allow({NATIONAL_UNIT}, code="procedure.code"),
    "catalog:staff_action": allow({NATIONAL_UNIT}, method="POST", code="procedure.code"),
    "catalog:staff_history": allow({NATIONAL_UNIT}, code="procedure.code"),
    "catalog:staff_upload_form": allow({NATIONAL_UNIT}, method="POST", code="procedure.code"),
    "facilities:index": public(),
    "facilities:points": public(),
    "facilities:detail": public(pk="facility.pk"),
    "facilities:card": public(pk="facility.pk"),
    # --- API (tried with every method of its OpenAPI operations) ----------------------------------
    "api:complaint_create": api_route(EVERYONE),
    "api:information_request_create": api_route(EVERYONE),
    "api:information_request_recourse": api_route(REQUESTER_A, reference="info_a.reference"),
    "api:facilities": api_route(EVERYONE),
    "api:facilities_nearest": api_route(EVERYONE),
    "api:complaint_subjects": api_route(EVERYONE),
    "api:administrations": api_route(EVERYONE),
    "api:track": api_route(EVERYONE, note="reference + contact in the body: a wrong pair is a 404 for all"),
    "api:documents_offices": api_route(EVERYONE),
    "api:documents_prices": api_route(EVERYONE),
    "api:documents_order_create": api_route(EVERYONE),
    "api:documents_order_track": api_route(
        EVERYONE, note="reference + contact in the body: a wrong pair is a 404 for all"
    ),
    "api:documents_order_payment": api_route(REQUESTER_A, reference="documents_order_a.reference"),
    # The post operator's feed is in the OpenAPI schema only when POST_FEED_KEY is set (the world
    # runs without it: 404 for all); with the key, tawasul/documents/tests/test_post_feed.py tries
    # it: the body's signature is the proof, 403 without it.
    "api:post_events": allow(NOBODY, method="POST", note="404 unless POST_FEED_KEY is set"),
    "api:jobs_notices": api_route(EVERYONE, note="published notices only"),
    "api:jobs_notice": api_route(EVERYONE, id="job_notice.pk", note="a draft is the 404 of an unknown id"),
    "api:jobs_list": api_route(EVERYONE, id="job_notice.pk", kind="job_list.kind"),
    "api:case_detail": api_route(REQUESTER_A, reference="case_a.reference"),
    "api:case_messages": api_route(REQUESTER_A, reference="case_a.reference"),
    "api:case_information": api_route(REQUESTER_A, reference="case_a.reference"),
    "api:case_attachments": api_route(REQUESTER_A, reference="case_a.reference"),
    "api:case_attachment": api_route(REQUESTER_A, reference="case_a.reference", attachment_id="attachment_a.pk"),
    "api:case_rating": api_route(REQUESTER_A, reference="case_a.reference"),
    "api:case_reopen": api_route(REQUESTER_A, reference="case_a.reference"),
    "api:schema": public(),
    "api:docs": public(),
    "api:redoc": public(),
    "api:not_found": allow(NOBODY, url="fake.url", note="the API's JSON 404 for any unknown path"),
    # --- Django admin: only is_staff accounts, which no persona is --------------------------------
    "admin:login": allow(NOBODY, note="anonymous: the site's login page; signed in without is_staff: 403"),
    "admin:logout": public(note="GET redirects to the admin index, which is refused"),
    "admin:*": allow(NOBODY, note="is_staff only"),
    "pattern:admin/(?P<url>.*)$": allow(NOBODY, url="fake.url"),
    "pattern:admin/*/<path:object_id>/": allow(NOBODY),
}

#: The newer portals declare their routes beside this file, one module each
#: (`routes_<app>.py` with its own ROUTES dict), merged here.
PORTAL_ROUTE_MODULES = ("documents", "jobs", "contact", "insights", "reception")


def _merge_portal_routes() -> None:
    import importlib

    for app in PORTAL_ROUTE_MODULES:
        try:
            module = importlib.import_module(f"{__package__}.routes_{app}")
        except ModuleNotFoundError as error:
            if error.name != f"{__package__}.routes_{app}":
                raise
            continue
        clash = set(module.ROUTES) & set(ROUTES)
        assert not clash, f"routes declared twice: {sorted(clash)}"
        ROUTES.update(module.ROUTES)


_merge_portal_routes()


def declaration_for(name: str) -> Access | None:
    """The declaration of a route: its own line, else the first matching wildcard line."""
    from fnmatch import fnmatchcase

    if name in ROUTES:
        return ROUTES[name]
    for pattern, access in ROUTES.items():
        if "*" in pattern and fnmatchcase(name, pattern):
            return access
    return None
