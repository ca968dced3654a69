"""Notebook 07's conditional GANs over seeds: CGAN vs ACGAN, InfoGAN codes, augmentation.

    python benchmarks/conditional_gans.py [--parts gans infogan augment] [--threads 1]
                                          [--out runs/conditional_gans] [--smoke]

All on the course's split (``mnist_metrics.reference_split``): the GANs train on the 4,000
kept digits, and the shipped classifier (``mnist_metrics.load_classifier``) judges them
against the 1,000 reference digits. Every job runs in its own worker process with ``--threads``
TensorFlow threads (notebook budget: one core), two side by side. The workers are not pinned
to cores: pinning each to its own core made the comparison unfair wherever other jobs were
pinned to one of them.

* **gans**: CGAN (``build_gan("cdcgan")``) and ACGAN (``conditional_dcgan_generator`` with
  ``acgan_discriminator``), each a ``StepTrainer`` with ``conditional_gans``' steps and
  ``training.tuned_settings("cdcgan")``, seeds 0-2, CGAN seed s beside ACGAN seed s.
  Training continues through 8 and 16 epochs of the 4,000 digits (1,000 and 2,000 steps, as
  in the notebook; the seconds each took are recorded); after
  each, 1,000 digits (fixed noise, labels 0-9 in turn) give conditioning accuracy overall
  and per digit, the Frechet distance of the classifier's features (overall, and per digit:
  100 generated vs 100 reference), class coverage and peak memory. The real-vs-real
  baseline puts 1,000 training digits (100 per class) in place of the generated ones.
* **infogan**: ``InfoGANCodes`` with the DCGAN generator and ``infogan_discriminator``, seeds
  0-4 after 8 and 14 epochs (1,000 and 1,750 steps) with ``INFO_WEIGHT`` 2.0, and 1.0 (the
  default) for seeds 0-2. Category code: 100 noise vectors
  x 10 values (continuous codes 0): purity, best one-to-one matching, "clean" codes (distinct
  majority digits among code values of purity >= 0.8). Continuous codes: each swept over
  -1..1 (5 values, the other 0) on 200 (noise, category) pairs; Pearson correlation of the
  value with ``slant`` and ``ink``, and the change from -1 to +1.
* **augment**: ``augmentation.classifier_accuracy`` on the reference digits, seeds 0-4, for
  10 real per class, those + the 1,000 digits of the 2,000-step CGAN (ACGAN) of seed 0
  labelled as requested, and 110 real per class.

Writes results.json and table.md into --out (the workers' files go to --out/jobs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mnist_quality  # noqa: E402
from mnist_quality import split_digits  # noqa: E402  (the course's 4,000 / 1,000 split)

NUM_EVAL, SWEEP, PAIRS, CLEAN = 1000, (-1.0, -0.5, 0.0, 0.5, 1.0), 200, 0.8
#: Budgets are epochs of the 4,000 digits (125 steps of 32 each), as notebook 07 trains:
#: CGAN and ACGAN 8 and 16 epochs (1,000 and 2,000 steps), InfoGAN 8 and 14 (1,000, 1,750).
FULL = {"seeds": [0, 1, 2], "budgets": [8, 16], "info_seeds": [0, 1, 2, 3, 4],
        "info_budgets": [8, 14], "weight_seeds": [0, 1, 2], "aug_seeds": [0, 1, 2, 3, 4],
        "aug_steps": None}  # fmt: skip
#: The test's smoke run: one epoch of 256 digits (8 steps), one seed.
SMOKE = {"seeds": [0], "budgets": [1], "info_seeds": [0], "info_budgets": [1],
         "weight_seeds": [], "aug_seeds": [0], "aug_steps": 3, "digits": 256}  # fmt: skip


def import_tensorflow(threads: int) -> Any:
    """Import TensorFlow with ``threads`` intra- and inter-op threads (if not yet running)."""
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # TensorFlow already ran in this process (a test): keep its threads
        pass
    return tf


def build_trainer(kind: str) -> tuple[Any, int]:
    """Return (a fresh StepTrainer for "cgan", "acgan" or "infogan", its batch size)."""
    from gancourse import conditional_gans as cg
    from gancourse import models, training
    from gancourse.step_trainer import StepTrainer

    settings, batch = training.tuned_settings("cdcgan")
    if kind == "infogan":
        codes = cg.InfoGANCodes()
        pair = models.dcgan_generator(noise_dim=codes.size), models.infogan_discriminator()
        steps = cg.infogan_discriminator_step, cg.infogan_generator_step
        return StepTrainer(*pair, *steps, codes=codes, **settings), batch
    if kind == "acgan":  # not in models.GAN_MODELS: its D has two outputs
        pair = models.conditional_dcgan_generator(), models.acgan_discriminator()
        steps = cg.acgan_discriminator_step, cg.acgan_generator_step
    else:
        pair = models.build_gan("cdcgan")
        steps = cg.cgan_discriminator_step, cg.cgan_generator_step
    return StepTrainer(*pair, *steps, **settings), batch


def judge_conditional(fake: np.ndarray, requested: np.ndarray, clf: Any, ref: dict) -> dict:
    """Return conditioning accuracy, Frechet distances and coverage of labelled fakes."""
    from gancourse import conditional_metrics, mnist_metrics

    features, logits = mnist_metrics.classifier_outputs(clf, fake)
    accuracy, per_digit = conditional_metrics.conditioning_accuracy(logits.argmax(1), requested)
    per_fd = [
        mnist_metrics.frechet_distance(
            ref["features"][ref["labels"] == d], features[requested == d]
        )
        for d in range(10)
    ]
    return {"accuracy": round(accuracy, 4), "per_digit": np.round(per_digit, 3).tolist(),
            "frechet": round(mnist_metrics.frechet_distance(ref["features"], features), 2),
            "digit_frechet": np.round(per_fd, 2).tolist(),
            "coverage": round(mnist_metrics.class_coverage(logits), 4)}  # fmt: skip


def judge_infogan(trainer: Any, clf: Any, seed: int) -> dict:
    """Return the category code's purity and matching, and the continuous codes' effects."""
    from gancourse import conditional_metrics as cm
    from gancourse import mnist_metrics

    codes = trainer.codes
    noise = np.repeat(codes.split(codes.sample(100, seed=seed + 1))[0].numpy(), 10, axis=0)
    category = np.tile(np.arange(10), 100)
    fake = trainer.generate(codes.join(noise, category, np.zeros((NUM_EVAL, codes.continuous))))
    predicted = mnist_metrics.classifier_outputs(clf, fake)[1].argmax(1)
    purity, per_code = cm.code_purity(category, predicted)
    pairing, share = cm.best_matching(category, predicted)
    majority = cm.confusion_counts(category, predicted).argmax(1)
    row = {"purity": round(purity, 4), "per_code": np.round(per_code, 3).tolist(),
           "matched": round(share, 4), "pairing": pairing.tolist(), "majority": majority.tolist(),
           "clean": len(set(majority[per_code >= CLEAN].tolist())),
           "digits_found": len(set(majority.tolist()))}  # fmt: skip
    noise = codes.split(codes.sample(PAIRS, seed=seed + 2))[0].numpy()
    category = np.arange(PAIRS) % 10
    for j in range(codes.continuous):
        sweep = np.repeat(SWEEP, PAIRS)
        values = np.zeros((len(sweep), codes.continuous))
        values[:, j] = sweep
        fake = trainer.generate(
            codes.join(np.tile(noise, (len(SWEEP), 1)), np.tile(category, len(SWEEP)), values)
        )
        for name, measure in (("slant", cm.slant), ("ink", cm.ink)):
            m = measure(fake)
            row[f"c{j + 1}_{name}_corr"] = round(float(np.corrcoef(sweep, m)[0, 1]), 3)
            change = float(m[sweep == 1].mean() - m[sweep == -1].mean())
            row[f"c{j + 1}_{name}_change"] = round(change, 4)
    return row


def run_gan_job(job: dict, out: Path) -> list[dict]:
    """Train one GAN through its budgets; judge it after each; return one row per budget."""
    from gancourse import conditional_gans, mnist_metrics, seeding, training

    images, labels, ref_images, ref_labels = split_digits()
    images, labels = images[: job.get("digits")], labels[: job.get("digits")]
    clf = mnist_metrics.load_classifier()
    ref = {"features": mnist_metrics.classifier_outputs(clf, ref_images)[0], "labels": ref_labels}
    kept_weight = conditional_gans.INFO_WEIGHT
    conditional_gans.INFO_WEIGHT = job.get("weight", kept_weight)  # read when the steps trace
    try:
        seeding.seed(job["seed"])
        trainer, batch = build_trainer(job["kind"])
        requested = np.arange(NUM_EVAL) % 10
        noise = trainer.sample_noise(NUM_EVAL, seed=job["seed"] + 1)
        history, rows = None, []
        for budget in job["budgets"]:
            history = training.train(trainer, images, labels, epochs=budget, seed=job["seed"],
                                     history=history, progress=False, batch_size=batch)  # fmt: skip
            row = {**job, "budget": budget, "steps": history.num_steps,
                   "peak_mb": round(mnist_quality.peak_mb()),
                   "trained_s": round(history.elapsed, 1)}  # fmt: skip
            start = time.perf_counter()
            if job["kind"] == "infogan":
                row |= judge_infogan(trainer, clf, job["seed"])
            else:
                fake = trainer.generate(noise, requested)
                row |= judge_conditional(fake, requested, clf, ref)
                if job.get("save") and budget == job["budgets"][-1]:
                    np.save(out / f"{job['name']}_samples.npy", fake.astype(np.float16))
            row["eval_s"] = round(time.perf_counter() - start, 1)
            rows.append(row)
            brief = {k: v for k, v in row.items() if not isinstance(v, list)}
            print(f"{job['name']} {budget} epochs: {json.dumps(brief)}", flush=True)
    finally:
        conditional_gans.INFO_WEIGHT = kept_weight
    return rows


def run_augment_job(job: dict, out: Path) -> list[dict]:
    """Return classifier accuracies with and without the saved generated digits, per seed."""
    from gancourse import augmentation

    images, labels, ref_images, ref_labels = split_digits()
    requested = np.arange(NUM_EVAL) % 10
    steps = {"steps": job["steps"]} if job["steps"] else {}
    rows = []
    for seed in job["seeds"]:
        few = augmentation.few_per_class(labels, 10, seed)
        sets = {"100 real": (images[few], labels[few])}
        for kind in ("cgan", "acgan"):
            fake = np.load(out / f"{kind}_s0_samples.npy").astype(np.float32)
            sets[f"100 real + 1,000 {kind.upper()}"] = (
                np.concatenate([images[few], fake]),
                np.concatenate([labels[few], requested]),
            )
        many = augmentation.few_per_class(labels, 110, seed)
        sets["1,100 real"] = (images[many], labels[many])
        for name, (x, y) in sets.items():
            accuracy = augmentation.classifier_accuracy(
                x, y, ref_images, ref_labels, seed=seed, **steps
            )
            rows.append(
                {"part": "augment", "set": name, "seed": seed, "accuracy": round(accuracy, 4)}
            )
            print(f"augment seed {seed} {name}: {accuracy:.3f}", flush=True)
    return rows


def run_job(job: dict, out: Path) -> None:
    """Run one job and write its rows to out/jobs/NAME.json."""
    start = time.perf_counter()
    rows = (run_augment_job if job["part"] == "augment" else run_gan_job)(job, out)
    payload = {
        "rows": rows,
        "wall_s": round(time.perf_counter() - start, 1),
        "peak_mb": round(mnist_quality.peak_mb()),
    }
    (out / "jobs" / f"{job['name']}.json").write_text(json.dumps(payload, indent=1))


def plan(config: dict, parts: list[str]) -> list[tuple[str, list[dict]]]:
    """Return the (part, jobs run side by side) rounds, in order."""
    gan = [[{"part": "gans", "name": f"{k}_s{s}", "kind": k, "seed": s, "save": s == 0,
             "budgets": config["budgets"], "digits": config.get("digits")}
            for k in ("cgan", "acgan")]
           for s in config["seeds"]]  # fmt: skip
    info = [{"part": "infogan", "name": f"infogan_w2_s{s}", "kind": "infogan", "seed": s,
             "weight": 2.0, "budgets": config["info_budgets"], "digits": config.get("digits")}
            for s in config["info_seeds"]]  # fmt: skip
    info += [{**j, "name": f"infogan_w1_s{j['seed']}", "weight": 1.0} for j in info
             if j["seed"] in config["weight_seeds"]]  # fmt: skip
    seeds = config["aug_seeds"]
    aug = [
        {"part": "augment", "name": f"augment_{i}", "seeds": part, "steps": config["aug_steps"]}
        for i, part in enumerate([seeds[: (len(seeds) + 1) // 2], seeds[(len(seeds) + 1) // 2 :]])
        if part
    ]
    rounds = [("gans", pair) for pair in gan] + [("augment", aug)]
    rounds += [("infogan", info[i : i + 2]) for i in range(0, len(info), 2)]
    return [(p, jobs) for p, jobs in rounds if p in parts]


def run_round(jobs: list[dict], args: argparse.Namespace, out: Path) -> None:
    """Run the jobs side by side, each in its own worker process (not pinned to a core)."""
    if args.inline:
        for job in jobs:
            run_job(job, out)
        return
    procs = []
    for job in jobs:
        command = [sys.executable, __file__, "--worker", json.dumps(job), "--out", str(out),
                   "--threads", str(args.threads)]  # fmt: skip
        procs.append((job["name"], subprocess.Popen(command)))
    failed = [name for name, proc in procs if proc.wait() != 0]
    if failed:
        raise SystemExit(f"Worker(s) {', '.join(failed)} failed.")


def mean_range(values: list[float], fmt: str = ".3f") -> str:
    """Return "mean (min-max)" of the values."""
    return f"{np.mean(values):{fmt}} ({min(values):{fmt}}-{max(values):{fmt}})"


def table(header: list[str], body: list[list[str]]) -> list[str]:
    """Return the lines of a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return lines + ["| " + " | ".join(row) + " |" for row in body]


#: The GAN table's columns: heading, value of a row, format.
GAN_COLUMNS = [
    ("steps", lambda r: r["steps"], ".0f"),
    ("seconds", lambda r: r["trained_s"], ".0f"),
    ("cond. accuracy", lambda r: r["accuracy"], ".3f"),
    ("worst digit", lambda r: min(r["per_digit"]), ".2f"),
    ("Frechet", lambda r: r["frechet"], ".1f"),
    ("digit Frechet (mean of 10)", lambda r: np.mean(r["digit_frechet"]), ".1f"),
    ("worst digit Frechet", lambda r: max(r["digit_frechet"]), ".1f"),
    ("coverage", lambda r: r["coverage"], ".3f"),
]
INFO_COLUMNS = [("steps", ".0f"), ("purity", ".3f"), ("matched", ".3f"), ("digits_found", ".1f")]
CODES = [f"{c} {m}" for c in ("c1", "c2") for m in ("slant", "ink")]


def markdown_table(result: dict) -> str:
    """Return the results as Markdown tables: mean (min-max) over seeds."""
    lines, rows = [], result["rows"]
    gans = [r for r in rows if r["part"] == "gans"]
    if gans:
        body, budgets = [], sorted({r["budget"] for r in gans})
        for kind, b in [(k, b) for k in ("cgan", "acgan") for b in budgets]:
            g = [r for r in gans if r["kind"] == kind and r["budget"] == b]
            cells = [mean_range([get(r) for r in g], fmt) for _, get, fmt in GAN_COLUMNS]
            body.append([kind.upper(), str(b), *cells, str(max(r["peak_mb"] for r in g))])
        heads = [h for h, _, _ in GAN_COLUMNS]
        lines += table(["model", "epochs", *heads, "peak MB"], body)
        lines += ["", f"Per-digit accuracy after {budgets[-1]} epochs, mean over seeds:", ""]
        body = []
        for kind in ("cgan", "acgan"):
            g = [r["per_digit"] for r in gans if r["kind"] == kind and r["budget"] == budgets[-1]]
            body.append([kind.upper(), *(f"{p:.2f}" for p in np.mean(g, axis=0))])
        lines += table(["model", *map(str, range(10))], body)
        if base := result.get("baseline"):
            per = base["digit_frechet"]
            lines += ["", f"Real vs real (1,000 training digits, 100 per class, vs the reference): "
                      f"Frechet {base['frechet']:.1f}; per digit (100 vs 100) mean "
                      f"{np.mean(per):.1f}, worst {max(per):.1f}."]  # fmt: skip
    info = [r for r in rows if r["part"] == "infogan"]
    if info:
        body = []
        for w, b in sorted({(r["weight"], r["budget"]) for r in info}):
            g = [r for r in info if r["weight"] == w and r["budget"] == b]
            each = ", ".join(str(r["clean"]) for r in g)
            cells = [mean_range([r[k] for r in g], f) for k, f in INFO_COLUMNS]
            clean = f"{np.mean([r['clean'] for r in g]):.1f} ({each})"
            body.append([f"{w:g}", str(b), str(len(g)), *cells[:3], clean, cells[3]])
        heads = ["steps", "purity", "matched share", "clean codes (each seed)", "digits found"]
        lines += ["", *table(["INFO_WEIGHT", "epochs", "seeds", *heads], body), ""]
        lines += ["Continuous codes at the last budget: correlation of the code with slant / "
                  "ink (change of the measure from code -1 to +1):", ""]  # fmt: skip
        last = max(r["budget"] for r in info)
        body = [[f"{r['weight']:g}", str(r["seed"])] + [
                 f"{r[f'{c}_{m}_corr']:+.2f} ({r[f'{c}_{m}_change']:+.3f})"
                 for c, m in (x.split() for x in CODES)]
                for r in info if r["budget"] == last]  # fmt: skip
        lines += table(["INFO_WEIGHT", "seed", *CODES], body)
    aug = [r for r in rows if r["part"] == "augment"]
    if aug:
        body = []
        for name in dict.fromkeys(r["set"] for r in aug):
            acc = [r["accuracy"] for r in aug if r["set"] == name]
            body.append([name, mean_range(acc), ", ".join(f"{a:.3f}" for a in acc)])
        lines += ["", *table(["training set", "accuracy: mean (min-max)", "each seed"], body)]
    times = ", ".join(f"{p} {s:.0f} s" for p, s in result["part_seconds"].items())
    lines += [
        "",
        f"Wall time: {times}; total {result['total_seconds']:.0f} s. {result['machine']}.",
    ]
    return "\n".join(lines) + "\n"


def baseline() -> dict:
    """Return real-vs-real Frechet distances: 1,000 training digits (100 per class) vs reference."""
    from gancourse import augmentation, mnist_metrics

    images, labels, ref_images, ref_labels = split_digits()
    pick = augmentation.few_per_class(labels, 100, seed=0)
    clf = mnist_metrics.load_classifier()
    ref = {"features": mnist_metrics.classifier_outputs(clf, ref_images)[0], "labels": ref_labels}
    judged = judge_conditional(images[pick], labels[pick], clf, ref)
    return {k: judged[k] for k in ("frechet", "digit_frechet", "coverage")}


def main(argv: list[str] | None = None) -> None:
    """Run the chosen parts round by round; write results.json and table.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parts = ["gans", "augment", "infogan"]
    parser.add_argument("--parts", nargs="+", default=parts, choices=parts)
    parser.add_argument("--threads", type=int, default=1, help="TF threads per worker")
    parser.add_argument("--out", type=Path, default=Path("runs/conditional_gans"))
    parser.add_argument("--smoke", action="store_true", help="tiny budgets, one seed (tests)")
    parser.add_argument("--inline", action="store_true", help="run jobs in this process")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if "augment" in args.parts and "gans" not in args.parts:
        parser.error("augment uses the samples of the gans part: run both")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "jobs").mkdir(exist_ok=True)
    tf = import_tensorflow(args.threads) if args.worker or args.inline else None
    if args.worker:
        return run_job(json.loads(args.worker), args.out)
    start, seconds, rows = time.perf_counter(), {}, []
    for part, jobs in plan(SMOKE if args.smoke else FULL, args.parts):
        begin = time.perf_counter()
        run_round(jobs, args, args.out)
        seconds[part] = seconds.get(part, 0.0) + time.perf_counter() - begin
        for job in jobs:
            rows += json.loads((args.out / "jobs" / f"{job['name']}.json").read_text())["rows"]
    tf = tf or import_tensorflow(args.threads)
    result = {
        "command": " ".join(["python", "benchmarks/conditional_gans.py", *(argv or sys.argv[1:])]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {args.threads} TF thread(s) "
        f"per worker, TensorFlow {tf.__version__}",
        "baseline": baseline() if "gans" in args.parts else None,
        "part_seconds": {k: round(v, 1) for k, v in seconds.items()},
        "total_seconds": round(time.perf_counter() - start, 1),
        "rows": rows,
    }
    table = markdown_table(result)
    (args.out / "results.json").write_text(json.dumps(result, indent=1))
    (args.out / "table.md").write_text(table)
    print("\n" + table + f"\nWritten to {args.out}/ (results.json, table.md).", flush=True)


if __name__ == "__main__":
    main()
