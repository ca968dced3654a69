"""Where the course runs: quick mode, seeding, and the repository address.

Nothing here imports TensorFlow at module level, so importing it is instant.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import random
import sys
from typing import Any

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

    TensorFlow is seeded now if it is already imported, and otherwise the moment something
    imports it. So a NumPy-only notebook never pays for TensorFlow (about 0.5 GB of memory),
    and a notebook that imports it after its set-up cell is still repeatable. (Importing
    Keras draws from Python's generator, which Keras also uses for default layer seeds: the
    weights are the same every run, but not those of seeding after the import.)
    """
    from .validation import positive_int

    if n != 0:
        positive_int("seed", n)
    random.seed(n)
    np.random.seed(n)
    os.environ["PYTHONHASHSEED"] = str(n)
    _SeedTensorFlowOnImport.remove()
    if "tensorflow" in sys.modules:
        _seed_tensorflow(n)
    else:
        sys.meta_path.insert(0, _SeedTensorFlowOnImport(n))
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


class _SeedTensorFlowOnImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """An import hook that seeds TensorFlow right after its first import, then removes itself.

    It finds ``tensorflow`` the usual way and only wraps the loader, so the module that
    Python imports is exactly the one it would have imported without the hook.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.loader: importlib.abc.Loader | None = None

    @classmethod
    def remove(cls) -> None:
        """Take every hook of this kind out of ``sys.meta_path``."""
        sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, cls)]

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "tensorflow":
            return None
        self.remove()  # before searching, so that the search below does not come back here
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        self.loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        module.__loader__ = module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        module.random.set_seed(self.n)  # Keras may be half-imported here: leave it alone


def in_colab() -> bool:
    """Return True when running inside Google Colab."""
    return "google.colab" in sys.modules
