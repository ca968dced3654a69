"""benchmarks/averaged_generator.py: G and its averages judged from the same run."""

from __future__ import annotations

import math

import pytest
from benchmark_helpers import load_benchmark

from gancourse import mnist_metrics


@pytest.fixture(scope="module")
def bench(repo_root):
    """The benchmark script, imported as a module."""
    return load_benchmark(repo_root, "averaged_generator")


def test_step_counts_must_rise(bench, capsys):
    assert bench.parse_args(["--steps", "10", "20"]).steps == [10, 20]
    for bad in (["--steps", "20", "10"], ["--steps", "0", "5"], ["--steps", "5", "5"]):
        with pytest.raises(SystemExit):
            bench.parse_args(bad)
    assert "positive and increasing" in capsys.readouterr().err


def test_a_few_steps_judge_g_and_every_average_from_one_run(bench):
    args = bench.parse_args(["--steps", "2", "12", "--decays", "0.9", "0.5"])  # warm-up ends at 9
    judges = {"shipped": mnist_metrics.load_classifier()}
    rows = bench.run_seed(args, 0, judges)
    assert [row["steps"] for row in rows] == [2, 12]
    for row in rows:
        assert {"G itself", "average 0.9", "average 0.5"} <= set(row)
        for name in ("G itself", "average 0.9", "average 0.5"):
            assert math.isfinite(row[name]["worst"]) and row[name]["worst"] > 0
            assert row[name]["worst"] == row[name]["shipped"]  # one judge: it is the worst
    last = rows[-1]
    assert last["average 0.9"]["worst"] != last["G itself"]["worst"]
    assert last["average 0.5"]["worst"] != last["average 0.9"]["worst"]
