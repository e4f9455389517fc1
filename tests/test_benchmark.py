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


def test_stream_check_reports_the_median_round_and_the_largest_peak(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    # (all-core seconds, --jobs 1 seconds, peak MB) per round, in the order the rounds run
    rounds = iter([(10.0, 18.0, 300.0), (12.0, 18.0, 350.0), (9.0, 18.0, 320.0)])
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], *, pin: bool = False) -> dict:
        calls.append(cmd)
        if "--jobs" not in cmd:
            fake_run.current = next(rounds)  # type: ignore[attr-defined]
            seconds, peak = fake_run.current[0], fake_run.current[2]  # type: ignore[attr-defined]
        else:
            assert pin, "--jobs 1 runs pinned to one core"
            seconds, peak = fake_run.current[1], 130.0  # type: ignore[attr-defined]
        return {"seconds": seconds, "cpu_seconds": seconds, "peak_rss_tree_mb": peak, "records_written": 1}

    monkeypatch.setattr(benchmark, "run_monitored", fake_run)
    docs = [{"text": "a line\nanother line"}]
    result = benchmark.stream_check(docs, tmp_path, 0, None, rounds=3)  # type: ignore[arg-type]
    assert len(calls) == 6
    assert result["speedup_pairs"] == [1.8, 1.5, 2.0]
    assert result["speedup"] == 1.8 and result["seconds"] == 10.0  # the median round, by its ratio
    assert result["peak_rss_tree_mb"] == 350.0  # the largest of every round
    assert result["runs_seconds"] == [10.0, 12.0, 9.0] and result["jobs1"]["runs_seconds"] == [18.0] * 3
