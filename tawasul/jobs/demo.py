"""Demo data of jobs (loaded by `manage.py seed_demo`)."""


def load(stdout) -> None:
    """Nothing yet."""
