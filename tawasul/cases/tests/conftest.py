import pytest

from tawasul.cases.testing import complaint_like_workflow
from tawasul.cases.workflow import register_workflow, unregister_workflow


@pytest.fixture(autouse=True)
def workflow():
    """The realistic complaint-like table of tawasul.cases.testing, under a test portal."""
    registered = register_workflow(complaint_like_workflow())
    yield registered
    unregister_workflow(registered.portal)


@pytest.fixture
def media_files(_media):
    def files():
        return sorted(p for p in _media.rglob("*") if p.is_file())

    return files
