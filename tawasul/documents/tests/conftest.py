import pytest


@pytest.fixture(autouse=True)
def _default_prices(request):
    """R3's price lines, as migration 0002 writes them: a reused test database may have lost them
    to the flush of a transactional (browser) test."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        return
    request.getfixturevalue("django_db_blocker")
    from tawasul.documents.pricing import install_default_prices

    install_default_prices()
