"""The record of a training run, readable without TensorFlow.

A :class:`History` holds, per training step, the losses and D's mean verdicts on real and
generated data; per epoch, a grid of samples drawn from one fixed noise batch and the time
spent so far. Plots and widgets read it; :mod:`gancourse.training` writes it. In a run
folder it is one record in two files, both replaced atomically so a crash never leaves half
a file: ``samples.npz`` (the sample grids) is written first, then ``history.json`` (the
numbers), which commits the epoch. Reading checks that the two agree, and a missing or
damaged part is an error naming the file, never a silently shortened run.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HISTORY_FILE = "history.json"
SAMPLES_FILE = "samples.npz"

#: What to do when a run folder cannot be read.
START_AGAIN = "start the run again with overwrite=True (--overwrite), or choose another folder"

# atomic_write's temporary files: ".<name>.<random>.tmp", or ".tmp.keras" for a Keras model.
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]+\.tmp(?:\.keras)?")
_GRID_NAME = re.compile(r"epoch_(\d{4,})")


def _via_temporary(path: str | Path, suffix: str, fill: Callable[[int, str], None]) -> Path:
    """Let ``fill(fd, name)`` write a temporary sibling of ``path``, then rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    try:
        fill(fd, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise
    return path


def atomic_write(path: str | Path, write: Callable[[Any], Any], mode: str = "w") -> Path:
    """Write ``path`` via ``write(handle)`` on a temporary sibling, then rename; return it."""

    def fill(fd: int, tmp: str) -> None:
        with os.fdopen(fd, mode) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())

    return _via_temporary(path, ".tmp", fill)


def atomic_save(path: str | Path, save: Callable[[Path], Any]) -> Path:
    """Write ``path`` via ``save(temporary_path)`` (for writers that want a file name, such as
    Keras' ``model.save``), then rename; return it. The temporary name keeps the suffix."""

    def fill(fd: int, tmp: str) -> None:
        os.close(fd)
        save(Path(tmp))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())

    return _via_temporary(path, ".tmp" + Path(path).suffix, fill)


def temporary_target(name: str) -> str | None:
    """Return the file name that temporary file ``name`` of :func:`atomic_write` was for."""
    match = _TEMPORARY.fullmatch(name)
    return match["name"] if match else None


def epochs_phrase(n: int) -> str:
    """Return "1 epoch" or "N epochs", for messages."""
    return f"{n} epoch" if n == 1 else f"{n} epochs"


def _unreadable(path: Path, problem: str) -> ValueError:
    """Return the error for a run file that exists but cannot be used."""
    return ValueError(
        f"{path} cannot be read as part of a training run: {problem}. If you edited or "
        f"copied it, put the original back; otherwise {START_AGAIN}."
    )


def _finite_or_none(value: float) -> float | None:
    """Return ``value``, or None for NaN and infinities (standard JSON has no such numbers)."""
    return value if math.isfinite(value) else None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _parse(payload: Any, path: Path) -> dict[str, Any]:
    """Return History's fields from the JSON of ``path``, checking their shape."""
    if not isinstance(payload, dict) or not {"steps", "epochs", "config"} <= set(payload):
        raise _unreadable(path, "it is not an object with steps, epochs and config")
    steps, epochs, config = payload["steps"], payload["epochs"], payload["config"]
    if not isinstance(config, dict):
        raise _unreadable(path, "config is not an object")
    if not isinstance(steps, dict) or not all(
        isinstance(v, list) and all(x is None or _number(x) for x in v) for v in steps.values()
    ):
        raise _unreadable(path, "steps is not an object of lists of numbers")
    if not isinstance(epochs, list) or not all(
        isinstance(e, dict)
        and all(_number(e.get(k)) for k in ("epoch", "step", "elapsed"))
        and all(x is None or _number(x) for x in e.values())
        for e in epochs
    ):
        raise _unreadable(path, "epochs is not a list of objects with epoch, step and elapsed")
    if [e["epoch"] for e in epochs] != list(range(1, len(epochs) + 1)):
        raise _unreadable(path, "the epochs are not numbered 1, 2, 3, ...")
    ends = [e["step"] for e in epochs]
    shortest = min((len(v) for v in steps.values()), default=0)
    if ends != sorted(ends) or (ends and (ends[0] < 0 or ends[-1] > shortest)):
        raise _unreadable(path, "the epochs' step counts do not fit the recorded steps")
    return {
        "steps": {k: [math.nan if x is None else float(x) for x in v] for k, v in steps.items()},
        "epochs": [{k: math.nan if x is None else x for k, x in e.items()} for e in epochs],
        "config": config,
    }


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _unreadable(path, f"it is not valid JSON ({error})") from error


def _read_samples(path: Path, epochs: int) -> list[np.ndarray]:
    """Return the first ``epochs`` sample grids of ``path``; an error if any is missing."""
    if not epochs:
        return []
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing, but {HISTORY_FILE} beside it records "
            f"{epochs_phrase(epochs)}: their sample grids are lost, so the run cannot be read. "
            "Put the file back, or "
            f"{START_AGAIN}."
        )
    try:
        with np.load(path, allow_pickle=False) as grids:
            numbers = sorted(int(m[1]) for m in map(_GRID_NAME.fullmatch, grids.files) if m)
            wanted = list(range(1, epochs + 1))
            complete = numbers[:epochs] == wanted
            samples = [grids[f"epoch_{n:04d}"] for n in wanted] if complete else []
    except Exception as error:  # a truncated or foreign file: zip, zlib or format errors
        raise _unreadable(path, f"{type(error).__name__}: {error}") from error
    if not samples:
        recorded = epochs_phrase(epochs)
        raise _unreadable(
            path, f"it holds {len(numbers)} sample grids; {HISTORY_FILE} records {recorded}"
        )
    if any(s.shape != samples[0].shape or s.dtype.kind != "f" for s in samples):
        raise _unreadable(path, "its sample grids differ in shape or are not numbers")
    return samples


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
        """Write samples.npz, then history.json (which commits them) atomically; return the folder.

        NaN and infinities are written as JSON ``null`` and read back as NaN.
        """
        run_dir = Path(run_dir)
        if len(self.samples) != self.num_epochs:
            raise ValueError(
                f"This history has {self.num_epochs} epochs but {len(self.samples)} sample "
                "grids; record epochs with record_epoch() so that both stay together."
            )
        grids = {f"epoch_{i + 1:04d}": s for i, s in enumerate(self.samples)}
        atomic_write(run_dir / SAMPLES_FILE, lambda f: np.savez_compressed(f, **grids), mode="wb")
        payload = {
            "config": self.config,
            "epochs": [{k: _finite_or_none(v) for k, v in e.items()} for e in self.epochs],
            "steps": {k: [_finite_or_none(x) for x in v] for k, v in self.steps.items()},
        }
        text = json.dumps(payload, allow_nan=False)
        atomic_write(run_dir / HISTORY_FILE, lambda f: f.write(text))
        return run_dir

    @classmethod
    def load(cls, run_dir: str | Path) -> History:
        """Return the history saved in ``run_dir``; an error naming the file if a part is
        missing or damaged."""
        run_dir = Path(run_dir)
        path = run_dir / HISTORY_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"No training history in {run_dir}: {HISTORY_FILE} is missing. "
                "Train first (python -m gancourse train --out DIR) or check the folder name."
            )
        history = cls(**_parse(_read_json(path), path))
        history.samples = _read_samples(run_dir / SAMPLES_FILE, history.num_epochs)
        # Steps recorded after the last complete epoch belong to no epoch: leave them out.
        history.truncate(history.num_epochs)
        return history
