"""Demo people: staff of a few real administrations, one citizen, one admin (issue 2 item 6).

`load(stdout)` runs after the registry's demo loader (the administrations exist), inside the
transaction of `manage.py seed_demo`; running it again updates the same accounts. Every account has
the password `DEMO_PASSWORD` and a verified email `<role>.<administration code>@demo.tawasul.ma`.
Demo mode only: `make run` prints them with `demo_logins()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from .roles import Role

DEMO_PASSWORD = "tawasul-demo-2026"  # noqa: S105 - printed on purpose, demo mode only
DEMO_DOMAIN = "demo.tawasul.ma"

#: Administrations with a full escalation ladder (codes of tawasul/registry/data/administrations.csv).
LADDER_ADMINISTRATIONS = ("interieur", "sante", "cnss", "commune-rabat", "commune-casablanca")
LADDER_ROLES = (Role.OFFICER, Role.DEPUTY, Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT)
#: The national unit: the Ministry of Digital Transition and Administration Reform (MTNRA).
NATIONAL_UNIT_ADMINISTRATION = "transition-numerique"


@dataclass(frozen=True)
class DemoAccount:
    role: str | None  # None: the citizen and the admin
    administration: str | None
    first_name: str
    last_name: str
    label: str = ""

    @property
    def email(self) -> str:
        if self.role is None:
            return f"{self.label}@{DEMO_DOMAIN}"
        return f"{self.role.replace('_', '-')}.{self.administration}@{DEMO_DOMAIN}"


# Common Moroccan first and last names, in the Latin spelling of the civil-status records.
_FIRST_NAMES = ("Amina", "Youssef", "Fatima Zahra", "Mohamed", "Khadija", "Hamza", "Salma", "Omar", "Imane", "Karim")
_LAST_NAMES = (
    "Benali",
    "El Idrissi",
    "Alaoui",
    "Bennani",
    "Tazi",
    "Berrada",
    "Chraibi",
    "El Fassi",
    "Amrani",
    "Ouazzani",
)


def _staff_plan() -> list[DemoAccount]:
    pairs = [(role, code) for code in LADDER_ADMINISTRATIONS for role in LADDER_ROLES]
    pairs += [
        (Role.NATIONAL_UNIT, NATIONAL_UNIT_ADMINISTRATION),
        (Role.CONTACT_AGENT, NATIONAL_UNIT_ADMINISTRATION),  # the 3737 center is the MTNRA's
        (Role.CATALOG_EDITOR, "cnss"),
        (Role.INFORMATION_OFFICER, "sante"),
        (Role.BODY_HEAD, "sante"),
        (Role.CDAI_AGENT, "cdai"),
        (Role.RECRUITER, "sante"),
        (Role.CIVIL_STATUS_OFFICER, "commune-rabat"),
    ]
    return [
        DemoAccount(role, code, _FIRST_NAMES[i % len(_FIRST_NAMES)], _LAST_NAMES[(i * 3) % len(_LAST_NAMES)])
        for i, (role, code) in enumerate(pairs)
    ]


CITIZEN = DemoAccount(None, None, "Nadia", "Bouzidi", label="citizen")
ADMIN = DemoAccount(None, None, "Admin", "Tawasul", label="admin")


def demo_logins() -> list[tuple[str, str]]:
    """(role, email) of every demo account, for the banner of `make run` (in English)."""
    with translation.override("en"):
        rows = [("Citizen", CITIZEN.email)]
        rows += [(f"{Role(a.role).label} ({a.administration})", a.email) for a in _staff_plan()]
        rows.append(("Django admin (superuser)", ADMIN.email))
    return rows


def _person(account: DemoAccount, password_hash: str, **flags):
    from allauth.account.models import EmailAddress

    from .models import User

    user, _ = User.objects.update_or_create(
        username=account.email,
        defaults={
            "email": account.email,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "is_active": True,
            "password": password_hash,
            **flags,
        },
    )
    EmailAddress.objects.update_or_create(user=user, email=account.email, defaults={"verified": True, "primary": True})
    return user


def load(stdout) -> None:
    from django.contrib.auth.hashers import make_password

    from tawasul.registry.models import Administration

    from .services import membership_grant

    plan = _staff_plan()
    codes = {a.administration for a in plan}
    administrations = Administration.objects.in_bulk(codes, field_name="code")
    missing = sorted(codes - set(administrations))
    if missing:  # the registry's demo file is ours: a missing code is a bug to fix there or here
        raise ValueError(f"Demo staff need administrations missing from the registry: {', '.join(missing)}")

    # One hash for every account: hashing is slow on purpose (PBKDF2), and these share one password.
    password_hash = make_password(DEMO_PASSWORD)
    for account in plan:
        user = _person(account, password_hash)
        administration = administrations[account.administration]
        membership_grant(actor=None, user=user, administration=administration, role=account.role)
    _person(CITIZEN, password_hash, phone="+212612345678", postal_address="12, rue Oued Ziz, Agdal, Rabat")
    _person(ADMIN, password_hash, is_staff=True, is_superuser=True)
    stdout.write(f"  {len(plan)} demo staff accounts, 1 citizen, 1 admin (password: {DEMO_PASSWORD})")
