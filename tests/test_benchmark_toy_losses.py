"""benchmarks/toy_losses.py: its table shows every seed, and a tiny run writes its results."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from benchmark_helpers import load_benchmark


@pytest.fixture(scope="module")
def bench(repo_root):
    """The benchmark script, imported as a module."""
    return load_benchmark(repo_root, "toy_losses")


def test_the_table_shows_each_seed_and_the_range(bench):
    result = SimpleNamespace(
        name="hinge", modes=np.array([[1, 8], [2, 7]]), good=np.array([[0, 0.5], [0, 0.25]]),
        total_modes=8, seconds=12.3,
    )  # fmt: skip
    table = bench.markdown_table([result], 2000)
    assert "| hinge | 7.5 of 8 (8, 7) | 38% (25%-50%) | 12 |" in table
    assert "step 2000" in table


def test_a_tiny_run_writes_every_table_it_measured(bench, tmp_path):
    argv = ["--toys", "ring", "--groups", "losses", "--recipes", "hinge", "--seeds", "0", "1"]
    bench.main([*argv, "--steps", "4", "--out", str(tmp_path)])
    record = json.loads((tmp_path / "results.json").read_text())
    (table,) = record["tables"]
    assert table["toy"] == "ring" and [r["name"] for r in table["recipes"]] == ["hinge"]
    assert np.array(table["recipes"][0]["modes"]).shape == (2, 4)
