"""Staff roles and what each one reaches (SPEC.md "People and roles", issue 2 item 6).

A staff member holds a role *in* an administration through a `Membership`. What the role lets them
see is decided here, in one place, and read by `tawasul.accounts.permissions`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Decree 2-17-265 (DOMAIN.md §2.1, R2): each administration's unit has an official in charge and a deputy.
    OFFICER = "officer", _("Liaison officer")
    DEPUTY = "deputy", _("Deputy liaison officer")
    HEAD_OF_UNIT = "head_of_unit", _("Head of unit")
    HIGHER_MANAGEMENT = "higher_management", _("Higher management")
    # The ministry in charge of administration reform: indicators of every administration.
    NATIONAL_UNIT = "national_unit", _("National unit")
    # The 3737 contact center: files complaints for callers of any administration.
    CONTACT_AGENT = "contact_agent", _("Contact-center agent")
    CATALOG_EDITOR = "catalog_editor", _("Catalog editor")
    RECRUITER = "recruiter", _("Recruiting unit")
    CIVIL_STATUS_OFFICER = "civil_status_officer", _("Civil-status officer")
    # Law 31-13 (DOMAIN.md §1.8, R1 `info_officer`): the person in charge of information requests.
    INFORMATION_OFFICER = "information_officer", _("Information officer")
    # Law 31-13 (DOMAIN.md §1.6, R1 `body_head`): the head of the body, who hears complaints.
    BODY_HEAD = "body_head", _("Head of the body (law 31-13)")
    # Law 31-13 (DOMAIN.md §1.9, R1 `cdai_agent`): an agent of the Commission (CDAI).
    CDAI_AGENT = "cdai_agent", _("Agent of the access-to-information commission (CDAI)")


#: The escalation chain of SPEC.md §1 (the Jordanian 48-hour auto-escalation, DOMAIN.md §7):
#: level 1 = officer and deputy, level 2 = head of unit, level 3 = higher management.
ESCALATION_LEVELS: dict[int, frozenset[str]] = {
    1: frozenset({Role.OFFICER, Role.DEPUTY}),
    2: frozenset({Role.HEAD_OF_UNIT}),
    3: frozenset({Role.HIGHER_MANAGEMENT}),
}
MAX_ESCALATION_LEVEL = max(ESCALATION_LEVELS)

#: Roles whose scope is the whole country although their membership points at one administration
#: (the ministry that employs them). They never give access to case contents through
#: `administrations_for`: the national unit reads indicators (`can_read_national_indicators`),
#: the contact agent files for callers. SPEC.md: the national unit "reads case contents only where
#: the law lets it", which a role held in that administration must say.
NATIONAL_ROLES: frozenset[str] = frozenset({Role.NATIONAL_UNIT, Role.CONTACT_AGENT})

#: Supervisors (SPEC.md "Supervisor of an administration") also see the sub-tree below their
#: administration: a ministry's higher management sees its directorates and delegations.
SUBTREE_ROLES: frozenset[str] = frozenset({Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT})

#: Roles that see an administration's own work (cases, catalog entries, announcements...).
LOCAL_ROLES: frozenset[str] = frozenset(Role.values) - NATIONAL_ROLES
