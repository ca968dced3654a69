"""gancourse.tf_import: TensorFlow's first import hides its start-up lines and keeps the rest."""

from __future__ import annotations

import os
import subprocess
import sys

from gancourse import tf_import

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
        assert any(known in line for known in tf_import.TENSORFLOW_START_NOISE), line


def test_lines_written_during_the_import_that_are_not_noise_are_kept(capfd):
    with tf_import._stderr_without_noise():
        os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called are "
                    b"written to STDERR\nsomething real went wrong\n")  # fmt: skip
    assert capfd.readouterr().err == "something real went wrong\n"


def test_quiet_start_does_nothing_once_tensorflow_is_loaded():
    import tensorflow  # noqa: F401

    assert tf_import.quiet_tensorflow_start() is False
