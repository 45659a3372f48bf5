"""Demo staff accounts (placeholder until the accounts module lands)."""

DEMO_PASSWORD = "tawasul-demo-2026"  # noqa: S105 - printed on purpose, demo mode only


def demo_logins():
    return []


def load(stdout):
    pass
