"""The portals the public shell introduces, in the order of the nav and the home page.

Each portal names the URL its app will register (`<app>:index`). Until that app is wired into
`config/urls.py` the name does not resolve: the nav leaves the portal out and the home page shows
it as "coming", without a link (see `templatetags/tawasul_shell.py`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Portal:
    key: str
    url_name: str
    title: Promise
    nav_label: Promise
    summary: Promise
    fact: Promise


PORTALS: tuple[Portal, ...] = (
    Portal(
        key="complaints",
        url_name="complaints:index",
        title=_("Complaints and suggestions"),
        nav_label=_("Complaints"),
        summary=_(
            "File a complaint, an observation or a suggestion about any public administration, "
            "then follow it with its reference number."
        ),
        # Decree 2-17-265: "a maximum of two months" per case (DOMAIN.md §2.1, R2).
        fact=_("A complaint is answered within 60 days at most."),
    ),
    Portal(
        key="information",
        url_name="information:index",
        title=_("Access to information"),
        nav_label=_("Information requests"),
        summary=_("Ask a public body for information it holds, as law 31-13 on the right of access allows."),
        # Law 31-13 arts. 16-17: 20 working days; 3 days when life, safety or freedom is at stake (DOMAIN.md §1.6).
        fact=_("The body answers within 20 working days, or within 3 days when a life or a freedom is at stake."),
    ),
    Portal(
        key="documents",
        url_name="documents:index",
        title=_("Civil-status documents"),
        nav_label=_("Documents"),
        summary=_(
            "Order a full copy or an abridged extract of a birth record from the civil-status office of your commune."
        ),
        # R3: the order is paid before it is sent to the office; the post delivers (DOMAIN.md §3, ADR 0028).
        fact=_("Pay the fee online; the post brings the documents to your address."),
    ),
    Portal(
        key="procedures",
        url_name="catalog:index",
        title=_("Procedures catalog"),
        nav_label=_("Procedures"),
        summary=_("Find what each administrative procedure asks for: documents, steps, cost, delay and where to go."),
        # service-public.ma figures (SPEC.md §5).
        fact=_("803 procedures in 14 themes."),
    ),
    Portal(
        key="facilities",
        url_name="facilities:index",
        title=_("Public facilities map"),
        nav_label=_("Map"),
        summary=_("Find the public offices near you, with their address, opening hours and services."),
        # maps.service-public.ma figure (SPEC.md §6).
        fact=_("16,043 public facilities on the map."),
    ),
    Portal(
        key="jobs",
        url_name="jobs:index",
        title=_("Public jobs"),
        nav_label=_("Jobs"),
        summary=_("Read recruitment competitions and calls for posts in the public service, and apply online."),
        fact=_("Apply online before the deadline and follow each application."),
    ),
    Portal(
        key="contact",
        url_name="contact:index",
        title=_("Contact center 3737"),
        nav_label=_("Contact"),
        summary=_("Call for guidance on a procedure or to file a complaint by phone, in Arabic, Amazigh or French."),
        # "Allo Idarati 3737", open Monday to Friday, 09:00-15:00 (DOMAIN.md §6).
        fact=_("Call 3737, Monday to Friday, from 9:00 to 15:00."),
    ),
    Portal(
        key="reception",
        url_name="reception:index",
        title=_("Reception quality"),
        nav_label=_("Reception"),
        summary=_("See the model reception sites and the program's progress, and rate the welcome you received."),
        # The Idarati reception program (DOMAIN.md §6, R7): a survey from each site's QR code.
        fact=_("Scan the QR code at the desk to give your opinion, without an account."),
    ),
    Portal(
        key="open_data",
        url_name="insights:open_data",
        title=_("Indicators and open data"),
        nav_label=_("Open data"),
        summary=_("Download each month's anonymised figures of the portals, per administration and region."),
        # SPEC.md §9: anonymised open data (CSV/JSON) for the public; small counts withheld (ADR 0030).
        fact=_("CSV and JSON files, free to reuse under the CC BY 4.0 licence."),
    ),
)
