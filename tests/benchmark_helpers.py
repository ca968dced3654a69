"""Import a script of benchmarks/ as a module, so that tests can call its functions."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_benchmark(repo_root: Path, name: str) -> ModuleType:
    """Return benchmarks/<name>.py imported as the module ``name``."""
    path = repo_root / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
