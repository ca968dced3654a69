"""gancourse.history: recording, saving atomically, loading only complete epochs."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from gancourse.history import History, atomic_write


def _history(epochs: int = 3, steps_per_epoch: int = 4) -> History:
    history = History(config={"loss": "hinge"})
    for e in range(epochs):
        for s in range(steps_per_epoch):
            history.record_step(d_loss=e + s / 10, g_loss=-e, d_real=0.6, d_fake=0.4)
        history.record_epoch(np.full((4, 28, 28, 1), e / 10, np.float32), elapsed=1.5 * (e + 1))
    return history


def test_record_counts_steps_and_epochs():
    history = _history()
    assert history.num_steps == 12 and history.num_epochs == 3
    assert history.epochs[1] == {"epoch": 2, "step": 8, "elapsed": 3.0}
    assert history.elapsed == 4.5
    assert history.epoch_means("d_loss") == pytest.approx([0.15, 1.15, 2.15])
    with pytest.raises(KeyError, match="recorded: d_fake, d_loss, d_real, g_loss"):
        history.epoch_means("loss")


def test_save_and_load_round_trip(tmp_path):
    history = _history()
    history.save(tmp_path)
    loaded = History.load(tmp_path)
    assert loaded.steps == history.steps and loaded.epochs == history.epochs
    assert loaded.config == {"loss": "hinge"}
    for a, b in zip(loaded.samples, history.samples):
        np.testing.assert_array_equal(a, b)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json", "samples.npz"]


def test_load_keeps_only_epochs_whose_samples_were_written(tmp_path):
    """A crash between writing samples.npz and history.json leaves a consistent history."""
    history = _history(epochs=2)
    history.save(tmp_path)
    payload = json.loads((tmp_path / "history.json").read_text())
    payload["epochs"].append({"epoch": 3, "step": 12, "elapsed": 4.5})
    payload["steps"] = {k: v + [0.0] * 4 for k, v in payload["steps"].items()}
    (tmp_path / "history.json").write_text(json.dumps(payload))
    loaded = History.load(tmp_path)
    assert loaded.num_epochs == 2 and loaded.num_steps == 8


def test_load_explains_a_missing_history(tmp_path):
    with pytest.raises(FileNotFoundError, match="history.json is missing"):
        History.load(tmp_path / "nowhere")


def test_truncate_drops_later_epochs():
    history = _history()
    history.truncate(1)
    assert history.num_epochs == 1 and history.num_steps == 4 and len(history.samples) == 1


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "file.txt"
    atomic_write(target, lambda f: f.write("old"))

    def broken(handle):
        handle.write("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"], "no temporary file left behind"


def test_history_module_does_not_import_tensorflow():
    code = "import sys, gancourse.history, gancourse.images; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
