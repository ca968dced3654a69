"""The command line (gancourse/__main__.py): headless training, info, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from gancourse.history import History


def run_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        [sys.executable, "-m", "gancourse", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def _error_lines(stderr: str) -> list[str]:
    """The lines gancourse printed (TensorFlow's own start-up log lines left out)."""
    return [line for line in stderr.splitlines() if "gancourse" in line]


def test_train_quick_writes_a_complete_run_folder(tmp_path):
    out = tmp_path / "run"
    result = run_cli("train", "--model", "mlp", "--quick", "--epochs", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Trained mlp for 2 epochs" in result.stdout
    names = {p.name for p in out.iterdir()}
    assert {"generator.keras", "discriminator.keras", "history.json", "samples.npz"} <= names
    assert {"epoch_0001.png", "epoch_0002.png", "training.gif"} <= names
    history = History.load(out)
    assert history.num_epochs == 2 and history.config["loss"] == "non_saturating"
    assert history.config["g_learning_rate"] == pytest.approx(2e-4)  # GANTrainer's default
    assert history.samples[0].shape == (16, 28, 28, 1)
    with Image.open(out / "training.gif") as gif:
        assert gif.n_frames == 2
    # --resume continues the same run to more epochs.
    result = run_cli(
        "train", "--model", "mlp", "--quick", "--epochs", "3", "--out", str(out), "--resume"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert History.load(out).num_epochs == 3
    saved = json.loads((out / "history.json").read_text())
    assert saved["config"]["checkpoint"] == "epoch_0003"


def test_trained_generator_reloads(tmp_path):
    import keras

    out = tmp_path / "run"
    assert run_cli("train", "--model", "dcgan", "--quick", "--out", str(out)).returncode == 0
    generator = keras.models.load_model(out / "generator.keras")
    images = generator(np.zeros((2, 64), np.float32)).numpy()
    assert images.shape == (2, 28, 28, 1) and np.abs(images).max() <= 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "--model", "vae", "--out", "x"], "invalid choice: 'vae'"),
        (["train", "--loss", "wgan", "--quick", "--out", "OUT"], "Unknown loss 'wgan'"),
        (["train", "--epochs", "0", "--out", "x"], "--epochs must be positive"),
        (["train", "--epochs", "two", "--out", "x"], "invalid int value: 'two'"),
        (["train", "--quick"], "the following arguments are required: --out"),
        (["train", "--out", "x", "--resume", "--overwrite"], "not allowed with argument"),
        (["train", "--source", "web", "--quick", "--out", "OUT"], "Unknown source 'web'"),
        (["fly"], "invalid choice: 'fly'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path, args, message):
    args = [str(tmp_path / "run") if a == "OUT" else a for a in args]
    result = run_cli(*args)
    assert result.returncode == 2
    lines = _error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_an_existing_run_is_refused_with_advice(tmp_path):
    out = tmp_path / "run"
    assert run_cli("train", "--model", "mlp", "--quick", "--out", str(out)).returncode == 0
    result = run_cli("train", "--model", "mlp", "--quick", "--out", str(out))
    assert result.returncode == 2
    assert "already holds a training run" in result.stderr and "--resume" in result.stderr
    assert "Traceback" not in result.stderr


def test_info_reports_versions_tfgan_data_and_devices():
    result = run_cli("info")
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "tensorflow " in out and "tensorflow-gan" in out
    assert "TF-GAN: loads" in out
    assert "MNIST: will come from" in out
    assert "Devices: CPU" in out


def test_train_dcgan_uses_its_tuned_learning_rates(tmp_path):
    from gancourse.training import TUNED_SETTINGS

    out = tmp_path / "run"
    result = run_cli("train", "--model", "dcgan", "--quick", "--epochs", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    config = History.load(out).config
    for name, value in TUNED_SETTINGS["dcgan"].items():
        assert config[name] == pytest.approx(value)
