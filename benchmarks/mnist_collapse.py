"""Mode collapse of notebook 05's DCGAN on MNIST, its cure, and a second loss, over seeds.

    python benchmarks/mnist_collapse.py [--settings NAME ...] [--seeds 0 1 2] [--epochs 4]
                                        [--threads N] [--out DIR]

Notebook 06 (section 5) trains the DCGAN of notebook 05 under a few settings (``SETTINGS``),
each changing notebook 05's own (non-saturating loss, Adam 1.4e-3 with beta_1 0.5 for both
players, batch 32) in one or two keys: Adam's beta_1 at Keras's default 0.9, which makes it
collapse; that with the least-squares loss; and notebook 05's settings with the
least-squares loss. The cure of the collapse is notebook 05's beta_1 of 0.5 itself. The
"also tried" settings (not run by default) are stabilisers that did not cure it.

Every run trains a fresh DCGAN with ``training.train`` for the same number of epochs (125
steps each on notebook 05's 4,000 training digits, ``mnist_metrics.reference_split``), seeded
like the notebook (``gancourse.seed(seed)`` before building the models, ``seed`` for the
batches). Then 1,000 samples are judged by the course's shipped classifier against the 1,000
reference digits: class coverage, the Frechet distance of its features, and the share of the
largest predicted class.

Writes results.json and table.md into --out and prints the table. "seconds" is the training
time as ``train`` records it, compiling included; take it on one core (``taskset -c 0``)
to compare with a student's machine.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

#: Notebook 05's training settings: GANTrainer keywords plus batch_size.
NOTEBOOK_05: dict[str, Any] = {
    "loss": "non_saturating",
    "d_learning_rate": 1.4e-3,
    "g_learning_rate": 1.4e-3,
    "batch_size": 32,
}
#: The settings compared: each changes notebook 05's in the keys it names.
SETTINGS: dict[str, dict[str, Any]] = {
    "notebook 05": {},
    "beta_1 0.9": {"beta_1": 0.9},
    "beta_1 0.9, least squares": {"beta_1": 0.9, "loss": "least_squares"},
    "least squares": {"loss": "least_squares"},
}
#: Stabilisers tried on the collapsing setting that did not cure it (run with --settings).
ALSO_TRIED: dict[str, dict[str, Any]] = {
    "beta_1 0.9, hinge": {"beta_1": 0.9, "loss": "hinge"},
    "beta_1 0.9, label smoothing 0.2": {"beta_1": 0.9, "label_smoothing": 0.2},
    "beta_1 0.9, 2 D steps": {"beta_1": 0.9, "d_steps": 2},
    "beta_1 0.9, G rate 3.5e-4": {"beta_1": 0.9, "g_learning_rate": 3.5e-4},
    "beta_1 0.9, instance noise 0.3": {"beta_1": 0.9, "instance_noise": 0.3},
}
NUM_EVAL = 1000
COLUMNS = ("setting", "seed", "steps", "seconds", "coverage", "Frechet", "largest class")


def settings_of(name_or_changes: str | dict[str, Any]) -> dict[str, Any]:
    """Return notebook 05's settings with a setting's changes (a name of SETTINGS, or a dict)."""
    named = {**SETTINGS, **ALSO_TRIED}
    changes = named[name_or_changes] if isinstance(name_or_changes, str) else name_or_changes
    from gancourse import training

    allowed = set(inspect.signature(training.GANTrainer).parameters) | {"batch_size"}
    allowed -= {"generator", "discriminator", "strategy"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not a training setting")
    return {**NOTEBOOK_05, **changes}


def split_digits() -> tuple[np.ndarray, np.ndarray]:
    """Return (training digits, reference digits) as notebook 05 makes them."""
    from gancourse import data, mnist_metrics

    images, labels = data.load_mnist(limit=5_000, verbose=False)
    kept, held = mnist_metrics.reference_split(labels)
    return images[kept][:4_000], images[held]


def train_setting(
    settings: dict[str, Any], seed: int, epochs: int, train_images: np.ndarray
) -> tuple[Any, Any]:
    """Train a fresh DCGAN for ``epochs`` epochs with ``settings``; return (trainer, history)."""
    from gancourse import models, seeding, training

    settings = dict(settings)
    batch_size = settings.pop("batch_size")
    seeding.seed(seed)
    trainer = training.GANTrainer(*models.build_gan("dcgan"), **settings)
    history = training.train(
        trainer, train_images, epochs=epochs, batch_size=batch_size, seed=seed, progress=False
    )
    return trainer, history


def judge(trainer: Any, classifier: Any, reference: np.ndarray, seed: int) -> dict[str, Any]:
    """Return coverage, Frechet distance, largest class share and histogram of 1,000 samples."""
    from gancourse import mnist_metrics

    fake = trainer.generate(trainer.sample_noise(NUM_EVAL, seed=seed + 1))
    scores = mnist_metrics.evaluate_samples(classifier, fake, reference)
    _, logits = mnist_metrics.classifier_outputs(classifier, fake)
    histogram = mnist_metrics.class_histogram(logits)
    return {
        "coverage": round(scores["coverage"], 4),
        "frechet": round(scores["frechet"], 2),
        "largest_class": round(float(histogram.max() / histogram.sum()), 4),
        "histogram": histogram.tolist(),
    }


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """Return the rows as a markdown table, then the mean and range per setting."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * (len(COLUMNS) - 1)]
    for row in rows:
        lines.append(
            f"| {row['setting']} | {row['seed']} | {row['steps']} | {row['seconds']:.1f} | "
            f"{row['coverage']:.3f} | {row['frechet']:.1f} | {row['largest_class']:.2f} |"
        )
    lines += ["", "| setting | coverage: mean (min-max) | Frechet: mean (min-max) |"]
    lines += ["|---|---:|---:|"]
    for name in dict.fromkeys(row["setting"] for row in rows):
        cov = [r["coverage"] for r in rows if r["setting"] == name]
        fre = [r["frechet"] for r in rows if r["setting"] == name]
        lines.append(
            f"| {name} | {np.mean(cov):.3f} ({min(cov):.3f}-{max(cov):.3f}) | "
            f"{np.mean(fre):.1f} ({min(fre):.1f}-{max(fre):.1f}) |"
        )
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--settings", nargs="+", default=list(SETTINGS), choices=[*SETTINGS, *ALSO_TRIED]
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=4, help="epochs per run (125 steps each)")
    parser.add_argument("--threads", type=int, default=None, help="TF intra/inter-op threads")
    parser.add_argument("--out", default="runs/mnist_collapse")
    args = parser.parse_args(argv)
    if args.epochs < 1 or min(args.seeds) < 0:
        parser.error("--epochs must be positive and --seeds non-negative")
    return args


def main(argv: list[str] | None = None) -> None:
    """Train every setting with every seed, judge the samples, and write the table."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    import tensorflow as tf

    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    from gancourse import mnist_metrics
    from gancourse.history import atomic_write

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    train_images, reference = split_digits()
    classifier = mnist_metrics.load_classifier()
    rows = []
    for name in args.settings:
        settings = settings_of(name)
        for seed in args.seeds:
            trainer, history = train_setting(settings, seed, args.epochs, train_images)
            row = {"setting": name, "seed": seed, "steps": history.num_steps}
            row["seconds"] = round(history.elapsed, 2)
            row |= judge(trainer, classifier, reference, seed)
            row["settings"] = settings
            rows.append(row)
            print(
                f"{name:>14} seed {seed}: {row['steps']} steps in {row['seconds']:.1f} s, coverage "
                f"{row['coverage']:.3f}, Frechet {row['frechet']:.1f}, largest class "
                f"{row['largest_class']:.2f} {row['histogram']}",
                flush=True,
            )
    table = markdown_table(rows)
    result = {
        "command": shlex.join(["python", "benchmarks/mnist_collapse.py", *argv]),
        "settings": {name: settings_of(name) for name in args.settings},
        "epochs": args.epochs,
        "environment": {
            "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "threads": args.threads,
            "tensorflow": tf.__version__,
            "python": sys.version.split()[0],
        },
        "rows": rows,
    }
    atomic_write(out / "results.json", lambda f: json.dump(result, f, indent=2))
    atomic_write(out / "table.md", lambda f: f.write(table))
    print("\n" + table + f"\nWritten to {out}/ (results.json, table.md).")


if __name__ == "__main__":
    main()
