"""gancourse: the helper package behind the GAN notebook course.

Modules, one idea each: ``data`` (MNIST and toy distributions), ``models`` (generators and
discriminators), ``losses`` (GAN losses), ``tfgan`` (TF-GAN on current TensorFlow),
``plots`` (matplotlib figures), ``exercises`` (self-checking exercises), ``course`` (the
notebooks' set-up cell and badges). Importing ``gancourse`` itself does not import TensorFlow.
"""

# The one place the version is written: pyproject.toml reads it, and the set-up cell of every
# notebook installs the release tagged v<version> (see docs/releasing.md).
__version__ = "0.2.0"

from .course import REPO_URL, quick_mode, setup  # noqa: E402
from .seeding import seed  # noqa: E402

__all__ = ["REPO_URL", "__version__", "quick_mode", "seed", "setup"]
