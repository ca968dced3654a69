"""`make lab` serves JupyterLab with the course notebooks."""

from __future__ import annotations

import os
import subprocess
import urllib.request

import pytest
from server_helpers import free_port, stop, wait_for_server


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.fixture()
def lab_server(repo_root, tmp_path):
    """Start `make lab` on a free port; yield its URL once it answers."""
    port = free_port()
    args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
        "--IdentityProvider.token= --ServerApp.password="
    )
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["make", "lab", f"LAB_ARGS={args}"],
            cwd=repo_root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, proc, log)
        yield url
    finally:
        stop(proc)


def test_make_lab_serves_jupyterlab(lab_server):
    status, page = _get(lab_server + "/lab")
    assert status == 200
    assert "JupyterLab" in page
    status, listing = _get(lab_server + "/api/contents/")
    assert status == 200
    assert '"type": "directory"' in listing or '"type":"directory"' in listing
