"""How fast the widgets answer, measured on the kernel's side (no browser involved).

    python benchmarks/widget_speed.py            # EpochStepper and ToyGANLab
    python benchmarks/widget_speed.py --no-lab   # EpochStepper only (no TensorFlow)

Reports the median and the slowest time of an epoch switch in the EpochStepper (target:
under 50 ms), uncached (first visit: sample grid and marked loss curves encoded as PNG)
and cached (a revisit), of reading a grown history, and of one ToyGANLab "step" split
into training and redrawing. The time to send the bytes to the browser is not included.
The machine's load average is printed too: on a shared CPU the numbers vary a lot.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np

from gancourse.history import History
from gancourse.widgets import EpochStepper


def timed(action: Callable[[], object]) -> float:
    """Return the milliseconds that ``action()`` took."""
    start = time.perf_counter()
    action()
    return 1000 * (time.perf_counter() - start)


def report(name: str, times_ms: list[float]) -> None:
    """Print the median and the slowest of ``times_ms``."""
    print(f"{name:<46} median {statistics.median(times_ms):7.1f} ms   max {max(times_ms):7.1f} ms"
          f"   (n={len(times_ms)})")  # fmt: skip


def synthetic_history(epochs: int, steps: int, samples: int) -> History:
    """Return a history like a real MNIST run's: noisy losses, one sample grid per epoch."""
    rng = np.random.default_rng(0)
    history = History()
    for epoch in range(epochs):
        for _ in range(steps):
            history.record_step(
                d_loss=1.2 + 0.1 * rng.standard_normal(),
                g_loss=0.9 + 0.1 * rng.standard_normal(),
                d_real=0.6,
                d_fake=0.4,
            )
        grid = np.tanh(rng.standard_normal((samples, 28, 28, 1))).astype(np.float32)
        history.record_epoch(grid, elapsed=2.0 * (epoch + 1))
    return history


def bench_stepper(epochs: int, steps: int, samples: int) -> None:
    """Time epoch switches and refreshes of an EpochStepper over a synthetic history."""
    history = synthetic_history(epochs, steps, samples)
    print(f"EpochStepper: {epochs} epochs x {steps} steps, {samples} samples per grid")
    report("build (draws the loss curves once)", [timed(lambda: EpochStepper(history))])
    stepper = EpochStepper(history, follow=False)
    order = list(range(1, epochs + 1))
    report(
        "epoch switch, first visit",
        [timed(lambda e=e: setattr(stepper, "epoch", e)) for e in order],
    )
    report(
        "epoch switch, revisit (cached PNGs)",
        [timed(lambda e=e: setattr(stepper, "epoch", e)) for e in order],
    )
    rng = np.random.default_rng(1)
    refresh_times = []
    for _ in range(5):
        for _ in range(steps):
            history.record_step(d_loss=rng.random(), g_loss=rng.random(), d_real=0.5, d_fake=0.5)
        history.record_epoch(np.zeros((samples, 28, 28, 1), np.float32), elapsed=1.0)
        refresh_times.append(timed(stepper.refresh))
    report("refresh after a new epoch (redraws curves)", refresh_times)


def bench_lab(distribution: str, repeats: int) -> None:
    """Time one "step" of a ToyGANLab: the training updates, then the redraw."""
    from gancourse.widgets import ToyGANLab

    start = time.perf_counter()
    lab = ToyGANLab(distribution)
    print(f"ToyGANLab({distribution!r}): built in {time.perf_counter() - start:.1f} s "
          "(includes importing TensorFlow the first time)")  # fmt: skip
    lab.step()  # compiles the training steps
    train = [timed(lambda: lab.step(redraw=False)) for _ in range(repeats)]
    redraw = [timed(lab.refresh_view) for _ in range(repeats)]
    both = [timed(lab.step) for _ in range(repeats)]
    report("  train: k=1 D update + 1 G update", train)
    report("  redraw: samples, D, arrows, JS, two PNGs", redraw)
    report("  whole 'step' button", both)
    chunk = [timed(lab.play_chunk) for _ in range(max(3, repeats // 4))]
    report(f"  one play tick ({lab.steps_per_tick} steps + redraw)", chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--steps", type=int, default=200, help="steps per epoch")
    parser.add_argument("--samples", type=int, default=64, help="images per sample grid")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--no-lab", action="store_true", help="skip ToyGANLab (no TensorFlow)")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    bench_stepper(args.epochs, args.steps, args.samples)
    if not args.no_lab:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        for distribution in ("mixture", "ring"):
            bench_lab(distribution, args.repeats)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
