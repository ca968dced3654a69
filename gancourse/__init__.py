"""gancourse: the helper package behind the GAN notebook course.

Modules, one idea each: ``data`` (MNIST and toy distributions), ``models`` (generators and
discriminators), ``losses`` (GAN losses), ``tfgan`` (TF-GAN on current TensorFlow),
``plots`` (matplotlib figures), ``exercises`` (self-checking exercises), ``course`` (the
notebooks' set-up cell and badges). Importing ``gancourse`` itself does not import TensorFlow.
"""

from .course import setup
from .runtime import REPO_URL, quick_mode, seed

__version__ = "0.1.0"
__all__ = ["REPO_URL", "__version__", "quick_mode", "seed", "setup"]
