"""Demo data of contact (loaded by `manage.py seed_demo`)."""


def load(stdout) -> None:
    """Nothing yet."""
