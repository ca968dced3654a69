"""Load the TF-GAN library (``tensorflow_gan``) on current TensorFlow.

TF-GAN 2.1.0 is the last release. Importing it on TensorFlow 2.16+ fails, because at
import time it subclasses and references ``tf.estimator`` classes, and TensorFlow 2.16
removed ``tf.estimator``; and its ``gan_loss`` calls ``inspect.getargspec``, which Python
3.11 removed. :func:`load` therefore:

1. imports ``tensorflow_probability`` first (TF-GAN needs it, and its import must come
   before ours touches ``tf.compat.v1``);
2. makes ``distutils`` importable on Python 3.12+ (through setuptools' copy);
3. attaches a stand-in ``estimator`` module to ``tf`` and ``tf.compat.v1``: the session
   hook classes TensorFlow still has in ``tf.compat.v1.train`` (``SessionRunHook``,
   ``StopAtStepHook``, ``LoggingTensorHook``, ``FinalOpsHook``, ``SessionRunArgs``) are the
   real ones, so TF-GAN's graph-mode training runs; the estimator classes exist, so TF-GAN's
   class definitions succeed, but raise a clear error when anyone builds an estimator;
4. imports the real, unmodified ``tensorflow_gan``, and gives its modules (and only them)
   an ``inspect`` that still has ``getargspec``. Python's own ``inspect`` is not changed.

What works, each checked by ``tests/test_tfgan.py`` on the course's TensorFlow and Keras:

* every loss in ``tfgan.losses.wargs`` (on tensors) and ``tfgan.losses`` (on a GANModel);
* ``tfgan.gan_loss`` on a ``tfgan.GANModel``: eagerly on one filled from Keras models'
  outputs (:func:`keras_gan_model`), and in graph mode;
* in graph mode (``tf.Graph().as_default()``), the whole TF1 pipeline ``tfgan.gan_model``
  -> ``tfgan.gan_loss`` -> ``tfgan.gan_train_ops`` -> ``tfgan.gan_train`` with
  ``tfgan.get_sequential_train_hooks`` and ``tf.compat.v1.train`` hooks and optimizers;
* ``tfgan.eval``: Frechet and kernel distances from activations, the classifier score from
  logits, ``sliced_wasserstein_distance``, ``image_grid``, ``image_reshaper``.

What does not, and why: the estimators (``GANEstimator``, ``StarGANEstimator``,
``TPUGANEstimator``; ``tf.estimator`` is gone) raise :class:`EstimatorUnavailableError`;
what is built on TF1 layers, which Keras 3 removed (``tf.compat.v1.layers``):
``tfgan.features.condition_tensor_from_onehot`` and the Inception-based
``tfgan.eval`` helpers (which also download a model from a hub);
``tfgan.features.spectral_normalize`` needs TF1 graph variables (Keras 3 has
``keras.layers.SpectralNormalization``); ``tfgan.losses.wargs.wasserstein_gradient_penalty``
runs inside a ``tf.function`` or a graph, not eagerly.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections import namedtuple
from typing import Any

_MODULE: types.ModuleType | None = None

#: Names TF-GAN 2.1.0 looks up in ``tf.estimator`` that TensorFlow still has, under
#: ``tf.compat.v1.train``: the stand-in hands out the real classes.
_HOOK_CLASSES = (
    "SessionRunHook",
    "FinalOpsHook",
    "LoggingTensorHook",
    "StopAtStepHook",
    "SessionRunArgs",
)
#: The estimator names TF-GAN 2.1.0 references while it is imported, which are gone.
_ESTIMATOR_CLASSES = (
    "Estimator",
    "EstimatorSpec",
    "RunConfig",
    "WarmStartSettings",
    "TrainSpec",
    "EvalSpec",
)
_TPU_CLASSES = ("RunConfig", "TPUEstimator", "TPUEstimatorSpec", "TPUConfig", "InputPipelineConfig")


class EstimatorUnavailableError(RuntimeError):
    """Raised when code tries to use tf.estimator, which TensorFlow 2.16+ no longer has."""


def _placeholder(name: str) -> type:
    """Return a class that can be subclassed but not instantiated."""

    def refuse(self: Any, *args: Any, **kwargs: Any) -> None:
        raise EstimatorUnavailableError(
            f"tf.estimator.{name} does not exist in TensorFlow 2.16+. gancourse loads "
            "TF-GAN only for its losses (tfgan.losses.wargs) and evaluation (tfgan.eval); "
            "TF-GAN's estimator-based training (GANEstimator, TPUGANEstimator) needs "
            "TensorFlow 2.15 or older."
        )

    return type(name, (), {"__init__": refuse, "__module__": "gancourse.tfgan.estimator"})


def _estimator_standin(train: Any) -> types.ModuleType:
    """Build the ``tf.estimator`` stand-in TF-GAN needs from ``train`` (tf.compat.v1.train)."""
    module = types.ModuleType("estimator", "Stand-in for the removed tf.estimator (gancourse).")
    for name in _HOOK_CLASSES:
        setattr(module, name, getattr(train, name))
    for name in _ESTIMATOR_CLASSES:
        setattr(module, name, _placeholder(name))
    module.ModeKeys = types.SimpleNamespace(TRAIN="train", EVAL="eval", PREDICT="infer")
    tpu = types.ModuleType("tpu")
    for name in _TPU_CLASSES:
        setattr(tpu, name, _placeholder(f"tpu.{name}"))
    module.tpu = tpu
    module.__gancourse_standin__ = True
    return module


def _ensure_distutils() -> None:
    """Make ``import distutils`` work on Python 3.12+, where only setuptools provides it."""
    try:
        import distutils  # noqa: F401
    except ImportError:
        import setuptools  # noqa: F401  (installs its distutils import hook)


ArgSpec = namedtuple("ArgSpec", "args varargs keywords defaults")


def _getargspec(fn: Any) -> ArgSpec:
    """Return what ``inspect.getargspec`` returned before Python 3.11 removed it."""
    spec = inspect.getfullargspec(fn)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


class _InspectWithGetargspec(types.ModuleType):
    """Python's ``inspect`` module plus the ``getargspec`` TF-GAN 2.1.0 calls."""

    getargspec = staticmethod(_getargspec)

    def __getattr__(self, name: str) -> Any:
        return getattr(inspect, name)


def _give_getargspec(package: str) -> None:
    """Make the name ``inspect`` in each loaded module of ``package`` the wrapper above."""
    wrapper = _InspectWithGetargspec("inspect", "inspect with getargspec, for TF-GAN only")
    for name, module in list(sys.modules.items()):
        if (name == package or name.startswith(package + ".")) and getattr(
            module, "inspect", None
        ) is inspect:
            module.inspect = wrapper


def load() -> types.ModuleType:
    """Return the real ``tensorflow_gan`` module, importable on the installed TensorFlow."""
    global _MODULE
    if _MODULE is not None:
        return _MODULE
    try:
        import tensorflow_probability as tfp
    except ImportError as exc:
        raise ImportError(
            "TF-GAN needs tensorflow-probability. Install it with: "
            "pip install tensorflow-probability tf-keras"
        ) from exc
    # TFP loads lazily and tf_keras (which TF-GAN pulls in through TFP) imports
    # tensorflow.compat.v1 anew; each swaps the module behind tf.compat.v1. Do both
    # imports now, then attach the stand-in wherever TF-GAN may look it up.
    tfp.distributions  # noqa: B018
    import tensorflow as tf
    import tensorflow.compat.v1  # noqa: F401

    _ensure_distutils()
    if not hasattr(tf, "estimator"):
        standin = _estimator_standin(tf.compat.v1.train)
        v1 = tf.compat.v1
        for namespace in (tf, getattr(v1, "_tfmw_wrapped_module", v1)):
            namespace.estimator = standin
    try:
        import tensorflow_gan
    except ImportError as exc:
        if "tensorflow_gan" in str(exc):
            raise ImportError(
                "TF-GAN is not installed. Install it with: pip install tensorflow-gan"
            ) from exc
        raise
    _give_getargspec("tensorflow_gan")
    _MODULE = tensorflow_gan
    return tensorflow_gan


def keras_gan_model(
    generator: Any, discriminator: Any, generator_inputs: Any, real_data: Any
) -> Any:
    """Return a ``tfgan.GANModel`` filled from Keras models' outputs, for ``tfgan.gan_loss``.

    Runs ``generator`` on ``generator_inputs`` and ``discriminator`` on ``real_data`` and on
    the generated data (``training=True``). Call it inside a ``tf.GradientTape`` to take
    gradients of the losses. The scopes are None: TF-GAN's gradient penalty, which needs a
    TF1 variable scope, is not available on such a model (use ``gancourse.losses``).
    """
    tfgan = load()
    generated = generator(generator_inputs, training=True)
    return tfgan.GANModel(
        generator_inputs=generator_inputs,
        generated_data=generated,
        generator_variables=generator.trainable_variables,
        generator_scope=None,
        generator_fn=generator,
        real_data=real_data,
        discriminator_real_outputs=discriminator(real_data, training=True),
        discriminator_gen_outputs=discriminator(generated, training=True),
        discriminator_variables=discriminator.trainable_variables,
        discriminator_scope=None,
        discriminator_fn=discriminator,
    )
