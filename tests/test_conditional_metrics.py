"""gancourse.conditional_metrics: right numbers on known labels and on drawn strokes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gancourse import conditional_metrics as cm

# --------------------------------------------------------------------------- conditioning


def test_conditioning_accuracy_known_case():
    overall, per_digit = cm.conditioning_accuracy([1, 1, 2, 3], [1, 2, 2, 3], classes=4)
    assert overall == pytest.approx(0.75)
    assert np.isnan(per_digit[0]), "digit 0 was never asked for"
    np.testing.assert_allclose(per_digit[1:], [1.0, 0.5, 1.0])
    assert per_digit.shape == (4,)


def test_conditioning_accuracy_perfect_and_all_wrong():
    requested = np.arange(100) % 10
    assert cm.conditioning_accuracy(requested, requested)[0] == 1.0
    overall, per_digit = cm.conditioning_accuracy((requested + 1) % 10, requested)
    assert overall == 0.0 and np.all(per_digit == 0.0)


@pytest.mark.parametrize(
    ("predicted", "requested", "message"),
    [
        ([1, 2, 3], [1, 2], "same length"),
        ([], [], "at least one"),
        ([1, 10], [1, 2], "0..9"),
        ([1.5, 2], [1, 2], "integer"),
    ],
)
def test_conditioning_accuracy_refuses_bad_labels(predicted, requested, message):
    with pytest.raises(ValueError, match=message):
        cm.conditioning_accuracy(predicted, requested)


def test_confusion_counts_rows_are_the_first_argument():
    counts = cm.confusion_counts([0, 0, 1], [2, 2, 0], classes=3)
    np.testing.assert_array_equal(counts, [[0, 0, 2], [1, 0, 0], [0, 0, 0]])


# --------------------------------------------------------------------------- InfoGAN codes


def test_code_purity_of_pure_codes_is_one():
    codes = np.arange(50) % 10
    mean, per_code = cm.code_purity(codes, (codes * 3) % 10)
    assert mean == 1.0 and np.all(per_code == 1.0)


def test_code_purity_known_mixed_case():
    mean, per_code = cm.code_purity([0, 0, 0, 0, 1, 1], [1, 1, 1, 2, 5, 6], classes=3 + 4)
    np.testing.assert_allclose(per_code[:2], [0.75, 0.5])
    assert np.all(np.isnan(per_code[2:])), "unused code values"
    assert mean == pytest.approx(0.625)


def test_code_purity_of_random_digits_is_low():
    rng = np.random.default_rng(0)
    mean, _ = cm.code_purity(rng.integers(0, 10, 5000), rng.integers(0, 10, 5000))
    assert 0.1 < mean < 0.16


def _brute_force(counts):
    k = len(counts)
    return max(sum(counts[c, p[c]] for c in range(k)) for p in itertools.permutations(range(k)))


@pytest.mark.parametrize("seed", range(6))
def test_best_matching_equals_a_search_over_all_permutations(seed):
    rng = np.random.default_rng(seed)
    codes, predicted = rng.integers(0, 5, 60), rng.integers(0, 5, 60)
    pairing, share = cm.best_matching(codes, predicted, classes=5)
    counts = cm.confusion_counts(codes, predicted, classes=5)
    assert sorted(pairing) == list(range(5)), "one-to-one"
    assert share == pytest.approx(_brute_force(counts) / 60)
    assert counts[np.arange(5), pairing].sum() / 60 == pytest.approx(share), "the pairing's share"


def test_best_matching_beats_greedy_on_a_known_table():
    # Greedy (code 0 takes its most common digit 0) explains 5 + 1 = 6; the best pairing 4 + 4.
    codes = [0] * 9 + [1] * 5
    predicted = [0] * 5 + [1] * 4 + [0] * 4 + [1]
    pairing, share = cm.best_matching(codes, predicted, classes=2)
    np.testing.assert_array_equal(pairing, [1, 0])
    assert share == pytest.approx(8 / 14)


def test_best_matching_of_ten_classes_finds_the_identity_and_a_permutation():
    codes = np.repeat(np.arange(10), 7)
    pairing, share = cm.best_matching(codes, codes)
    np.testing.assert_array_equal(pairing, np.arange(10))
    assert share == 1.0
    perm = np.random.default_rng(1).permutation(10)
    noisy = perm[codes].copy()
    noisy[::7] = 0  # one sample of each code moved to digit 0
    pairing, share = cm.best_matching(codes, noisy)
    np.testing.assert_array_equal(pairing, perm)
    assert share == pytest.approx(1 - 9 / 70)  # the moved sample of the code paired with 0 counts


def test_best_matching_refuses_too_many_classes():
    with pytest.raises(ValueError, match="too many"):
        cm.best_matching([0, 1], [1, 0], classes=17)


# --------------------------------------------------------------------------- strokes


def _stroke(lean: float, width: int = 2, n: int = 1) -> np.ndarray:
    """A straight stroke from row 4 to row 23 in [-1, 1] images: ``lean`` columns per row up."""
    image = -np.ones((28, 28, 1), np.float32)
    for row in range(4, 24):
        up = 23 - row  # rows counted upwards from the stroke's foot
        col = int(round(14 - 10 * lean + lean * up))
        image[row, col : col + width] = 1.0
    return np.repeat(image[None], n, axis=0)


def test_slant_is_positive_leaning_right_zero_upright_negative_leaning_left():
    right, upright, left = (cm.slant(_stroke(lean))[0] for lean in (0.4, 0.0, -0.4))
    assert right == pytest.approx(0.4, abs=0.03)
    assert upright == pytest.approx(0.0, abs=1e-6)
    assert left == pytest.approx(-0.4, abs=0.03)


def test_slant_and_ink_give_one_number_per_image():
    images = np.concatenate([_stroke(0.3), _stroke(-0.2), _stroke(0.0)])
    assert cm.slant(images).shape == (3,) and cm.ink(images).shape == (3,)
    assert np.all(np.diff(cm.slant(images)[[1, 2, 0]]) > 0)


def test_ink_grows_with_the_stroke_s_width():
    thin, thick = cm.ink(_stroke(0.2, width=1))[0], cm.ink(_stroke(0.2, width=3))[0]
    assert thin == pytest.approx(20 / 784) and thick == pytest.approx(60 / 784)
    assert cm.ink(-np.ones((1, 28, 28, 1)))[0] == 0.0
    assert cm.ink(np.ones((1, 28, 28, 1)))[0] == 1.0


def test_an_empty_image_has_no_slant_and_no_nan():
    assert cm.slant(-np.ones((1, 28, 28, 1)))[0] == 0.0
