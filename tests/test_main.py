"""The command line (gancourse/__main__.py): headless training, info, one-line errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from gancourse.history import History


def run_cli(
    *args: str, timeout: int = 300, env=None, cwd=None, limit=None
) -> subprocess.CompletedProcess:
    """Run ``python -m gancourse ARGS``; ``limit`` runs in the child before it starts."""
    return subprocess.run(
        [sys.executable, "-m", "gancourse", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **(env or {})},
        cwd=cwd,
        preexec_fn=limit,
    )


def call_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """Run the command line in this process (no TensorFlow start-up): status, stdout, stderr.

    The tests of the real entry point, of environment variables and of process limits use
    ``run_cli``; the rest call ``main`` here, the same code minus the interpreter's start.
    """
    from gancourse.__main__ import main

    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(list(args))
            except SystemExit as stop:
                status = stop.code
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


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
    assert call_cli("train", "--model", "dcgan", "--quick", "--out", str(out)).returncode == 0
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
    result = call_cli(*args)
    assert result.returncode == 2
    lines = _error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_an_existing_run_is_refused_with_advice(tmp_path):
    out = tmp_path / "run"
    assert call_cli("train", "--model", "mlp", "--quick", "--out", str(out)).returncode == 0
    result = call_cli("train", "--model", "mlp", "--quick", "--out", str(out))
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
    result = call_cli("train", "--model", "dcgan", "--quick", "--epochs", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    config = History.load(out).config
    for name, value in TUNED_SETTINGS["dcgan"].items():
        assert config[name] == pytest.approx(value)


# --------------------------------------------------------------------------- failures: one line


def assert_one_line_error(result, *phrases):
    """Exit status 2, one line from gancourse, no traceback, every phrase in that line."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = _error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    for phrase in phrases:
        assert phrase in lines[0], f"{phrase!r} not in {lines[0]!r}"
    return lines[0]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """A run folder the command line wrote (mlp, quick, one epoch): copy it, never change it."""
    out = tmp_path_factory.mktemp("cli") / "run"
    result = call_cli("train", "--model", "mlp", "--quick", "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    return out


@pytest.fixture()
def run_copy(cli_run, tmp_path):
    """A fresh copy of ``cli_run`` to damage."""
    copy = tmp_path / "run"
    shutil.copytree(cli_run, copy)
    return copy


def resume(out, *extra):
    return call_cli(
        "train", "--model", "mlp", "--quick", "--epochs", "2", "--out", str(out), "--resume", *extra
    )


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
def test_an_out_of_range_seed_is_one_line(tmp_path, seed):
    result = call_cli("train", "--quick", "--seed", seed, "--out", str(tmp_path / "run"))
    assert_one_line_error(result, "--seed must be a whole number from 0 to 4294967295", seed)
    assert not (tmp_path / "run").exists()


def test_resume_on_a_missing_folder_says_so(tmp_path):
    result = call_cli("train", "--quick", "--resume", "--out", str(tmp_path / "typo"))
    assert_one_line_error(result, f"{tmp_path / 'typo'} does not exist", "leave out --resume")
    assert not (tmp_path / "typo").exists(), "no new run started"
    (tmp_path / "empty").mkdir()
    result = call_cli("train", "--quick", "--resume", "--out", str(tmp_path / "empty"))
    assert_one_line_error(result, "holds no finished epoch", "history.json is missing")


def _cut_in_half(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _rewrite_history(out, change):
    payload = json.loads((out / "history.json").read_text())
    change(payload)
    (out / "history.json").write_text(json.dumps(payload))


DAMAGES = {
    "missing checkpoint": (
        lambda out: (out / "checkpoints" / "epoch_0001.index").unlink(),
        "checkpoints/epoch_0001.index is missing",
    ),
    "truncated samples": (
        lambda out: _cut_in_half(out / "samples.npz"),
        "samples.npz cannot be read",
    ),
    "missing samples": (
        lambda out: (out / "samples.npz").unlink(),
        "samples.npz is missing, but history.json beside it records 1 epoch:",
    ),
    "history of another shape": (
        lambda out: (out / "history.json").write_text('{"steps": [], "epochs": [], "config": {}}'),
        "history.json cannot be read as part of a training run: steps is not an object",
    ),
    "checkpoint outside": (
        lambda out: _rewrite_history(out, lambda p: p["config"].update(checkpoint="../../x/ck")),
        "names the checkpoint '../../x/ck'",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_run_folder_is_one_line_naming_the_file(run_copy, damage):
    change, message = DAMAGES[damage]
    change(run_copy)
    line = assert_one_line_error(resume(run_copy), message, "--overwrite", "another folder")
    assert str(run_copy) in line


def test_a_corrupt_checkpoint_is_one_line_naming_it(run_copy):
    _cut_in_half(run_copy / "checkpoints" / "epoch_0001.data-00000-of-00001")
    assert_one_line_error(
        resume(run_copy), f"The checkpoint {run_copy / 'checkpoints' / 'epoch_0001'}", "--overwrite"
    )


def test_resume_with_other_settings_names_each_difference(run_copy):
    before = (run_copy / "history.json").read_bytes()
    result = resume(run_copy, "--batch-size", "32", "--loss", "hinge", "--seed", "3")
    assert_one_line_error(
        result,
        "holds a run made with other settings",
        "loss 'non_saturating' (now 'hinge')",
        "batch_size 64 (now 32)",
        "seed 0 (now 3)",
        "--overwrite",
    )
    result = call_cli("train", "--model", "dcgan", "--quick", "--out", str(run_copy), "--resume")
    line = assert_one_line_error(result, "generator 'mlp_generator' (now 'dcgan_generator')")
    assert "incompatible tensor" not in line
    assert (run_copy / "history.json").read_bytes() == before, "the run is unchanged"


def test_overwrite_refuses_other_files_and_the_current_folder(run_copy, tmp_path):
    (run_copy / "notes.txt").write_text("mine")
    result = call_cli("train", "--quick", "--overwrite", "--out", str(run_copy))
    assert_one_line_error(result, "holds files that no training run writes (notes.txt)")
    assert (run_copy / "notes.txt").read_text() == "mine" and (run_copy / "history.json").exists()
    for out in (".", ""):
        result = call_cli("train", "--quick", "--overwrite", "--out", out, cwd=run_copy)
        assert_one_line_error(result, "cannot be the current folder", "runs/NAME")
    assert (run_copy / "notes.txt").exists() and (run_copy / "history.json").exists()


def test_out_under_a_file_is_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("")
    result = call_cli("train", "--quick", "--out", str(tmp_path / "notes.txt" / "run"))
    assert_one_line_error(result, f"{tmp_path / 'notes.txt'} is a file, not a folder")


def test_a_folder_nobody_may_write_is_one_line():
    out = "/sys/gancourse-test/run"  # sysfs: not even root may create folders there
    result = call_cli("train", "--model", "mlp", "--quick", "--out", out)
    assert_one_line_error(result, f"Cannot use {out} as a run folder", "Choose another folder")


def _small_file_limit():
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_full_disk_is_one_line_and_leaves_no_half_epoch(tmp_path):
    out = tmp_path / "run"
    result = run_cli(
        "train", "--model", "mlp", "--quick", "--out", str(out), limit=_small_file_limit
    )
    assert_one_line_error(
        result, f"Could not write epoch 1 to {out}", "File too large", "Free some disk space"
    )
    assert sorted(p.name for p in out.iterdir()) == ["checkpoints"], "no half-written epoch"
    assert not any((out / "checkpoints").iterdir())


def test_overwrite_through_a_linked_folder_works(cli_run, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(cli_run, target)
    (tmp_path / "link").symlink_to(target, target_is_directory=True)
    result = call_cli(
        "train", "--model", "mlp", "--quick", "--overwrite", "--out", str(tmp_path / "link")
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "link").is_symlink() and History.load(target).num_epochs == 1


def test_a_run_folder_in_use_is_one_line(run_copy):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:  # a lock held by another live process on this machine
        holder = {"pid": other.pid, "host": socket.gethostname(), "started": "just now"}
        (run_copy / "training.lock").write_text(json.dumps(holder))
        result = resume(run_copy)
    finally:
        other.kill()
        other.wait()
    assert_one_line_error(result, "is in use", f"process {other.pid}", "training.lock")


def _info_that_raises(monkeypatch, error):
    from gancourse import __main__ as cli

    def broken():
        raise error

    monkeypatch.setattr(cli, "_info", broken)
    return cli


def test_an_unexpected_error_is_one_line(monkeypatch, capsys):
    cli = _info_that_raises(monkeypatch, ZeroDivisionError("division by zero"))
    monkeypatch.delenv("GANCOURSE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["info"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected ZeroDivisionError: division by zero" in err
    monkeypatch.setenv("GANCOURSE_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.main(["info"])


def test_an_interruption_is_one_line_and_status_130(monkeypatch, capsys):
    cli = _info_that_raises(monkeypatch, KeyboardInterrupt())
    assert cli.main(["info"]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "interrupted" in err and "--resume" in err


# --------------------------------------------------------------------------- a broken MNIST cache


def _broken_cache(tmp_path):
    """Environment whose only MNIST cache is a half-downloaded file; returns (env, path)."""
    cache = tmp_path / "data" / "mnist.npz"
    cache.parent.mkdir()
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x_train=np.zeros((100, 28, 28), np.uint8))
    cache.write_bytes(buffer.getvalue()[:300])
    env = {"GANCOURSE_DATA_DIR": str(cache.parent), "KERAS_HOME": str(tmp_path / "keras")}
    return env, cache


def test_info_does_not_name_a_broken_cache_as_the_source(tmp_path):
    env, cache = _broken_cache(tmp_path)
    result = run_cli("info", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"the cache {cache} is broken" in result.stdout
    assert f"will come from the local cache {cache}" not in result.stdout
    assert cache.exists(), "info only reports"


def test_training_sets_a_broken_cache_aside_and_says_so(tmp_path):
    env, cache = _broken_cache(tmp_path)
    out = tmp_path / "run"
    result = run_cli("train", "--model", "mlp", "--quick", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"the cache {cache} is broken" in result.stdout and "moved it to" in result.stdout
    assert not cache.exists() and cache.with_name("mnist.npz.broken").exists()
