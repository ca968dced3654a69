"""gancourse.augmentation: a small labelled set, and a classifier's accuracy trained on it."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse import augmentation

LABELS = np.repeat(np.arange(10), 6)[np.random.default_rng(0).permutation(60)]


def test_few_per_class_picks_exactly_k_of_each_class_sorted():
    picked = augmentation.few_per_class(LABELS, 4, seed=1)
    assert len(picked) == 40 and len(set(picked)) == 40
    assert np.all(np.diff(picked) > 0), "sorted, no repeats"
    np.testing.assert_array_equal(np.bincount(LABELS[picked], minlength=10), [4] * 10)


def test_few_per_class_depends_on_the_seed_only():
    a = augmentation.few_per_class(LABELS, 3, seed=1)
    np.testing.assert_array_equal(a, augmentation.few_per_class(LABELS, 3, seed=1))
    assert not np.array_equal(a, augmentation.few_per_class(LABELS, 3, seed=2))
    everything = augmentation.few_per_class(LABELS, 6, seed=5)
    np.testing.assert_array_equal(everything, np.arange(60))


@pytest.mark.parametrize(
    ("labels", "per_class", "message"),
    [
        (LABELS, 7, "more than the 6"),
        (LABELS, 0, "per_class"),
        (np.arange(10) % 9, 1, "digits of class 9"),  # no 9 at all
        (np.array([0, 10]), 1, "0..9"),
    ],
)
def test_few_per_class_refuses_what_cannot_be_picked(labels, per_class, message):
    with pytest.raises(ValueError, match=message):
        augmentation.few_per_class(labels, per_class)


def _bright_squares(n, seed):
    """Dark images, each with a bright 7x7 square at a place that depends on its class."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = rng.uniform(-1, -0.6, (n, 28, 28, 1)).astype(np.float32)
    for i, digit in enumerate(labels):
        row, col = divmod(int(digit), 4)
        images[i, 7 * row : 7 * row + 7, 7 * col : 7 * col + 7] = 1.0
    return images, labels


@pytest.fixture(scope="module")
def squares():
    return (*_bright_squares(100, 0), *_bright_squares(200, 1))


def test_classifier_accuracy_learns_an_easy_task_and_repeats(squares):
    first = augmentation.classifier_accuracy(*squares, steps=30, seed=3)
    assert first >= 0.9
    assert augmentation.classifier_accuracy(*squares, steps=30, seed=3) == first


def test_classifier_accuracy_refuses_mismatched_labels(squares):
    images, labels, test_images, test_labels = squares
    with pytest.raises(ValueError, match="labels"):
        augmentation.classifier_accuracy(images, labels[:-1], test_images, test_labels, steps=1)
    with pytest.raises(ValueError, match="steps"):
        augmentation.classifier_accuracy(images, labels, test_images, test_labels, steps=0)
