"""Does an average of G's recent weights draw better digits than G? The same run, both ways.

    python benchmarks/averaged_generator.py [--seeds 0 1] [--steps 1000 2000 3000 4000]
                                            [--decays 0.99 0.995 0.999] [--out DIR]

One DCGAN per seed trains with the command line's settings (``training.TUNED_SETTINGS``) on
the course's 4,000 training digits, for a number of steps rather than seconds, so the result
does not depend on the machine's speed. Beside it, one average of G's weights per decay is
kept exactly as ``GANTrainer(average_decay=...)`` keeps its own (the same warm-up). At each
step count, 1,000 samples from the same fixed noise, drawn by G and by each average, are
judged by ``mnist_quality``'s three judges on the shipped judge's scale. Only the averaging
differs between the columns: the same run, the same noise, the same judges.

Run one seed per process (``--seeds 0`` and ``--seeds 1`` side by side on two cores, one TF
thread each). Writes results.json into --out and prints one line per step count.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import mnist_quality  # noqa: E402  (the judges and their one scale)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the command line's arguments, the step counts checked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[1000, 2000, 3000, 4000])
    parser.add_argument("--decays", type=float, nargs="+", default=[0.99, 0.995, 0.999])
    parser.add_argument("--threads", type=int, default=1, help="TF threads (0: TF's default)")
    parser.add_argument("--out", type=Path, default=Path("runs/averaged_generator"))
    args = parser.parse_args(argv)
    if args.steps != sorted(set(args.steps)) or args.steps[0] < 1:
        parser.error("--steps must be positive and increasing, e.g. 1000 2000 3000")
    return args


def worst(scores: dict[str, Any]) -> dict[str, float]:
    """Return each judge's Frechet distance, the worst of them and the lowest coverage."""
    frechet = {name: s["frechet"] for name, s in scores.items()}
    return frechet | {
        "worst": max(frechet.values()),
        "coverage": min(s["coverage"] for s in scores.values()),
    }


def run_seed(args: argparse.Namespace, seed: int, judges: dict[str, Any]) -> list[dict]:
    """Train one DCGAN with ``seed`` and judge G and its averages at every step count."""
    import numpy as np
    import tensorflow as tf

    from gancourse import models, seeding, training

    train_images, _, real_images, _ = mnist_quality.split_digits()
    scales = mnist_quality.judge_scales(judges, real_images)
    seeding.seed(seed)
    settings, batch_size = training.tuned_settings("dcgan")
    # The trainer keeps the first average itself; the others follow its G the same way.
    trainer = training.GANTrainer(
        *models.build_gan("dcgan"), **settings, average_decay=args.decays[0]
    )
    others = {d: models.dcgan_generator(name=f"average_{d:g}") for d in args.decays[1:]}
    for model in others.values():
        model.set_weights(trainer.generator.get_weights())

    @tf.function
    def follow() -> None:
        for decay, model in others.items():
            training.follow_average(model, trainer.generator, decay, trainer.g_optimizer.iterations)

    rng = np.random.default_rng(seed)
    noise = trainer.sample_noise(mnist_quality.NUM_EVAL, seed=seed + 1)
    rows, step, order = [], 0, np.arange(0)
    for target in args.steps:
        while step < target:
            if len(order) < batch_size:
                order = rng.permutation(len(train_images))
            batch, order = order[:batch_size], order[batch_size:]
            trainer.train_step(train_images[batch])
            follow()
            step += 1
        judged = {"G itself": trainer.generate(noise)}
        judged[f"average {args.decays[0]:g}"] = trainer.generate(noise, average=True)
        for decay, model in others.items():
            judged[f"average {decay:g}"] = model(noise, training=False).numpy()
        row = {"seed": seed, "steps": step} | {
            name: worst(mnist_quality.judge_scores(judges, fake, real_images, scales))
            for name, fake in judged.items()
        }
        rows.append(row)
        print(
            f"seed {seed}, {step:,} steps: "
            + "; ".join(f"{n} worst {row[n]['worst']:.1f}" for n in judged),
            flush=True,
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run every seed and write the rows."""
    args = parse_args(argv)
    mnist_quality.import_tensorflow(args.threads or None)
    args.out.mkdir(parents=True, exist_ok=True)
    mnist_quality.prepare_judges(args.out)  # trains the two new judges unless --out has them
    judges = mnist_quality.load_judges(args.out)
    rows = [row for seed in args.seeds for row in run_seed(args, seed, judges)]
    mnist_quality.write_json(args.out / "results.json", {"args": sys.argv[1:], "rows": rows})


if __name__ == "__main__":
    main()
