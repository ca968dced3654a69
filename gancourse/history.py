"""The record of a training run, readable without TensorFlow.

A :class:`History` holds, per training step, the losses and D's mean verdicts on real and
generated data; per epoch, a grid of samples drawn from one fixed noise batch and the time
spent so far. Plots and widgets read it; :mod:`gancourse.training` writes it. In a run
folder it is two files, both replaced atomically so a crash never leaves half a file:
``history.json`` (numbers) and ``samples.npz`` (the sample grids).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HISTORY_FILE = "history.json"
SAMPLES_FILE = "samples.npz"


def atomic_write(path: str | Path, write: Any, mode: str = "w") -> Path:
    """Write ``path`` via ``write(handle)`` on a temporary sibling, then rename; return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


@dataclass
class History:
    """Per-step metrics, per-epoch sample grids and timing of one GAN training run."""

    steps: dict[str, list[float]] = field(default_factory=dict)
    epochs: list[dict[str, float]] = field(default_factory=list)
    samples: list[np.ndarray] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def num_steps(self) -> int:
        """Return how many training steps have been recorded."""
        return max((len(v) for v in self.steps.values()), default=0)

    @property
    def num_epochs(self) -> int:
        """Return how many complete epochs have been recorded."""
        return len(self.epochs)

    @property
    def elapsed(self) -> float:
        """Return the training time in seconds up to the last recorded epoch."""
        return self.epochs[-1]["elapsed"] if self.epochs else 0.0

    def record_step(self, **values: float) -> None:
        """Append one step's metrics (e.g. d_loss=..., g_loss=...)."""
        for key, value in values.items():
            self.steps.setdefault(key, []).append(float(value))

    def record_epoch(
        self, samples: np.ndarray, elapsed: float, **values: float
    ) -> dict[str, float]:
        """Append one finished epoch: its sample grid, the elapsed seconds, and extra numbers."""
        entry = {"epoch": self.num_epochs + 1, "step": self.num_steps, "elapsed": float(elapsed)}
        entry.update({k: float(v) for k, v in values.items()})
        self.epochs.append(entry)
        self.samples.append(np.asarray(samples, dtype=np.float32))
        return entry

    def epoch_means(self, key: str) -> list[float]:
        """Return the mean of step metric ``key`` over each recorded epoch."""
        if key not in self.steps:
            raise KeyError(f"No step metric {key!r}; recorded: {', '.join(sorted(self.steps))}.")
        bounds = [0] + [int(e["step"]) for e in self.epochs]
        values = self.steps[key]
        return [
            float(np.mean(values[a:b])) if b > a else float("nan")
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]

    def truncate(self, epochs: int) -> None:
        """Drop everything recorded after the first ``epochs`` epochs (used when resuming)."""
        end_step = int(self.epochs[epochs - 1]["step"]) if epochs else 0
        self.epochs = self.epochs[:epochs]
        self.samples = self.samples[:epochs]
        self.steps = {k: v[:end_step] for k, v in self.steps.items()}

    def save(self, run_dir: str | Path) -> Path:
        """Write history.json and samples.npz into ``run_dir`` atomically; return the folder."""
        run_dir = Path(run_dir)
        grids = {f"epoch_{i + 1:04d}": s for i, s in enumerate(self.samples)}
        # Samples first: history.json is what marks an epoch complete.
        atomic_write(run_dir / SAMPLES_FILE, lambda f: np.savez_compressed(f, **grids), mode="wb")
        payload = {"config": self.config, "epochs": self.epochs, "steps": self.steps}
        atomic_write(run_dir / HISTORY_FILE, lambda f: json.dump(payload, f))
        return run_dir

    @classmethod
    def load(cls, run_dir: str | Path) -> History:
        """Return the history saved in ``run_dir``; a clear error if there is none."""
        run_dir = Path(run_dir)
        path = run_dir / HISTORY_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"No training history in {run_dir}: {HISTORY_FILE} is missing. "
                "Train first (python -m gancourse train --out DIR) or check the folder name."
            )
        payload = json.loads(path.read_text())
        history = cls(steps=payload["steps"], epochs=payload["epochs"], config=payload["config"])
        grids_path = run_dir / SAMPLES_FILE
        if grids_path.is_file():
            with np.load(grids_path) as grids:
                history.samples = [grids[name] for name in sorted(grids.files)]
        # An epoch counts only if both its numbers and its samples were written.
        history.truncate(min(len(history.epochs), len(history.samples)))
        return history
