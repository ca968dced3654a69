"""gancourse.history: recording, saving atomically, loading only complete epochs."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from gancourse.history import History, atomic_save, atomic_write, temporary_target


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


def test_load_ignores_sample_grids_that_no_epoch_committed(tmp_path):
    """A crash between writing samples.npz and history.json leaves one grid too many."""
    _history(epochs=2).save(tmp_path)
    (tmp_path / "samples.npz").write_bytes(_grids_of(_history(epochs=3)))
    loaded = History.load(tmp_path)
    assert loaded.num_epochs == 2 and loaded.num_steps == 8 and len(loaded.samples) == 2


def _grids_of(history: History) -> bytes:
    import io

    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{f"epoch_{i + 1:04d}": s for i, s in enumerate(history.samples)})
    return buffer.getvalue()


def test_a_missing_samples_file_is_an_error_not_an_empty_history(tmp_path):
    _history(epochs=3).save(tmp_path)
    (tmp_path / "samples.npz").unlink()
    with pytest.raises(FileNotFoundError) as error:
        History.load(tmp_path)
    message = str(error.value)
    assert str(tmp_path / "samples.npz") in message and "records 3 epochs" in message
    assert "overwrite=True (--overwrite)" in message


def test_fewer_sample_grids_than_epochs_is_an_error(tmp_path):
    _history(epochs=3).save(tmp_path)
    (tmp_path / "samples.npz").write_bytes(_grids_of(_history(epochs=2)))
    with pytest.raises(ValueError, match="holds 2 sample grids; history.json records 3 epochs"):
        History.load(tmp_path)


def test_a_truncated_samples_file_is_named(tmp_path):
    _history(epochs=3).save(tmp_path)
    whole = (tmp_path / "samples.npz").read_bytes()
    (tmp_path / "samples.npz").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ValueError) as error:
        History.load(tmp_path)
    assert f"{tmp_path / 'samples.npz'} cannot be read" in str(error.value)
    assert "overwrite" in str(error.value)


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("[1, 2, 3]", "not an object with steps, epochs and config"),
        ('{"steps": {}, "epochs": [], "config": []}', "config is not an object"),
        ('{"steps": {"d_loss": "low"}, "epochs": [], "config": {}}', "steps is not an object"),
        ('{"steps": {}, "epochs": [{"epoch": 1}], "config": {}}', "epochs is not a list"),
        (
            '{"steps": {"d_loss": [1]}, "epochs": [{"epoch": 2, "step": 1, "elapsed": 1}],'
            ' "config": {}}',
            "not numbered 1, 2, 3",
        ),
        (
            '{"steps": {"d_loss": [1]}, "epochs": [{"epoch": 1, "step": 5, "elapsed": 1}],'
            ' "config": {}}',
            "do not fit the recorded steps",
        ),
        ('{"steps": ', "not valid JSON"),
    ],
)
def test_a_wrong_shaped_history_file_is_named(tmp_path, payload, problem):
    (tmp_path / "history.json").write_text(payload)
    with pytest.raises(ValueError) as error:
        History.load(tmp_path)
    assert str(error.value).startswith(f"{tmp_path / 'history.json'} cannot be read")
    assert problem in str(error.value)


def test_history_json_is_standard_json_even_with_nan(tmp_path):
    history = _history(epochs=1)
    history.steps["d_loss"][2] = float("nan")
    history.epochs[0]["fid"] = float("inf")
    history.save(tmp_path)

    def refuse(constant):
        raise AssertionError(f"non-standard JSON constant {constant}")

    payload = json.loads((tmp_path / "history.json").read_text(), parse_constant=refuse)
    assert payload["steps"]["d_loss"][2] is None
    loaded = History.load(tmp_path)
    assert np.isnan(loaded.steps["d_loss"][2]) and np.isnan(loaded.epochs[0]["fid"])
    assert loaded.steps["d_loss"][1] == history.steps["d_loss"][1]


def test_save_refuses_epochs_without_their_samples(tmp_path):
    history = _history(epochs=2)
    history.samples.pop()
    with pytest.raises(ValueError, match="2 epochs but 1 sample grids"):
        history.save(tmp_path)
    assert not any(tmp_path.iterdir())


def test_sample_grids_are_read_in_epoch_order_not_file_order(tmp_path):
    history = _history(epochs=3)
    history.save(tmp_path)
    grids = {f"epoch_{i:04d}": history.samples[i - 1] for i in (3, 1, 2)}
    np.savez(tmp_path / "samples.npz", **grids)
    loaded = History.load(tmp_path)
    assert [float(s[0, 0, 0, 0]) for s in loaded.samples] == pytest.approx([0.0, 0.1, 0.2])


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


def test_atomic_save_hands_a_file_name_with_the_suffix_and_cleans_up(tmp_path):
    names = []

    def save(path):
        names.append(path.name)
        path.write_text("model")

    atomic_save(tmp_path / "generator.keras", save)
    assert (tmp_path / "generator.keras").read_text() == "model"
    assert names[0].startswith(".generator.keras.") and names[0].endswith(".tmp.keras")
    assert temporary_target(names[0]) == "generator.keras"

    def broken(path):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_save(tmp_path / "generator.keras", broken)
    assert [p.name for p in tmp_path.iterdir()] == ["generator.keras"]


def test_history_module_does_not_import_tensorflow():
    code = "import sys, gancourse.history, gancourse.images; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
