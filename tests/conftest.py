"""Shared test set-up: quiet TensorFlow logs and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def tfgan():
    """The TF-GAN module, loaded once per test session (the import takes seconds)."""
    from gancourse import tfgan as loader

    return loader.load()
