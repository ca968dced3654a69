"""One seed for every random generator the course uses: Python, NumPy, TensorFlow, Keras.

``gancourse.seed(n)`` (and the set-up cell of every notebook) calls :func:`seed`. TensorFlow
is seeded when it is loaded, never loaded to be seeded: see ``gancourse.tf_import``.
"""

from __future__ import annotations

import os
import random
import sys

import numpy as np

from . import tf_import

__all__ = ["seed"]


def seed(n: int = 0) -> int:
    """Seed Python, NumPy, TensorFlow and Keras with ``n``; return ``n``.

    TensorFlow is seeded now if it is already imported, and otherwise the moment something
    imports it. So a NumPy-only notebook never pays for TensorFlow (about 0.5 GB of memory),
    and a notebook that imports it after its set-up cell is still repeatable. (Importing
    Keras draws from Python's generator, which Keras also uses for default layer seeds: the
    weights are the same every run, but not those of seeding after the import.)
    """
    from .argchecks import positive_int

    if n != 0:
        positive_int("seed", n)
    random.seed(n)
    np.random.seed(n)
    os.environ["PYTHONHASHSEED"] = str(n)
    if "tensorflow" in sys.modules:
        _seed_tensorflow(n)
    else:
        tf_import.seed_on_import(n)
    return n


def _seed_tensorflow(n: int) -> None:
    """Seed the imported TensorFlow with ``n``, and Keras too if it is loaded.

    ``keras.utils.set_random_seed`` also restarts the seed stream Keras keeps for itself.
    """
    import tensorflow as tf

    tf.random.set_seed(n)
    if "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(n)
