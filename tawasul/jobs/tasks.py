"""Background jobs of the jobs portal (ARCHITECTURE.md §3.8: small, take ids, idempotent)."""

from django_tasks import task

from . import pages


@task()
def warm_public_pages(notice_id: int) -> int:
    """Render a notice's public pages (notice and lists) in every language after a publication,
    so a results day's first readers find them in the cache. Safe to run twice."""
    return pages.warm(notice_id)
