"""A pytest plugin for nbval runs: a notebook cell that writes to stderr fails.

A notebook shows stderr in red, and students read red text as an error. So the notebook
runs (``make test``, and the Colab and oldest lanes of ``.ci/lane.py``) load this plugin
with ``-p nbval_stderr`` (``tests/`` on ``PYTHONPATH``): a cell passes only if it ran
without an exception *and* wrote nothing to stderr: no TensorFlow start-up lines, no
warnings, no stray progress bars.
"""

from __future__ import annotations

from typing import Any

import pytest


def stderr_text(outputs: list[Any]) -> str:
    """Return everything the outputs wrote to stderr, joined."""
    return "".join(
        out.get("text", "")
        for out in outputs
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed:
        return
    red = stderr_text(getattr(item, "test_outputs", None) or [])
    if red:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} wrote to stderr, which the notebook shows in red:\n{red[-3000:]}"
        )
