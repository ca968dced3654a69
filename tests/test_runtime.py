"""gancourse.runtime: quick mode, seeding, and a TensorFlow-free package import."""

from __future__ import annotations

import os
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
        runtime.seed(bad)


def test_import_gancourse_does_not_import_tensorflow():
    code = "import sys, gancourse; gancourse.setup(); print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "False"


_QUIET_IMPORT = """
import os, sys
import gancourse
gancourse.setup(seed=0)
import tensorflow as tf
os.write(2, b"a line that is not start-up noise\\n")
print(float(tf.reduce_sum(tf.ones([2]))))
"""


def test_setup_hides_tensorflow_start_up_lines_but_keeps_other_stderr():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    plain = "import tensorflow as tf; print(float(tf.reduce_sum(tf.ones([2]))))"
    loud = subprocess.run(
        [sys.executable, "-c", plain], capture_output=True, text=True, timeout=300, env=env
    )
    assert loud.returncode == 0, loud.stderr
    noise = [line for line in loud.stderr.splitlines() if line.strip()]
    quiet = subprocess.run(
        [sys.executable, "-c", _QUIET_IMPORT], capture_output=True, text=True, timeout=300, env=env
    )
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.splitlines()[-1] == "2.0"
    assert quiet.stderr.splitlines() == ["a line that is not start-up noise"]
    # Each line TensorFlow printed here without the set-up is one the filter knows.
    for line in noise:
        assert any(known in line for known in runtime.TENSORFLOW_START_NOISE), line


def test_lines_written_during_the_import_that_are_not_noise_are_kept(capfd):
    with runtime._stderr_without_noise():
        os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called are "
                    b"written to STDERR\nsomething real went wrong\n")  # fmt: skip
    assert capfd.readouterr().err == "something real went wrong\n"


def test_quiet_start_does_nothing_once_tensorflow_is_loaded():
    import tensorflow  # noqa: F401

    assert runtime.quiet_tensorflow_start() is False
