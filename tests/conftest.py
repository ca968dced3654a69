"""Shared test set-up: quiet TensorFlow logs and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[1]

# tests/colab needs the Colab lane's environment (.venv-colab: classic Notebook 6.5.7,
# ipywidgets 7.7.1); that lane runs it by name: `pytest tests/colab`.
collect_ignore = ["colab"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def tfgan():
    """The TF-GAN module, loaded once per test session (the import takes seconds)."""
    from gancourse import tfgan as loader

    return loader.load()
