"""What the Jupyter server tests share: a free port, starting a server, waiting, stopping it.

:func:`jupyter_server` starts JupyterLab (``app="lab"``) or the classic Notebook 6
(``app="notebook"``) from the running Python's environment, without a token, on a free
local port, with its configuration, runtime and settings folders kept out of the user's.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# JupyterLab settings for a quiet, predictable page: every cell stays in the DOM (no
# windowing), and no news or update notifications.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
#: Each server's class for its options, and the one that takes its token.
APP_OPTIONS = {"lab": ("ServerApp", "IdentityProvider"), "notebook": ("NotebookApp", "NotebookApp")}


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
        pytest.fail(f"The Jupyter server did not start:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Stop ``proc`` and its children (started with ``start_new_session=True``)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _write_lab_settings(folder: Path) -> None:
    """Write :data:`LAB_SETTINGS` as JupyterLab user settings into ``folder``."""
    for name, values in LAB_SETTINGS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@contextmanager
def jupyter_server(
    app: str,
    root: Path,
    workdir: Path,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
) -> Iterator[str]:
    """Serve the notebooks under ``root`` with ``app`` ("lab" or "notebook"); yield the URL.

    The server, and the kernels it starts, see ``env`` on top of this process's
    environment; ``args`` are added to its command line. Its log is
    ``workdir / f"{app}.log"``; the server stops on exit.
    """
    option, token_option = APP_OPTIONS[app]
    bin_dir = Path(sys.executable).parent
    settings = workdir / "lab-settings"
    _write_lab_settings(settings)
    server_env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(workdir / "config"),
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
        **(env or {}),
    }
    # The kernels start as a student's would: the set-up cell quiets TensorFlow's logs, and
    # matplotlib draws inline (a test run's MPLBACKEND=Agg would turn figures into text).
    for name in ("TF_CPP_MIN_LOG_LEVEL", "MPLBACKEND"):
        server_env.pop(name, None)
    port = free_port()
    command = [
        str(bin_dir / "jupyter"), app, "--no-browser", f"--{option}.ip=127.0.0.1",
        f"--{option}.port={port}", f"--{token_option}.token=", f"--{option}.password=",
        f"--{option}.{'root_dir' if app == 'lab' else 'notebook_dir'}={root}",
        f"--{option}.disable_check_xsrf=True",  # the tests shut kernels down through the API
    ]  # fmt: skip
    command += list(args)
    if os.getuid() == 0:
        command.append("--allow-root")
    log = workdir / f"{app}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command, env=server_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, proc, log, timeout=120)
        yield url
    finally:
        stop(proc)
