"""What the JupyterLab tests share: a free port, waiting for the server, and stopping it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll_api(
    url: str, ready: Callable[[Any], bool], timeout: float, alive: Callable[[], bool] | None = None
) -> tuple[bool, Any]:
    """Ask ``url`` for JSON every 0.5 s until ``ready(answer)``; return (ready?, last answer).

    An HTTP or connection error, or an answer that is not JSON, means "ask again": a Jupyter
    server refuses connections while it starts, and answers 500 to /api/kernels while a
    kernel starts (jupyter_server lists the kernel before setting its last_activity). Gives
    up after ``timeout`` s, or once ``alive()`` (if given) is False.
    """
    deadline = time.monotonic() + timeout
    last: Any = "no answer yet"
    while time.monotonic() < deadline and (alive is None or alive()):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = json.load(response)
        except (OSError, ValueError) as error:  # HTTP, connection or JSON errors
            last = error
        else:
            if ready(last):
                return True, last
        time.sleep(0.5)
    return False, last


def wait_for_server(url: str, proc: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    """Wait until the Jupyter server at ``url`` answers its status API, or fail with its log."""
    started, _ = poll_api(url + "/api/status", bool, timeout, alive=lambda: proc.poll() is None)
    if not started:
        pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Stop ``proc`` and its children (started with ``start_new_session=True``)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
