"""Who may reach the jobs portal's routes (merged into `routes.ROUTES`).

The recruiting unit's pages need `Role.RECRUITER` in the notice's administration; no persona is a
recruiter, so every persona is refused there (recruiters of X and Y are tried in
`tawasul/jobs/tests/test_staff_views.py`)."""

from __future__ import annotations

from .routes import CITIZEN_A, NOBODY, SIGNED_IN, allow, public

_RECRUITERS = "recruiters only (no persona is one): see tawasul/jobs/tests/test_staff_views.py"

ROUTES = {
    "jobs:index": public(),
    "jobs:notice": public(pk="job_notice.pk"),
    "jobs:list": public(pk="job_notice.pk", slug="job_list.kind"),
    "jobs:notice_file": public(pk="job_notice.pk", slug="job_notice_file"),
    "jobs:profile": allow(SIGNED_IN),
    "jobs:apply": allow(SIGNED_IN, pk="job_notice.pk", note="without a profile: redirects to the profile"),
    "jobs:my_applications": allow(SIGNED_IN, note="each sees only their own"),
    "jobs:application": allow({CITIZEN_A}, reference="job_app_a.reference"),
    "jobs:application_withdraw": allow({CITIZEN_A}, method="POST", reference="job_app_a.reference"),
    "jobs:staff_notices": allow(NOBODY, note=_RECRUITERS),
    "jobs:staff_notice_create": allow(NOBODY, note=_RECRUITERS),
    "jobs:staff_notice": allow(NOBODY, pk="job_notice.pk", note=_RECRUITERS),
    "jobs:staff_notice_edit": allow(NOBODY, pk="job_notice.pk", note=_RECRUITERS),
    "jobs:staff_notice_publish": allow(NOBODY, method="POST", pk="job_notice.pk", note=_RECRUITERS),
    "jobs:staff_preselect": allow(NOBODY, method="POST", pk="job_notice.pk", note=_RECRUITERS),
    "jobs:staff_export": allow(NOBODY, pk="job_notice.pk", note=_RECRUITERS),
    "jobs:staff_list_publish": allow(NOBODY, pk="job_notice.pk", slug="job_list.kind", note=_RECRUITERS),
    "jobs:staff_withdrawal": allow(NOBODY, method="POST", pk="job_notice.pk", note=_RECRUITERS),
    "jobs:staff_notice_file": allow(
        NOBODY, method="POST", pk="job_notice.pk", slug="job_notice_file", note=_RECRUITERS
    ),
    "jobs:staff_application": allow(NOBODY, reference="job_app_a.reference", note=_RECRUITERS),
    "jobs:staff_application_document": allow(
        NOBODY, reference="job_app_a.reference", pk="job_document_a.pk", note=_RECRUITERS
    ),
}
