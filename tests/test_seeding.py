"""gancourse.seeding: one seed for Python, NumPy, TensorFlow and Keras, even before TF loads."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from gancourse import seeding


def test_seed_makes_numpy_and_tensorflow_repeatable():
    import tensorflow as tf

    seeding.seed(7)
    first = (np.random.rand(3), tf.random.normal([3]).numpy())
    seeding.seed(7)
    second = (np.random.rand(3), tf.random.normal([3]).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    seeding.seed(8)
    assert not np.array_equal(np.random.rand(3), first[0])


_DRAW_AFTER_IMPORT = """
import sys
import gancourse
gancourse.seed({seed})
gancourse.seed({seed})  # seeding twice leaves one hook, not two
hooks = [f for f in sys.meta_path if type(f).__name__ == "_TensorFlowImportHook"]
print(len(hooks), "tensorflow" in sys.modules)
import tensorflow as tf
print(tf.random.normal([3]).numpy().tolist(), tf.__spec__.loader is not hooks[0])
print([f for f in sys.meta_path if f is hooks[0]])
"""


def _draw_after_import(seed: int) -> list[str]:
    code = _DRAW_AFTER_IMPORT.format(seed=seed)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_seed_reaches_tensorflow_imported_later():
    first, again, other = _draw_after_import(7), _draw_after_import(7), _draw_after_import(8)
    assert first[0] == "1 False"  # seeding did not import TensorFlow; one hook waits for it
    assert first[1].endswith(" True")  # the module keeps its own loader, not the hook
    assert first[2] == "[]"  # the hook removed itself
    assert first[1] == again[1]
    assert first[1] != other[1]


@pytest.mark.parametrize("bad", [-1, 1.5, "3", None])
def test_seed_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="seed"):
        seeding.seed(bad)


def test_import_gancourse_does_not_import_tensorflow():
    code = "import sys, gancourse; gancourse.setup(); print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "False"
