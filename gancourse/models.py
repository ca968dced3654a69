"""Generator and discriminator builders: toy MLPs, an MNIST MLP, DCGANs and conditional ones.

Every builder returns a fresh Keras functional model. Shapes, with N the batch size:

* generators map noise ``(N, noise_dim)`` to points ``(N, data_dim)`` (toy models) or to
  images ``(N, 28, 28, 1)`` in [-1, 1] (a ``tanh`` output, the scale ``gancourse.data``
  uses);
* discriminators map points or images to **logits** ``(N, 1)``: a raw score, no sigmoid.
  ``sigmoid(logit)`` is the probability "real"; the losses in ``gancourse.losses`` take
  logits because that is numerically stable;
* conditional models take a second input, integer class labels ``(N,)``, so they are
  called as ``generator([noise, labels])`` and ``discriminator([images, labels])``.
  The generator embeds the label into a short vector and appends it to the noise; the
  convolutional discriminator embeds it into a 28x28 plane stacked on the image as a
  second channel; the MLP discriminator appends the label vector to the flattened pixels.

``build_gan(name)`` builds a matching pair from the registry ``GAN_MODELS``:
"toy1d", "toy2d", "mlp", "dcgan" (the fast default for CPUs), "tutorial_dcgan" (the
TensorFlow tutorial's larger DCGAN, a benchmark baseline), "cmlp" and "cdcgan". Notebook 07's
ACGAN pairs ``conditional_dcgan_generator`` with ``acgan_discriminator`` (two outputs: real or
generated, and the digit), and its InfoGAN pairs ``dcgan_generator`` (the codes are the last
noise entries) with ``infogan_discriminator`` (three outputs, with Q's guess of the codes);
they are not in the registry, whose pairs all end in one logit.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import keras
from keras import layers

from . import argchecks

__all__ = [
    "GAN_MODELS",
    "IMAGE_SHAPE",
    "acgan_discriminator",
    "build_gan",
    "conditional_dcgan_discriminator",
    "conditional_dcgan_generator",
    "conditional_mlp_discriminator",
    "conditional_mlp_generator",
    "dcgan_discriminator",
    "dcgan_generator",
    "infogan_discriminator",
    "is_conditional",
    "mlp_discriminator",
    "mlp_generator",
    "noise_dim_of",
    "toy_discriminator",
    "toy_generator",
    "tutorial_dcgan_discriminator",
    "tutorial_dcgan_generator",
]

#: Shape of one MNIST image as the models see it: height, width, channels.
IMAGE_SHAPE = (28, 28, 1)
_NUM_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1] * IMAGE_SHAPE[2]

#: Slope of LeakyReLU for negative inputs, as in the DCGAN paper.
LEAKY_SLOPE = 0.2

Tensor = Any  # a symbolic KerasTensor while a model is being built


# --------------------------------------------------------------------------- inputs


def _noise_input(noise_dim: int) -> Tensor:
    """Return the noise input ``(N, noise_dim)``."""
    return keras.Input(shape=(argchecks.positive_int("noise_dim", noise_dim),), name="noise")


def _labels_input() -> Tensor:
    """Return the integer class-label input ``(N,)``."""
    return keras.Input(shape=(), dtype="int32", name="labels")


def _images_input() -> Tensor:
    """Return the image input ``(N, 28, 28, 1)``."""
    return keras.Input(shape=IMAGE_SHAPE, name="images")


def _label_vector(labels: Tensor, num_classes: int, dim: int) -> Tensor:
    """Return a learned vector ``(N, dim)`` for each class label."""
    num_classes = argchecks.positive_int("num_classes", num_classes)
    dim = argchecks.positive_int("embed_dim", dim)
    return layers.Embedding(num_classes, dim, name="label_embedding")(labels)


def _check_hidden(hidden: Sequence[int]) -> tuple[int, ...]:
    """Return ``hidden`` as a tuple of positive layer widths, or raise ValueError."""
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
        raise ValueError(
            f"hidden must be a sequence of positive integers such as (32, 32), got {hidden!r}."
        )
    return tuple(argchecks.positive_int(f"hidden[{i}]", h) for i, h in enumerate(hidden))


# --------------------------------------------------------------------------- layer stacks


def _dense_stack(x: Tensor, widths: Sequence[int], prefix: str) -> Tensor:
    """Return ``x`` after Dense + LeakyReLU layers of the given widths."""
    for i, width in enumerate(widths, start=1):
        x = layers.Dense(width, name=f"{prefix}_dense{i}")(x)
        x = layers.LeakyReLU(LEAKY_SLOPE, name=f"{prefix}_lrelu{i}")(x)
    return x


def _logits(x: Tensor) -> Tensor:
    """Return the discriminator's logits ``(N, 1)``: a linear Dense layer, no sigmoid."""
    return layers.Dense(1, name="logits")(x)


def _mlp_generator_stack(h: Tensor) -> Tensor:
    """Return images ``(N, 28, 28, 1)`` in [-1, 1] from a flat vector: 256 -> 512 -> 784."""
    h = _dense_stack(h, (256, 512), "g")
    h = layers.Dense(_NUM_PIXELS, activation="tanh", name="pixels")(h)
    return layers.Reshape(IMAGE_SHAPE, name="images")(h)


def _mlp_discriminator_stack(flat: Tensor) -> Tensor:
    """Return logits ``(N, 1)`` from flat features: 512 -> 256 -> 1."""
    return _logits(_dense_stack(flat, (512, 256), "d"))


def _dcgan_generator_stack(h: Tensor) -> Tensor:
    """Return images from a flat vector: Dense to 7x7x64, two stride-2 transposed convolutions.

    48 maps at 14x14, not 32: chosen with the slim discriminator for the best digits in 120 s
    by three judges, over three seeds (docs/benchmarks.md, the tuning log).
    """
    h = layers.Dense(7 * 7 * 64, use_bias=False, name="project")(h)
    h = layers.BatchNormalization(name="project_bn")(h)
    h = layers.ReLU(name="project_relu")(h)
    h = layers.Reshape((7, 7, 64), name="to_7x7")(h)
    h = layers.Conv2DTranspose(48, 4, strides=2, padding="same", use_bias=False, name="up14")(h)
    h = layers.BatchNormalization(name="up14_bn")(h)
    h = layers.ReLU(name="up14_relu")(h)
    return layers.Conv2DTranspose(
        1, 4, strides=2, padding="same", activation="tanh", name="images"
    )(h)


def _dcgan_discriminator_stack(x: Tensor) -> Tensor:
    """Return logits from ``(N, 28, 28, C)``: two stride-2 convolutions (16, 32), Dense(1).

    Half the filters of 32 and 64: with the wider generator, about 3,450 steps in 120 s
    instead of 2,650, and better digits for the time (docs/benchmarks.md, the tuning log).
    """
    return _logits(_dcgan_features(x))


def _dcgan_features(x: Tensor) -> Tensor:
    """Return the slim DCGAN discriminator's flat features from ``(N, 28, 28, C)``."""
    for filters, size in ((16, 14), (32, 7)):
        x = layers.Conv2D(filters, 4, strides=2, padding="same", name=f"conv{size}")(x)
        x = layers.LeakyReLU(LEAKY_SLOPE, name=f"conv{size}_lrelu")(x)
    return layers.Flatten(name="flatten")(x)


# --------------------------------------------------------------------------- model assembly


def _generator(
    stack: Callable[[Tensor], Tensor],
    noise_dim: int,
    name: str,
    num_classes: int | None = None,
    embed_dim: int = 16,
) -> keras.Model:
    """Return a generator: ``stack`` applied to the noise (and the label vector, if conditional)."""
    noise = _noise_input(noise_dim)
    if num_classes is None:
        return keras.Model(noise, stack(noise), name=name)
    labels = _labels_input()
    h = layers.Concatenate(name="noise_and_label")(
        [noise, _label_vector(labels, num_classes, embed_dim)]
    )
    return keras.Model([noise, labels], stack(h), name=name)


def _conditional_discriminator(
    features: Callable[[Tensor, Tensor], Tensor],
    stack: Callable[[Tensor], Tensor],
    name: str,
) -> keras.Model:
    """Return a discriminator on [images, labels]: ``stack(features(images, labels))``."""
    images, labels = _images_input(), _labels_input()
    return keras.Model([images, labels], stack(features(images, labels)), name=name)


# --------------------------------------------------------------------------- toy models


def toy_generator(
    data_dim: int = 1,
    noise_dim: int = 2,
    hidden: Sequence[int] = (32, 32),
    name: str = "toy_generator",
) -> keras.Model:
    """Return an MLP generator: noise ``(N, noise_dim)`` -> points ``(N, data_dim)`` (linear)."""
    data_dim = argchecks.positive_int("data_dim", data_dim)
    noise = _noise_input(noise_dim)
    h = _dense_stack(noise, _check_hidden(hidden), "g")
    return keras.Model(noise, layers.Dense(data_dim, name="points")(h), name=name)


def toy_discriminator(
    data_dim: int = 1,
    hidden: Sequence[int] = (32, 32),
    name: str = "toy_discriminator",
    spectral_norm: bool = False,
) -> keras.Model:
    """Return an MLP discriminator: points ``(N, data_dim)`` -> logits ``(N, 1)``.

    With ``spectral_norm=True`` every Dense layer is wrapped in Keras'
    ``SpectralNormalization``: its kernel is divided by its largest singular value.
    """
    data_dim = argchecks.positive_int("data_dim", data_dim)
    points = keras.Input(shape=(data_dim,), name="points")
    if not spectral_norm:
        return keras.Model(
            points, _logits(_dense_stack(points, _check_hidden(hidden), "d")), name=name
        )
    h = points
    for i, width in enumerate(_check_hidden(hidden), start=1):
        dense = layers.Dense(width, name=f"d_dense{i}")
        h = layers.SpectralNormalization(dense, name=f"d_sn{i}")(h)
        h = layers.LeakyReLU(LEAKY_SLOPE, name=f"d_lrelu{i}")(h)
    logits = layers.SpectralNormalization(layers.Dense(1, name="logits"), name="logits_sn")(h)
    return keras.Model(points, logits, name=name)


# --------------------------------------------------------------------------- MNIST MLP


def mlp_generator(noise_dim: int = 64, name: str = "mlp_generator") -> keras.Model:
    """Return an MLP generator: noise ``(N, noise_dim)`` -> images ``(N, 28, 28, 1)`` in [-1, 1]."""
    return _generator(_mlp_generator_stack, noise_dim, name)


def mlp_discriminator(name: str = "mlp_discriminator") -> keras.Model:
    """Return an MLP discriminator: images ``(N, 28, 28, 1)`` -> logits ``(N, 1)``."""
    images = _images_input()
    flat = layers.Flatten(name="flatten")(images)
    return keras.Model(images, _mlp_discriminator_stack(flat), name=name)


# --------------------------------------------------------------------------- DCGAN (fast)


def dcgan_generator(noise_dim: int = 64, name: str = "dcgan_generator") -> keras.Model:
    """Return the slim DCGAN generator: noise ``(N, noise_dim)`` -> images ``(N, 28, 28, 1)``.

    Dense(7*7*64) -> BN -> ReLU -> 7x7x64 -> ConvT(48, 4, /2) -> BN -> ReLU -> ConvT(1, 4, /2)
    -> tanh. About 263k parameters with ``noise_dim=64`` (376k with 100), fast on a CPU.
    """
    return _generator(_dcgan_generator_stack, noise_dim, name)


def dcgan_discriminator(name: str = "dcgan_discriminator") -> keras.Model:
    """Return the slim DCGAN discriminator: images ``(N, 28, 28, 1)`` -> logits ``(N, 1)``.

    Conv(16, 4, /2) -> LeakyReLU -> Conv(32, 4, /2) -> LeakyReLU -> Flatten -> Dense(1);
    about 10k parameters.
    """
    images = _images_input()
    return keras.Model(images, _dcgan_discriminator_stack(images), name=name)


# --------------------------------------------------------------------------- tutorial DCGAN


def tutorial_dcgan_generator(
    noise_dim: int = 100, name: str = "tutorial_dcgan_generator"
) -> keras.Model:
    """Return the TensorFlow tutorial's DCGAN generator (about 2.3M parameters), a baseline.

    Dense(7*7*256) -> 7x7x256 -> ConvT(128, 5) -> ConvT(64, 5, /2) -> ConvT(1, 5, /2) -> tanh,
    with batch norm and LeakyReLU between, no biases: noise -> images ``(N, 28, 28, 1)``.
    """
    noise = _noise_input(noise_dim)
    h = layers.Dense(7 * 7 * 256, use_bias=False, name="project")(noise)
    h = layers.BatchNormalization(name="project_bn")(h)
    h = layers.LeakyReLU(LEAKY_SLOPE, name="project_lrelu")(h)
    h = layers.Reshape((7, 7, 256), name="to_7x7")(h)
    for filters, stride, tag in ((128, 1, "conv7"), (64, 2, "up14")):
        h = layers.Conv2DTranspose(
            filters, 5, strides=stride, padding="same", use_bias=False, name=tag
        )(h)
        h = layers.BatchNormalization(name=f"{tag}_bn")(h)
        h = layers.LeakyReLU(LEAKY_SLOPE, name=f"{tag}_lrelu")(h)
    images = layers.Conv2DTranspose(
        1, 5, strides=2, padding="same", use_bias=False, activation="tanh", name="images"
    )(h)
    return keras.Model(noise, images, name=name)


def tutorial_dcgan_discriminator(name: str = "tutorial_dcgan_discriminator") -> keras.Model:
    """Return the TensorFlow tutorial's DCGAN discriminator (about 213k parameters).

    Conv(64, 5, /2) -> LeakyReLU -> Dropout(0.3) -> Conv(128, 5, /2) -> LeakyReLU ->
    Dropout(0.3) -> Flatten -> Dense(1): images ``(N, 28, 28, 1)`` -> logits ``(N, 1)``.
    """
    images = _images_input()
    x = images
    for filters, size in ((64, 14), (128, 7)):
        x = layers.Conv2D(filters, 5, strides=2, padding="same", name=f"conv{size}")(x)
        x = layers.LeakyReLU(LEAKY_SLOPE, name=f"conv{size}_lrelu")(x)
        x = layers.Dropout(0.3, name=f"conv{size}_dropout")(x)
    logits = _logits(layers.Flatten(name="flatten")(x))
    return keras.Model(images, logits, name=name)


# --------------------------------------------------------------------------- conditional


def conditional_mlp_generator(
    noise_dim: int = 64,
    num_classes: int = 10,
    embed_dim: int = 16,
    name: str = "conditional_mlp_generator",
) -> keras.Model:
    """Return a conditional MLP generator: [noise ``(N, noise_dim)``, labels ``(N,)``] -> images."""
    return _generator(_mlp_generator_stack, noise_dim, name, num_classes, embed_dim)


def conditional_mlp_discriminator(
    num_classes: int = 10,
    embed_dim: int = 16,
    name: str = "conditional_mlp_discriminator",
) -> keras.Model:
    """Return a conditional MLP discriminator: [images, labels ``(N,)``] -> logits ``(N, 1)``.

    The label's learned vector is appended to the 784 flattened pixels.
    """

    def features(images: Tensor, labels: Tensor) -> Tensor:
        flat = layers.Flatten(name="flatten")(images)
        vector = _label_vector(labels, num_classes, embed_dim)
        return layers.Concatenate(name="pixels_and_label")([flat, vector])

    return _conditional_discriminator(features, _mlp_discriminator_stack, name)


def conditional_dcgan_generator(
    noise_dim: int = 64,
    num_classes: int = 10,
    embed_dim: int = 16,
    name: str = "conditional_dcgan_generator",
) -> keras.Model:
    """Return a conditional slim DCGAN generator: [noise, labels ``(N,)``] -> images."""
    return _generator(_dcgan_generator_stack, noise_dim, name, num_classes, embed_dim)


def conditional_dcgan_discriminator(
    num_classes: int = 10, name: str = "conditional_dcgan_discriminator"
) -> keras.Model:
    """Return a conditional slim DCGAN discriminator: [images, labels ``(N,)``] -> logits.

    Each label has a learned 28x28 plane, stacked on the image as a second channel.
    """

    def features(images: Tensor, labels: Tensor) -> Tensor:
        plane = _label_vector(labels, num_classes, _NUM_PIXELS)
        plane = layers.Reshape(IMAGE_SHAPE, name="label_plane")(plane)
        return layers.Concatenate(axis=-1, name="image_and_label")([images, plane])

    return _conditional_discriminator(features, _dcgan_discriminator_stack, name)


def acgan_discriminator(num_classes: int = 10, name: str = "acgan_discriminator") -> keras.Model:
    """Return an ACGAN discriminator: images -> [logits ``(N, 1)``, class logits ``(N, classes)``].

    It never sees a label: the slim DCGAN discriminator's features feed two heads, one for
    "real or generated" and one that names the digit (notebook 07).
    """
    num_classes = argchecks.positive_int("num_classes", num_classes)
    images = _images_input()
    features = _dcgan_features(images)
    classes = layers.Dense(num_classes, name="class_logits")(features)
    return keras.Model(images, [_logits(features), classes], name=name)


def infogan_discriminator(
    categories: int = 10, continuous: int = 2, name: str = "infogan_discriminator"
) -> keras.Model:
    """Return an InfoGAN discriminator with its Q head: images -> [logits, code logits, code means].

    D's features feed the "real or generated" logit and, through one hidden layer, Q's guess
    of the codes: logits ``(N, categories)`` for the categorical code and means
    ``(N, continuous)`` for the continuous ones (notebook 07).
    """
    categories = argchecks.positive_int("categories", categories)
    continuous = argchecks.positive_int("continuous", continuous)
    images = _images_input()
    features = _dcgan_features(images)
    q = _dense_stack(features, (64,), "q")
    code_logits = layers.Dense(categories, name="code_logits")(q)
    code_means = layers.Dense(continuous, name="code_means")(q)
    return keras.Model(images, [_logits(features), code_logits, code_means], name=name)


# --------------------------------------------------------------------------- registry

Builder = Callable[..., keras.Model]

#: Model pairs by name: (generator builder, discriminator builder).
GAN_MODELS: dict[str, tuple[Builder, Builder]] = {
    "toy1d": (
        functools.partial(toy_generator, data_dim=1),
        functools.partial(toy_discriminator, data_dim=1),
    ),
    "toy2d": (
        functools.partial(toy_generator, data_dim=2),
        functools.partial(toy_discriminator, data_dim=2),
    ),
    "mlp": (mlp_generator, mlp_discriminator),
    "dcgan": (dcgan_generator, dcgan_discriminator),
    "tutorial_dcgan": (tutorial_dcgan_generator, tutorial_dcgan_discriminator),
    "cmlp": (conditional_mlp_generator, conditional_mlp_discriminator),
    "cdcgan": (conditional_dcgan_generator, conditional_dcgan_discriminator),
}


def _parameters(builder: Builder) -> set[str]:
    """Return the names of the keyword arguments ``builder`` accepts."""
    return set(inspect.signature(builder).parameters)


def build_gan(
    name: str, noise_dim: int | None = None, **kwargs: Any
) -> tuple[keras.Model, keras.Model]:
    """Return a new (generator, discriminator) pair from ``GAN_MODELS``.

    ``noise_dim`` goes to the generator (None keeps its default); every other keyword goes
    to whichever builders accept it, e.g. ``num_classes`` to both conditional models or
    ``hidden`` to both toy models. A keyword neither accepts raises ValueError.
    """
    argchecks.choice("model name", name, GAN_MODELS)
    make_g, make_d = GAN_MODELS[name]
    g_params, d_params = _parameters(make_g), _parameters(make_d)
    unknown = sorted(set(kwargs) - g_params - d_params)
    if unknown:
        valid = ", ".join(sorted((g_params | d_params) - {"name", "noise_dim"})) or "(none)"
        raise ValueError(
            f"build_gan({name!r}) got unexpected keyword(s) {', '.join(unknown)}. "
            f"Valid keywords: noise_dim, {valid}."
        )
    g_kwargs = {k: v for k, v in kwargs.items() if k in g_params}
    if noise_dim is not None:
        g_kwargs["noise_dim"] = noise_dim
    d_kwargs = {k: v for k, v in kwargs.items() if k in d_params}
    return make_g(**g_kwargs), make_d(**d_kwargs)


# --------------------------------------------------------------------------- helpers


def _check_model(name: str, model: Any) -> keras.Model:
    """Return ``model`` if it is a Keras model, else raise TypeError."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"{name} must be a keras.Model, got {type(model).__name__}.")
    return model


def is_conditional(model: keras.Model) -> bool:
    """Return True if ``model`` takes class labels as a second input ([x, labels])."""
    return len(_check_model("model", model).inputs) == 2


def noise_dim_of(generator: keras.Model) -> int:
    """Return the length of the noise vector that ``generator`` expects (its first input)."""
    shape = tuple(_check_model("generator", generator).inputs[0].shape)
    if len(shape) != 2 or shape[1] is None:
        raise ValueError(f"generator's first input must have shape (N, noise_dim), got {shape}.")
    return int(shape[1])
