"""Every loss and every stabiliser of notebook 06 on the 2-D toys, over several seeds.

    taskset -c 0 python benchmarks/toy_losses.py [--toys ring grid] [--seeds 0 1 2]
        [--steps 2000] [--groups losses stabilisers] [--out runs/toy_losses]

The recipes are ``toy_sweep.loss_recipes()`` and ``toy_sweep.stabiliser_recipes()``, the
ones notebook 06 writes out (with the course's losses in place of the student's and
TF-GAN's, which give the same numbers). Each recipe trains all seeds side by side
(``toy_sweep.train_recipe``) and is measured at ten checkpoints: modes covered and the share
of good samples (within 3 standard deviations of a mode). Prints one table per toy and
group, in Markdown, and writes everything to ``OUT/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

GROUPS = ("losses", "stabilisers")


def markdown_table(results: list, steps: int) -> str:
    """Return a Markdown table of the recipes' last checkpoint, every seed shown."""
    lines = [
        f"| recipe | modes covered at step {steps}: mean (each seed) | good samples: mean (range) "
        "| seconds (all seeds) |",
        "|---|---|---|---|",
    ]
    for r in results:
        modes, good = r.modes[:, -1], r.good[:, -1]
        each = ", ".join(str(int(m)) for m in modes)
        lines.append(
            f"| {r.name} | {modes.mean():.1f} of {r.total_modes} ({each}) | {good.mean():.0%} "
            f"({good.min():.0%}-{good.max():.0%}) | {r.seconds:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Train every recipe of the chosen groups on every chosen toy; print and save the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toys", nargs="+", default=["ring", "grid"], choices=["ring", "grid"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=None, help="G steps (default: the notebook's)")
    parser.add_argument("--groups", nargs="+", default=list(GROUPS), choices=GROUPS)
    parser.add_argument("--recipes", nargs="+", default=None, help="only these recipe names")
    parser.add_argument("--threads", type=int, default=1, help="TF intra/inter-op threads")
    parser.add_argument("--out", type=Path, default=Path("runs/toy_losses"))
    args = parser.parse_args(argv)

    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    except RuntimeError:  # TensorFlow already ran in this process (a test): keep its threads
        record_threads = "TensorFlow's own"
    else:
        record_threads = f"{args.threads}"
    from gancourse import toy_sweep

    steps = args.steps or toy_sweep.SWEEP_STEPS
    record = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {record_threads} TF thread(s)",
        "tensorflow": tf.__version__,
        "date": time.strftime("%Y-%m-%d"),
        "seeds": args.seeds,
        "steps": steps,
        "tables": [],
    }
    builders = {"losses": toy_sweep.loss_recipes, "stabilisers": toy_sweep.stabiliser_recipes}
    args.out.mkdir(parents=True, exist_ok=True)
    for toy in args.toys:
        mixture = toy_sweep.sweep_toy(toy)
        for group in args.groups:
            results = []
            for name, recipe in builders[group]().items():
                if args.recipes and name not in args.recipes:
                    continue
                result = toy_sweep.train_recipe(
                    recipe, mixture, args.seeds, steps, name=name, progress=False
                )
                results.append(result)
                print(f"  {toy} {group} {name}: {result.seconds:.0f} s", flush=True)
            print(f"\n{toy}, {group}, {len(args.seeds)} seeds, {steps} G steps:\n")
            print(markdown_table(results, steps), flush=True)
            record["tables"].append(
                {
                    "toy": toy,
                    "group": group,
                    "recipes": [
                        {
                            "name": r.name,
                            "steps": r.steps.tolist(),
                            "modes": r.modes.tolist(),
                            "good": r.good.round(4).tolist(),
                            "seconds": round(r.seconds, 1),
                        }
                        for r in results
                    ],
                }
            )
            # Written after every table, so that an interrupted run keeps what it measured.
            tmp = args.out / "results.json.tmp"
            tmp.write_text(json.dumps(record, indent=1))
            tmp.replace(args.out / "results.json")


if __name__ == "__main__":
    main()
