"""Train the course's small MNIST classifier and ship it as gancourse/assets/mnist_classifier.keras.

    python scripts/train_classifier.py [--epochs 8] [--seed 0] [--source auto] [--out PATH]

The digits come from ``gancourse.data.load_mnist`` (the full MNIST training set where a cache
or the network gives it, else the 5,000 offline digits). The course's reference digits
(``metrics.reference_split``: 100 per class, the set notebook 05 compares generated digits
with) are held out and never trained on; the script reports the accuracy on them and refuses
to save a classifier below 90%. The file holds no optimizer state, so it stays small.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from gancourse import data, metrics  # noqa: E402

MIN_ACCURACY = 0.90
MAX_BYTES = 1_000_000


def accuracy(classifier: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    """Return the share of ``images`` whose predicted class equals ``labels``."""
    _, logits = metrics.classifier_outputs(classifier, images)
    return float((logits.argmax(axis=1) == labels).mean())


def main(argv: list[str] | None = None) -> int:
    """Train, check and save the classifier; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", default="auto", choices=data.MNIST_SOURCES)
    parser.add_argument("--out", default=str(metrics.CLASSIFIER_PATH))
    args = parser.parse_args(argv)

    images, labels = data.load_mnist(source=args.source, split="train")
    kept, held_out = metrics.reference_split(labels)
    print(
        f"Training on {len(kept):,} digits, holding out the {len(held_out):,} reference digits "
        f"({metrics.REFERENCE_PER_CLASS} per class)."
    )

    start = time.perf_counter()
    classifier = metrics.train_classifier(
        images[kept], labels[kept], epochs=args.epochs, seed=args.seed, verbose=1
    )
    seconds = time.perf_counter() - start
    train_acc = accuracy(classifier, images[kept], labels[kept])
    test_acc = accuracy(classifier, images[held_out], labels[held_out])
    print(
        f"Trained in {seconds:.0f} s: accuracy {train_acc:.3f} on training digits, "
        f"{test_acc:.3f} on the {len(held_out):,} held-out digits."
    )
    if test_acc < MIN_ACCURACY:
        print(f"Held-out accuracy is below {MIN_ACCURACY:.0%}: not saved.", file=sys.stderr)
        return 1

    path = metrics.save_classifier(classifier, args.out)
    size = path.stat().st_size
    print(f"Saved {path} ({size / 1024:.0f} KiB, {classifier.count_params():,} parameters).")
    if size > MAX_BYTES:
        print(f"Warning: the file is larger than {MAX_BYTES:,} bytes.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
