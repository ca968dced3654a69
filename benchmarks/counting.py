"""GANs cannot count: how many squares the DCGAN draws, against real images with exactly 3.

    taskset -c 0 python benchmarks/counting.py [--seeds 0 1 2] [--epochs 8] [--out DIR]

Notebook 06, section 6. The DCGAN of notebook 05 (``models.build_gan("dcgan")``, Adam 1.4e-3,
batch 32, non-saturating loss) trains with ``training.train`` on 4,000 images of 3 squares
of side 6 (``counting.square_images``); an epoch is 125 steps. After every epoch it draws
1,000 images from fixed noise and ``counting.count_objects`` counts their objects (bright
groups of at least 6 pixels, 8-connected); 1,000 new real images are counted the same way.
"big" objects have more than 1.5 squares' pixels (54; often two squares run together),
"small" ones fewer than half a square's (18): fragments. At the end D judges real images
with 1, 2, ..., 5 squares: its mean probability "real" and mean logit for each number.
Training time is what the training API counts (compiling included); counting is not.

Writes results.json (every seed and epoch: steps, seconds, the share of images with
0, 1, ..., 6 or more objects, the shares of big and small objects) and, per seed, 64 final
samples (float16 .npy) into --out, and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

#: Settings of the run, as notebook 06 uses them in full mode.
TRAIN_IMAGES = 4000
BATCH_SIZE = 32
LEARNING_RATE = 1.4e-3
NUM_EVAL = 1000
COUNT = 3
MAX_COUNT = 6  # the last share is "6 or more"
SQUARE_PIXELS = 36  # a square of side 6


def _share(flags: np.ndarray) -> float | None:
    """Return the share of True in ``flags``, rounded; None if there are none (no objects)."""
    return round(float(np.mean(flags)), 4) if len(flags) else None


def run_seed(
    seed: int, epochs: int, threads: int, decay_after: int | None = None
) -> dict[str, Any]:
    """Train one DCGAN on the squares with ``seed``; return its counts after every epoch."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    import gancourse
    from gancourse import counting, models, training

    gancourse.seed(seed)
    images = counting.square_images(TRAIN_IMAGES, count=COUNT, seed=seed)
    trainer = training.GANTrainer(
        *models.build_gan("dcgan"),
        d_learning_rate=LEARNING_RATE,
        g_learning_rate=LEARNING_RATE,
        decay_after=decay_after,
    )
    noise = trainer.sample_noise(NUM_EVAL, seed=1000 + seed)
    rows: list[dict[str, Any]] = []
    counting_seconds = [0.0]

    def after_epoch(history: Any) -> None:
        start = time.perf_counter()
        fake = trainer.generate(noise)
        counts = counting.count_objects(fake)
        shares = counting.count_shares(counts, MAX_COUNT)
        _, sizes = counting.object_sizes(fake)
        rows.append(
            {
                "epoch": history.num_epochs,
                "steps": history.num_steps,
                "seconds": round(history.elapsed, 2),
                "exact": round(float(shares[COUNT]), 4),
                "shares": [round(float(s), 4) for s in shares],
                "big_objects": _share(sizes > 1.5 * SQUARE_PIXELS),
                "small_objects": _share(sizes < 0.5 * SQUARE_PIXELS),
            }
        )
        counting_seconds[0] += time.perf_counter() - start
        print(f"  seed {seed} epoch {history.num_epochs}: {rows[-1]}", flush=True)

    history = training.train(
        trainer,
        images,
        epochs=epochs,
        batch_size=BATCH_SIZE,
        progress=False,
        seed=seed,
        on_epoch=after_epoch,
    )
    real = counting.count_shares(
        counting.count_objects(counting.square_images(NUM_EVAL, seed=10_000 + seed)), MAX_COUNT
    )
    judged, scores = {}, {}  # D's verdict on real images with 1..5 squares: does it prefer 3?
    for k in range(1, 6):
        squares = counting.square_images(NUM_EVAL, count=k, seed=20_000 + k)
        judged[k] = round(float(np.mean(trainer.discriminator_probabilities(squares))), 4)
        scores[k] = round(float(np.mean(trainer.discriminator(squares, training=False))), 3)
    return {
        "seed": seed,
        "d_real_by_count": judged,
        "d_logit_by_count": scores,
        "steps": history.num_steps,
        "seconds": round(history.elapsed, 2),
        "ms_per_step": round(1000 * history.elapsed / history.num_steps, 1),
        "counting_seconds": round(counting_seconds[0], 2),
        "real_shares": [round(float(s), 4) for s in real],
        "epochs": rows,
        "samples": trainer.generate(noise[:64]).astype(np.float16),
    }


def table(results: list[dict[str, Any]]) -> str:
    """Return a markdown table: per seed and checkpoint, the shares of 0..6+ objects."""
    heads = ["seed", "epoch", "steps", "train s", *map(str, range(MAX_COUNT)), f"{MAX_COUNT}+"]
    heads += ["big objects", "small objects"]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    real = results[0]["real_shares"]
    lines.append("| real | | | | " + " | ".join(f"{s:.0%}" for s in real) + " | 0% | 0% |")
    for result in results:
        for row in result["epochs"]:
            cells = [result["seed"], row["epoch"], row["steps"], f"{row['seconds']:.0f}"]
            cells += [f"{s:.0%}" for s in row["shares"]]
            cells += [
                "-" if row[k] is None else f"{row[k]:.0%}" for k in ("big_objects", "small_objects")
            ]
            lines.append("| " + " | ".join(map(str, cells)) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Train one GAN per seed, write results.json and the samples, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=8, help="of 125 steps each")
    parser.add_argument("--threads", type=int, default=1, help="TF intra/inter-op threads")
    parser.add_argument(
        "--decay-after", type=int, default=None, help="steps before the learning rates shrink"
    )
    parser.add_argument("--out", type=Path, default=Path("benchmark_counting"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for seed in args.seeds:
        result = run_seed(seed, args.epochs, args.threads, args.decay_after)
        np.save(args.out / f"samples_seed{seed}.npy", result.pop("samples"))
        results.append(result)
        print(
            f"seed {seed}: {result['steps']} steps in {result['seconds']:.0f} s "
            f"({result['ms_per_step']} ms per step); exactly {COUNT}: "
            f"{result['epochs'][-1]['exact']:.0%} of generated, "
            f"{result['real_shares'][COUNT]:.0%} of real; D's P(real) for 1..5 squares: "
            f"{result['d_real_by_count']}, mean logits {result['d_logit_by_count']}",
            flush=True,
        )
    settings = {
        "train_images": TRAIN_IMAGES,
        "batch_size": BATCH_SIZE,
        "learning_rate": LEARNING_RATE,
        "num_eval": NUM_EVAL,
        "count": COUNT,
        "epochs": args.epochs,
        "threads": args.threads,
        "decay_after": args.decay_after,
    }
    (args.out / "results.json").write_text(
        json.dumps({"settings": settings, "results": results}, indent=1)
    )
    print(table(results))


if __name__ == "__main__":
    main()
