"""Load the TF-GAN library (``tensorflow_gan``) on current TensorFlow.

TF-GAN 2.1.0 is the last release. Importing it on TensorFlow 2.16+ fails, because at
import time it subclasses and references ``tf.estimator`` classes, and TensorFlow 2.16
removed ``tf.estimator``. The course only uses TF-GAN's tensor-level losses
(``tfgan.losses.wargs``) and its evaluation functions (``tfgan.eval``), which never touch
an estimator. :func:`load` therefore:

1. imports ``tensorflow_probability`` first (TF-GAN needs it, and its import must come
   before ours touches ``tf.compat.v1``);
2. makes ``distutils`` importable on Python 3.12+ (through setuptools' copy);
3. attaches a stand-in ``estimator`` module to ``tf`` and ``tf.compat.v1`` whose classes
   exist, so TF-GAN's class definitions succeed, but raise a clear error when anyone
   actually builds an estimator;

and then imports the real, unmodified ``tensorflow_gan``.
"""

from __future__ import annotations

import types
from typing import Any

_MODULE: types.ModuleType | None = None

#: The estimator names TF-GAN 2.1.0 references while it is imported.
_ESTIMATOR_CLASSES = (
    "SessionRunHook",
    "Estimator",
    "EstimatorSpec",
    "RunConfig",
    "FinalOpsHook",
    "LoggingTensorHook",
    "StopAtStepHook",
    "SessionRunArgs",
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


def _estimator_standin() -> types.ModuleType:
    """Build the minimal ``tf.estimator`` stand-in that TF-GAN's import needs."""
    module = types.ModuleType("estimator", "Stand-in for the removed tf.estimator (gancourse).")
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
        standin = _estimator_standin()
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
    _MODULE = tensorflow_gan
    return tensorflow_gan
