"""`make lab` serves JupyterLab with the course notebooks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.fixture()
def lab_server(repo_root, tmp_path):
    port = _free_port()
    args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
        "--IdentityProvider.token= --ServerApp.password="
    )
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = open(tmp_path / "lab.log", "w+")
    proc = subprocess.Popen(
        ["make", "lab", f"LAB_ARGS={args}"],
        cwd=repo_root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", proc, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_make_lab_serves_jupyterlab(lab_server):
    url, proc, log = lab_server
    deadline = time.monotonic() + 180
    status, page = None, ""
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            status, page = _get(url + "/lab")
            break
        except OSError:
            time.sleep(1)
    log.seek(0)
    assert status == 200, f"JupyterLab did not answer; its log:\n{log.read()[-3000:]}"
    assert "JupyterLab" in page
    status, listing = _get(url + "/api/contents/")
    assert status == 200
    assert '"type": "directory"' in listing or '"type":"directory"' in listing
