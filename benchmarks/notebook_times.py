"""Run time and peak memory of every notebook, top to bottom, on one CPU core.

    python benchmarks/notebook_times.py [--quick] [--cores 0] [--timeout 900] [NOTEBOOK ...]
    python benchmarks/notebook_times.py --record [--quick] [NOTEBOOK ...]

Each notebook runs in a fresh kernel (nbclient, the engine behind ``jupyter nbconvert
--execute``) inside a child process pinned with ``taskset`` to the given CPU cores (one core
by default, like Binder), with TensorFlow limited to that many threads. Reported: the wall
time from kernel start to the last cell, and the peak resident memory of the kernel process
(the largest of the child processes, as the operating system counts it). Full mode unless
``--quick``. The executed notebooks are written to ``runs/notebook_times/`` (outside git)
so their figures can be looked at; the stored notebooks are never touched. With
``--record`` the numbers go into the course index (course.toml: full mode gives the full-mode
time and the peak memory, ``--quick`` the quick-mode time), and scripts/sync_notebooks.py
writes them into the README tables and the notebooks' title cells.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "runs" / "notebook_times"
sys.path.insert(0, str(ROOT / "scripts"))


def count_cpus(spec: str) -> int:
    """Return how many CPUs a taskset list such as ``0``, ``0,2`` or ``0-3`` names."""
    total = 0
    for part in spec.split(","):
        first, _, last = part.partition("-")
        total += int(last or first) - int(first) + 1
    return total


def run_one(path: Path, timeout: int) -> dict:
    """Execute one notebook here (in this process's kernel child); return time and memory."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    error = ""
    try:
        client.execute()
    except Exception as exc:  # a failing cell: report it, keep the partial notebook
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:200]}"
    seconds = time.perf_counter() - start
    OUT.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, OUT / path.name)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "notebook": path.name,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_mb),
        "error": error,
    }


def main() -> int:
    """Run the notebooks one after another, each in its own pinned process; print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: notebooks/NN_*.ipynb")
    parser.add_argument("--quick", action="store_true", help="set GANCOURSE_QUICK=1")
    parser.add_argument("--cores", default="0", help="CPU list for taskset (default: 0)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--record", action="store_true", help="write the numbers to course.toml")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one), args.timeout)))
        return 0

    paths = [Path(p).resolve() for p in args.notebooks] or sorted(
        (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )
    threads = str(count_cpus(args.cores))
    env = dict(os.environ, TF_NUM_INTEROP_THREADS=threads, TF_NUM_INTRAOP_THREADS=threads)
    env.pop("GANCOURSE_QUICK", None)
    if args.quick:
        env["GANCOURSE_QUICK"] = "1"
    pin = ["taskset", "-c", args.cores] if shutil.which("taskset") else []
    rows = []
    for path in paths:
        cmd = [*pin, sys.executable, __file__, "--one", str(path), "--timeout", str(args.timeout)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        row = (
            json.loads(lines[-1]) if lines else {"notebook": path.name, "error": done.stderr[-300:]}
        )
        rows.append(row)
        print(json.dumps(row), flush=True)
    mode = "quick" if args.quick else "full"
    print(f"\n| notebook | {mode} mode, cores {args.cores} | peak memory | result |")
    print("|---|---:|---:|---|")
    for row in rows:
        minutes = row.get("seconds", 0) / 60
        print(
            f"| {row['notebook']} | {minutes:.1f} min | {row.get('peak_mb', '-')} MB "
            f"| {row['error'] or 'ok'} |"
        )
    failed = any(row["error"] for row in rows)
    if args.record and not failed:
        record(rows, quick=args.quick, cores=args.cores)
    return 1 if failed else 0


def record(rows: list[dict], quick: bool, cores: str) -> None:
    """Write the measured numbers into course.toml and sync the pages that show them."""
    import course_index
    import sync_notebooks
    import tensorflow as tf

    index = course_index.load()
    for row in rows:
        entry = index.entry(row["notebook"])
        if quick:
            entry.quick_seconds = round(row["seconds"])
        else:
            entry.full_seconds, entry.peak_mb = round(row["seconds"]), row["peak_mb"]
    where = f"{count_cpus(cores)} core{'s' if count_cpus(cores) > 1 else ''}"
    index.measured_on = (
        f"{time.strftime('%Y-%m-%d')} on {where} of the {os.cpu_count()}-core machine, "
        f"TensorFlow {tf.__version__}, Python {sys.version.split()[0]}"
    )
    course_index.INDEX.write_text(course_index.dumps(index), encoding="utf-8")
    print(f"recorded in {course_index.INDEX.name}")
    sync_notebooks.main([])


if __name__ == "__main__":
    sys.exit(main())
