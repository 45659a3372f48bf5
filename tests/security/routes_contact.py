"""Routes of the contact center (tawasul.contact; SPEC.md §8), merged into routes.ROUTES.

The console and its pages are for contact agents; the log for agents and their supervisors (a
head of unit of the 3737 center's own administration: not a persona, tested in
tawasul/contact/tests/test_access.py); the statistics for the national unit and those
supervisors; the assistant and its callback form are public.
"""

from .routes import CONTACT_AGENT, NATIONAL_UNIT, allow, public

ROUTES = {
    "contact:index": public(),
    "contact:console": allow({CONTACT_AGENT}),
    "contact:console_log": allow({CONTACT_AGENT}, method="POST", note="an empty POST: the form's 400"),
    "contact:console_complaint": allow(
        {CONTACT_AGENT}, note="without an administration: redirects to the console (not a login page)"
    ),
    "contact:console_complaint_done": allow({CONTACT_AGENT}, reference="contact_case.reference"),
    "contact:log": allow({CONTACT_AGENT}),
    "contact:statistics": allow({NATIONAL_UNIT}),
    "contact:statistics_csv": allow({NATIONAL_UNIT}),
    "contact:assistant": public(),
    "contact:callback": public(),
    "contact:callback_sent": public(),
}
