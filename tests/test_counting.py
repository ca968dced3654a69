"""Tests of gancourse.counting: the squares data set and the object counter."""

from __future__ import annotations

import time

import numpy as np
import pytest

from gancourse import counting


def canvas(*boxes: tuple[int, int, int, int], size: int = 28) -> np.ndarray:
    """Return one image (1, size, size, 1) at -1 with +1 in each box (top, left, height, width)."""
    image = np.full((1, size, size, 1), -1.0, np.float32)
    for top, left, height, width in boxes:
        image[0, top : top + height, left : left + width] = 1.0
    return image


def test_square_images_have_exactly_count_objects_in_range():
    for count, side in ((3, 6), (1, 5), (5, 4)):
        images = counting.square_images(300, count=count, side=side, seed=count)
        assert images.shape == (300, 28, 28, 1) and images.dtype == np.float32
        assert set(np.unique(images)) == {-1.0, 1.0}
        assert np.all((images > 0).sum(axis=(1, 2, 3)) == count * side * side)
        assert np.all(counting.count_objects(images) == count)
        assert np.all(counting.count_objects(images, connectivity=4) == count)


def test_square_images_repeat_with_a_seed_and_vary_without_it():
    a, b = counting.square_images(20, seed=4), counting.square_images(20, seed=4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, counting.square_images(20, seed=5))
    assert len({a[i].tobytes() for i in range(20)}) == 20  # positions are random


def test_touching_squares_are_one_object_and_apart_are_two():
    apart = canvas((2, 2, 5, 5), (2, 8, 5, 5))  # one background column between them
    sides = canvas((2, 2, 5, 5), (2, 7, 5, 5))  # side by side
    corners = canvas((2, 2, 5, 5), (7, 7, 5, 5))  # touching at one corner only
    assert counting.count_objects(apart)[0] == 2
    assert counting.count_objects(sides)[0] == 1
    assert counting.count_objects(corners, connectivity=8)[0] == 1
    assert counting.count_objects(corners, connectivity=4)[0] == 2


def test_specks_below_min_pixels_are_ignored_and_empty_is_zero():
    image = canvas((2, 2, 6, 6), (20, 20, 2, 2))  # a square and a 4-pixel speck
    assert counting.count_objects(image, min_pixels=5)[0] == 1
    assert counting.count_objects(image, min_pixels=4)[0] == 2
    assert counting.count_objects(canvas())[0] == 0
    assert counting.count_objects(np.zeros((0, 28, 28)), min_pixels=1).shape == (0,)


def test_object_sizes_tell_a_square_from_two_merged_ones():
    images = np.concatenate(
        [canvas((2, 2, 6, 6)), canvas((2, 2, 6, 6), (2, 8, 6, 6), (20, 20, 2, 2))]
    )
    image, sizes = counting.object_sizes(images)
    assert image.tolist() == [0, 1] and sizes.tolist() == [36, 72]  # the speck is left out
    image, sizes = counting.object_sizes(images, min_pixels=1)
    assert image.tolist() == [0, 1, 1] and sorted(sizes.tolist()) == [4, 36, 72]


def test_threshold_decides_what_is_bright():
    image = canvas((2, 2, 6, 6))
    image[0, 20:26, 20:26] = -0.2  # a dim square
    assert counting.count_objects(image)[0] == 1
    assert counting.count_objects(image, threshold=-0.5)[0] == 2


def test_labels_match_a_flood_fill_on_random_images():
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, size=(20, 12, 12))
    labels, bright = counting.label_objects(images, connectivity=4)
    assert np.array_equal(bright, images > 0) and np.all(labels[~bright] == -1)
    for image, lab in zip(images > 0, labels, strict=True):
        seen = np.zeros_like(image)
        groups = 0
        for start in zip(*np.nonzero(image), strict=True):
            if seen[start]:
                continue
            groups += 1
            stack, members = [start], []
            seen[start] = True
            while stack:
                y, x = stack.pop()
                members.append((y, x))
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < 12 and 0 <= nx < 12 and image[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
            assert len({lab[m] for m in members}) == 1  # one label per group ...
        assert len(np.unique(lab[image])) == groups  # ... and one group per label


def test_counting_a_thousand_images_is_fast():
    images = np.random.default_rng(1).uniform(-1, 1, size=(1000, 28, 28, 1))  # the worst case
    squares = counting.square_images(1000, seed=0)
    start = time.perf_counter()
    counting.count_objects(images)
    assert np.all(counting.count_objects(squares) == 3)
    assert time.perf_counter() - start < 3.0  # about 0.2 s on a free core


def test_count_shares():
    shares = counting.count_shares([3, 3, 2, 4, 9], max_count=5)
    assert np.allclose(shares, [0, 0, 0.2, 0.4, 0.2, 0.2])  # 9 goes to "5 or more"
    assert np.allclose(counting.count_shares([1, 1]), [0, 1])
    with pytest.raises(ValueError, match="empty"):
        counting.count_shares([])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: counting.square_images(0), "n must be a positive integer"),
        (lambda: counting.square_images(5, count=12, side=6), "do not fit"),
        (lambda: counting.square_images(5, side=30), "do not fit"),
        (lambda: counting.count_objects(np.zeros((28, 28))), r"shape \(N, H, W\)"),
        (lambda: counting.count_objects(np.zeros((2, 28, 28, 3))), r"shape \(N, H, W\)"),
        (lambda: counting.count_objects(np.full((1, 4, 4), np.nan)), "NaN"),
        (lambda: counting.count_objects(np.zeros((1, 4, 4)), min_pixels=0), "min_pixels"),
        (lambda: counting.count_objects(np.zeros((1, 4, 4)), threshold="0"), "threshold"),
        (lambda: counting.count_objects(np.zeros((1, 4, 4)), connectivity=6), "connectivity"),
        (lambda: counting.count_shares([1.5]), "integer"),
        (lambda: counting.count_shares([-1]), "class labels 0"),
    ],
)
def test_bad_input_raises_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
