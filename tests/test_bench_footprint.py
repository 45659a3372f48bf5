"""`bench/footprint.py` reads real sizes: the database's from its own catalog, the memory from
the kernel (issue 7: "what does it cost to run")."""

import os

import pytest
from django.db import connection

from bench import footprint
from tawasul.cases.models import Case
from tawasul.cases.testing import complaint_like_workflow
from tawasul.cases.tests.factories import make_case
from tawasul.cases.workflow import register_workflow, unregister_workflow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workflow():
    registered = register_workflow(complaint_like_workflow())
    yield registered
    unregister_workflow(registered.portal)


def test_the_database_footprint_counts_every_case_and_sizes_the_case_table_with_its_indexes(workflow):
    for _ in range(3):
        make_case()
    result = footprint.database_footprint(connection)
    assert result["vendor"] == connection.vendor
    assert result["cases"] == Case.objects.count() == 3
    cases = next(t for t in result["tables"] if t["table"] == "cases_case")
    assert cases["rows"] == 3
    assert cases["data_bytes"] > 0 and cases["index_bytes"] > 0
    assert cases["total_bytes"] == cases["data_bytes"] + cases["index_bytes"]
    assert sum(t["total_bytes"] for t in result["tables"]) <= result["total_bytes"]
    assert result["bytes_per_complaint"] == round(result["total_bytes"] / 3)
    assert len(result["tables"]) == footprint.TOP_TABLES + 1  # the largest, then the others in one line
    assert "| cases_case | 3 |" in "\n".join(footprint.footprint_table(result))


def test_a_process_memory_is_read_from_the_kernel():
    memory = footprint.process_memory(os.getpid())
    assert memory["rss_bytes"] > 10 * footprint.MB
    assert memory["peak_rss_bytes"] >= memory["rss_bytes"]
    assert 0 < memory["pss_bytes"] <= memory["rss_bytes"]


def test_a_process_that_is_gone_has_no_memory():
    assert footprint.process_memory(2**22 + 1) is None  # above the kernel's largest pid


def test_the_peak_of_a_block_counts_what_it_held_even_when_freed_before_its_end():
    if not footprint.reset_peak():
        pytest.skip("this kernel does not let a process start its peak memory again")
    with footprint.PeakMemory() as peak:
        held = bytearray(64 * footprint.MB)  # zero-filled pages: every one touched and resident
        del held
    assert peak.growth_bytes >= 60 * footprint.MB
    with footprint.PeakMemory() as small:
        pass
    assert small.growth_bytes < 16 * footprint.MB  # the peak starts again from the current size


def test_core_time_turns_cpu_per_request_into_requests_per_core_second_and_core_minutes():
    assert footprint.core_time(2.0, 211_644) == {
        "cpu_ms_per_request": 2.0,
        "per_core_second": 500,
        "requests": 211_644,
        "core_minutes": 7.1,
    }
    assert footprint.core_time(None, 10) is None
