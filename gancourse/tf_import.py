"""The first ``import tensorflow`` of a session: seeded, and without its start-up lines.

Importing TensorFlow costs seconds and about 0.5 GB, so the course never does it before a
notebook needs it. An import hook waits for that first import instead:

* :func:`seed_on_import` makes it seed TensorFlow right after it is imported (used by
  ``gancourse.seed`` when TensorFlow is not loaded yet);
* :func:`quiet_tensorflow_start` makes it hide the lines TensorFlow's C++ core writes while
  it starts on a machine without a GPU, which a notebook shows in red.

The hook wraps only the loader: Python imports exactly the module it would have imported
without it. Nothing here imports TensorFlow.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

__all__ = ["TENSORFLOW_START_NOISE", "quiet_tensorflow_start", "seed_on_import"]


def seed_on_import(n: int) -> None:
    """Seed TensorFlow with ``n`` the moment it is first imported."""
    _HOOK.seed = n
    _HOOK.arm()


def quiet_tensorflow_start() -> bool:
    """Hide TensorFlow's start-up lines (CUDA probing on a CPU machine) from stderr.

    They come from TensorFlow's C++ core while it is imported, before its logging is set
    up, so ``TF_CPP_MIN_LOG_LEVEL`` cannot stop them, and a notebook shows them in red. The
    next ``import tensorflow`` runs with the process's stderr caught; afterwards every
    caught line is written to ``sys.stderr`` again, except the known start-up notices
    (:data:`TENSORFLOW_START_NOISE`). Returns False (and does nothing) if TensorFlow is
    already imported.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # later C++ notices, e.g. cuInit
    if "tensorflow" in sys.modules:
        return False
    _HOOK.quiet = True
    _HOOK.arm()
    return True


#: Parts of the lines TensorFlow's C++ core writes while it starts on a machine without a
#: GPU; none of them is an error. Any other line written during the import is kept.
TENSORFLOW_START_NOISE = (
    "All log messages before absl::InitializeLog() is called are written to STDERR",
    "Could not find cuda drivers on your machine",
    "failed call to cuInit",
    "cpu_feature_guard.cc",
    "To enable the following instructions:",
    "oneDNN custom operations are on",
    "Unable to register cuDNN factory",
    "Unable to register cuFFT factory",
    "Unable to register cuBLAS factory",
    "computation placer already registered",
    "TF-TRT Warning: Could not find TensorRT",
)


@contextlib.contextmanager
def _stderr_without_noise() -> Iterator[None]:
    """Catch what is written to file descriptor 2; then write back all but the start-up noise.

    Works on the descriptor, not on ``sys.stderr``, because TensorFlow's C++ core writes
    there directly (and Jupyter kernels forward that descriptor to the notebook).
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no usable descriptor 2: nothing to hide
        yield
        return
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stderr.flush()  # Python's own stderr may also write to descriptor 2
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            lines = caught.read().decode(errors="replace").splitlines()
            noise = TENSORFLOW_START_NOISE
            kept = [x for x in lines if x.strip() and not any(n in x for n in noise)]
            if kept:
                sys.stderr.write("\n".join(kept) + "\n")


class _TensorFlowImportHook(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """An import hook around the first ``import tensorflow``: quiets it, seeds it, goes away.

    It finds ``tensorflow`` the usual way and only wraps the loader, so the module that
    Python imports is exactly the one it would have imported without the hook.
    """

    def __init__(self) -> None:
        self.seed: int | None = None
        self.quiet = False
        self.loader: importlib.abc.Loader | None = None

    def arm(self) -> None:
        """Put the hook first in ``sys.meta_path`` (once)."""
        if not any(finder is self for finder in sys.meta_path):
            sys.meta_path.insert(0, self)

    def disarm(self) -> None:
        """Take the hook out of ``sys.meta_path``."""
        sys.meta_path[:] = [finder for finder in sys.meta_path if finder is not self]

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "tensorflow":
            return None
        self.disarm()  # before searching, so that the search below does not come back here
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        self.loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        module.__loader__ = module.__spec__.loader = self.loader
        quiet = _stderr_without_noise() if self.quiet else contextlib.nullcontext()
        with quiet:
            self.loader.exec_module(module)
        if self.seed is not None:
            module.random.set_seed(self.seed)  # Keras may be half-imported here: leave it alone


_HOOK = _TensorFlowImportHook()
