"""Where the course runs: quick mode, seeding, and the repository address.

Nothing here imports TensorFlow at module level, so importing it is instant.
"""

from __future__ import annotations

import os
import random
import sys

import numpy as np

#: The course repository; badges and Colab install cells are generated from it.
REPO_URL = "https://github.com/gancourse/gancourse"
REPO_BRANCH = "main"

_QUICK: bool | None = None


def quick_mode() -> bool:
    """Return True when GANCOURSE_QUICK is set to a true value (read once per process).

    Quick mode shrinks data and epochs so the whole course runs in minutes, through the
    same code paths. Notebooks and scripts ask this function, never the variable itself.
    """
    global _QUICK
    if _QUICK is None:
        raw = os.environ.get("GANCOURSE_QUICK", "").strip().lower()
        _QUICK = raw not in ("", "0", "false", "no", "off")
    return _QUICK


def seed(n: int = 0) -> int:
    """Seed Python, NumPy, TensorFlow and Keras with ``n``; return ``n``.

    TensorFlow is seeded only if it is already imported or importable, so plain NumPy
    code can call this cheaply too.
    """
    from .validation import positive_int

    if n != 0:
        positive_int("seed", n)
    random.seed(n)
    np.random.seed(n)
    os.environ["PYTHONHASHSEED"] = str(n)
    try:
        import keras
        import tensorflow as tf
    except ImportError:  # pragma: no cover - TensorFlow is a dependency
        return n
    tf.random.set_seed(n)
    keras.utils.set_random_seed(n)
    return n


def in_colab() -> bool:
    """Return True when running inside Google Colab."""
    return "google.colab" in sys.modules
