"""The benchmark's aggregation of repeated runs (``eval/benchmark.py``): what the published table is made of."""

from __future__ import annotations

import pytest

from eval import benchmark


def test_median_run_is_the_middle_run_by_wall_time_and_keeps_every_run() -> None:
    runs = [
        {"seconds": 4.0, "lines_per_s": 50.0},
        {"seconds": 3.0, "lines_per_s": 66.7},
        {"seconds": 5.0, "lines_per_s": 40.0},
    ]
    middle = benchmark.median_run(runs)
    assert middle["seconds"] == 4.0 and middle["lines_per_s"] == 50.0
    assert middle["runs_seconds"] == [4.0, 3.0, 5.0]  # in the order they ran
    assert middle["runs_lines_per_s"] == [50.0, 66.7, 40.0]
    assert "runs_seconds" not in runs[0]  # the runs themselves are not changed


def test_median_run_of_an_even_count_is_the_lower_middle_one() -> None:
    assert benchmark.median_run([{"seconds": 2.0}, {"seconds": 1.0}])["seconds"] == 1.0


def test_spread_names_the_range_and_the_count_but_not_for_one_run() -> None:
    assert benchmark._spread([1.62, 1.38, 1.48], "{:.2f}") == " (1.38-1.62, 3 runs)"
    assert benchmark._spread([1.5], "{:.2f}") == ""
    assert benchmark._spread(None, "{:.2f}") == ""


def test_repeats_must_be_positive() -> None:
    with pytest.raises(SystemExit):
        benchmark.main(["--repeats", "0"])
