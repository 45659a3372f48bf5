"""Background jobs of accounts (ARCHITECTURE.md §3.8)."""

from django_tasks import task

from .personal_data import personal_data_purge_expired


@task(queue_name="sweeps")
def purge_expired_personal_data() -> int:
    """Daily: erase the identities of cases closed more than PERSONAL_DATA_RETENTION_YEARS ago
    (law 09-08 art. 3 §1 e). Idempotent: an anonymised case is not touched again."""
    return personal_data_purge_expired()
