"""The load generator's slices add up to one measurement (bench/run.py: a repetition is cut into
slices, the paths taking turns, so that a path and its baseline share the same seconds)."""

import pytest

from bench.run import CLK_TCK, report


def _part(latencies, *, elapsed, ticks, errors=()):
    return {
        "latencies": latencies,
        "server_ms": [value / 2 for value in latencies],
        "errors": list(errors),
        "elapsed": elapsed,
        "ticks": ticks,
        "client_cpu": 0.25,
        "load": 0.5,
    }


def test_slices_add_up_to_the_measurement_they_cut():
    first = _part([0.001] * 300, elapsed=1.0, ticks=40)
    second = _part([0.003] * 100, elapsed=1.0, ticks=20, errors=["500"])

    whole = report([first, second])

    assert (whole["requests"], whole["ok"], whole["errors"], whole["slices"]) == (400, 399, 1, 2)
    assert whole["rps"] == 200.0  # all the requests over all the seconds, not a mean of rates
    assert whole["server_cpu_ms_per_request"] == round(1000 * 60 / CLK_TCK / 400, 3)
    assert (whole["p50_ms"], whole["p99_ms"]) == (1.0, 3.0)  # percentiles over every latency
    assert whole["client_cpu_s"] == 0.5


def test_one_slice_is_the_measurement_itself():
    part = _part([0.002] * 10, elapsed=0.5, ticks=5)
    assert report([part])["rps"] == 20.0 and report([part])["slices"] == 1


def test_an_open_data_sets_label_gives_back_its_number_of_cases():
    from bench.generate import open_label
    from bench.run import open_count

    for count in (1_000_000, 100_000, 2_500, 3_000_000):
        assert open_count(open_label(count)) == count
    with pytest.raises(ValueError):
        open_count("s10")
