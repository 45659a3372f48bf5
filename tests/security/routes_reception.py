"""Who may reach the reception program's routes (tawasul/reception; see routes.py for the syntax).

Public: the program page, the survey of a site (answered without an account), its thanks page and
the printable QR poster. Staff: the head of unit of X manages X's sites and activities; the
national unit manages all; officers, the contact agent and citizens have no staff page here.
Y's staff get the same 404 for X's site as for a site that does not exist.
"""

from __future__ import annotations

from .routes import NATIONAL_UNIT, SUPERVISOR_X, allow, public

#: The program's managers among the personas.
MANAGERS = frozenset({SUPERVISOR_X, NATIONAL_UNIT})

ROUTES = {
    "reception:index": public(),
    "reception:survey": public(code="reception_site_x.code"),
    "reception:survey_thanks": public(code="reception_site_x.code"),
    "reception:site_qr": public(code="reception_site_x.code"),
    "reception:staff_sites": allow(MANAGERS),
    "reception:staff_site_create": allow(MANAGERS),
    "reception:staff_site": allow(MANAGERS, pk="reception_site_x.pk"),
    "reception:staff_site_label": allow(
        {NATIONAL_UNIT}, method="POST", pk="reception_site_x.pk", note="the national unit grants the label"
    ),
    "reception:staff_site_results": allow(MANAGERS, pk="reception_site_x.pk"),
    "reception:staff_results": allow(MANAGERS, note="each sees only the administrations they manage"),
    "reception:staff_progress": allow(MANAGERS, note="each sees only the administrations they manage"),
    "reception:staff_activity_create": allow({NATIONAL_UNIT}),
    "reception:staff_activity": allow(MANAGERS, pk="reception_activity_x.pk"),
}
