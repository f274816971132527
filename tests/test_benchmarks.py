"""Smoke test of the benchmark on a small image: structure and agreement, no timing claims."""

from __future__ import annotations

import json

import pytest

from convnotes import benchmarks
from convnotes.cli import main


def test_run_benchmarks_reports_times_ratios_and_agreement():
    results = benchmarks.run_benchmarks(
        size=64,
        kernel_sizes=(3, 4),
        pool_sizes=(2, 3),
        repeats=2,
        include_keras=True,
        opencv_threads=1,
    )
    assert [row["kernel"] for row in results["conv2d"]] == [3, 4]
    for row in results["conv2d"]:
        assert row["convnotes_ms"] > 0 and row["opencv_ms"] > 0 and row["keras_ms"] > 0
        assert row["ratio_opencv"] == pytest.approx(row["convnotes_ms"] / row["opencv_ms"])
        assert row["max_abs_error_opencv"] < 1e-4
        assert row["max_abs_error_keras"] < 1e-4
    assert [(row["pool"], row["mode"]) for row in results["pooling"]] == [
        (2, "max"),
        (2, "average"),
        (3, "max"),
        (3, "average"),
    ]
    assert all(row["max_abs_error_keras"] < 1e-5 for row in results["pooling"])
    assert results["target"]["ratio"] == results["conv2d"][0]["ratio_opencv"]
    assert results["config"]["opencv_threads"] == 1
    assert results["kind"] == "convnotes.benchmark/1"
    assert results["provenance"]["machine"]["cpu_count"] >= 1
    assert (
        results["metrics"]["conv2d_3x3"]["time_ratio_vs_opencv_median"]
        == results["target"]["ratio"]
    )
    assert set(results["metrics"]) == {
        "conv2d_3x3",
        "conv2d_4x4",
        "max_pool_2x2",
        "average_pool_2x2",
        "max_pool_3x3",
        "average_pool_3x3",
    }
    assert "3x3" in benchmarks.format_table(results)


def test_cli_writes_json(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert (
        main(
            [
                "benchmark",
                "--size",
                "48",
                "--kernels",
                "3",
                "--repeats",
                "1",
                "--no-keras",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "vs OpenCV" in printed and str(out) in printed
    data = json.loads(out.read_text())
    assert data["conv2d"][0]["kernel"] == 3
    assert "keras_ms" not in data["conv2d"][0]
    assert (
        data["command"]
        == data["provenance"]["command"]
        == ("convnotes benchmark --size 48 --kernels 3 --pools 2 --repeats 1 --no-keras")
    )


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="repeats must be a positive integer, got 0"):
        benchmarks.run_benchmarks(size=32, repeats=0, include_keras=False)
