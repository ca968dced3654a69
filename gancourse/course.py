"""What every notebook shares: the set-up cell and the line it prints, the badges, quick mode.

The repository address lives in one place, :data:`REPO_URL`, and the version
in one, ``gancourse.__version__``. A notebook belongs to the release tagged ``v<version>``:
its badges open that release's copy of it, and on Colab its set-up cell installs that
release's package, so a notebook never runs with a package newer or older than the one it
was written for (docs/releasing.md says how a release is made).
``scripts/sync_notebooks.py`` writes the set-up cell and the badges of every notebook from the
functions here, and a test checks that the stored notebooks agree with them.
"""

from __future__ import annotations

import os
import platform
import sys

from . import __version__, seeding, tf_import

#: The course repository; badges and Colab install cells are generated from it.
REPO_URL = "https://github.com/gancourse/gancourse"

#: Where the notebooks live inside the repository.
NOTEBOOK_DIR = "notebooks"

#: The first line of every set-up cell; tests and the sync script find the cell by it.
SETUP_MARKER = "# Set-up cell: run me first."


_QUICK: bool | None = None


def quick_mode() -> bool:
    """Return True when GANCOURSE_QUICK is set to a true value (read once per process).

    Quick mode shrinks data and epochs so the whole course runs in minutes, through the
    same code paths. Notebooks and scripts ask this function, never the variable itself.
    """
    global _QUICK
    if _QUICK is None:
        raw = os.environ.get("GANCOURSE_QUICK", "").strip().lower()
        _QUICK = raw not in ("", "0", "false", "no", "off")
    return _QUICK


def in_colab() -> bool:
    """Return True when running inside Google Colab."""
    return "google.colab" in sys.modules


def release_tag() -> str:
    """Return the git tag of the release this package version belongs to, e.g. ``v0.2.0``."""
    return f"v{__version__}"


def install_requirement() -> str:
    """Return the pip requirement that installs this release of the course from its repository."""
    return f"gancourse @ git+{REPO_URL}@{release_tag()}"


def _repo_path() -> str:
    """Return ``owner/name`` of the course repository."""
    return REPO_URL.removeprefix("https://github.com/").strip("/")


def colab_url(notebook: str) -> str:
    """Return the address that opens ``notebook`` (a file name) in Google Colab."""
    return (
        f"https://colab.research.google.com/github/{_repo_path()}/blob/"
        f"{release_tag()}/{NOTEBOOK_DIR}/{notebook}"
    )


def binder_url(notebook: str) -> str:
    """Return the address that opens ``notebook`` in JupyterLab on mybinder.org."""
    return (
        f"https://mybinder.org/v2/gh/{_repo_path()}/{release_tag()}"
        f"?urlpath=lab/tree/{NOTEBOOK_DIR}/{notebook}"
    )


def badges_markdown(notebook: str) -> str:
    """Return the one Markdown line with the "Open in Colab" and "Launch Binder" badges."""
    colab = "https://colab.research.google.com/assets/colab-badge.svg"
    binder = "https://mybinder.org/badge_logo.svg"
    return (
        f"[![Open in Colab]({colab})]({colab_url(notebook)}) "
        f"[![Launch Binder]({binder})]({binder_url(notebook)})"
    )


def setup_cell_source() -> str:
    """Return the source of the set-up cell that opens every notebook."""
    return f'''{SETUP_MARKER}
# On Google Colab it installs the course package (about a minute); elsewhere the package is
# already installed. Then it seeds every random generator and says whether quick mode is on.
import importlib
import subprocess
import sys

if "google.colab" in sys.modules:
    requirement = "{install_requirement()}"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", requirement], check=True)
    importlib.invalidate_caches()

import gancourse

gancourse.setup(seed=0)'''


def setup(seed: int = 0) -> None:
    """Seed everything with ``seed`` and print one line about the environment.

    The line names the package version, Python, whether quick mode is on (and how to
    switch it) and the seed, so a screenshot of a notebook says how it was run. Nothing is
    returned: the set-up cell ends with this call, and a value would be shown a second time.
    """
    # TensorFlow's C++ start-up lines (CUDA probing on a CPU machine) look like errors in red.
    tf_import.quiet_tensorflow_start()
    seeding.seed(seed)
    if quick_mode():
        mode = "quick mode ON: less data, fewer epochs (unset GANCOURSE_QUICK for the full run)"
    else:
        mode = "full mode (set GANCOURSE_QUICK=1 for a quick rehearsal)"
    where = "Colab" if in_colab() else platform.node() or "this machine"
    line = (
        f"gancourse {__version__} on Python {platform.python_version()} ({where}); "
        f"{mode}; seed {seed}"
    )
    print(line)
