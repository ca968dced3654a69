"""gancourse.runtime: quick mode, seeding, and a TensorFlow-free package import."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from gancourse import runtime


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("yes", True), ("0", False), ("", False), ("off", False)],
)
def test_quick_mode_reads_the_variable(monkeypatch, raw, expected):
    monkeypatch.setattr(runtime, "_QUICK", None)
    monkeypatch.setenv("GANCOURSE_QUICK", raw)
    assert runtime.quick_mode() is expected


def test_quick_mode_is_read_once(monkeypatch):
    monkeypatch.setattr(runtime, "_QUICK", None)
    monkeypatch.setenv("GANCOURSE_QUICK", "1")
    assert runtime.quick_mode() is True
    monkeypatch.setenv("GANCOURSE_QUICK", "0")
    assert runtime.quick_mode() is True


def test_seed_makes_numpy_and_tensorflow_repeatable():
    import tensorflow as tf

    runtime.seed(7)
    first = (np.random.rand(3), tf.random.normal([3]).numpy())
    runtime.seed(7)
    second = (np.random.rand(3), tf.random.normal([3]).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    runtime.seed(8)
    assert not np.array_equal(np.random.rand(3), first[0])


_DRAW_AFTER_IMPORT = """
import sys
import gancourse
gancourse.seed({seed})
gancourse.seed({seed})  # seeding twice leaves one hook, not two
hooks = [f for f in sys.meta_path if type(f).__name__ == "_SeedTensorFlowOnImport"]
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
        runtime.seed(bad)


def test_import_gancourse_does_not_import_tensorflow():
    code = "import sys, gancourse; gancourse.setup(); print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "False"
