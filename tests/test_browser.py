"""The widgets in a real browser: JupyterLab, headless Chromium, Playwright.

The test starts JupyterLab on a free local port with a copy of
tests/notebooks/widgets_browser.ipynb and a tiny synthetic run folder, opens the notebook
in Debian's Chromium, runs all cells, then moves the epoch slider, presses "train D" and
answers a quiz, checking each time that what the page shows changes. Screenshots go to
artifacts/screenshots/ (git-ignored; CI keeps them).

Chromium comes from Debian (``apt-get install -y chromium fonts-dejavu-core``, as .ci/run
does); Playwright's own browser download does not work here. Without it the test skips
locally and fails in CI (where the CI environment variable is set).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from server_helpers import free_port, poll_api, stop, wait_for_server

from gancourse.history import History

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "tests" / "notebooks" / "widgets_browser.ipynb"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APT_HINT = "apt-get update && apt-get install -y chromium fonts-dejavu-core"
# JupyterLab settings for a quiet, predictable page: every cell stays in the DOM (no
# windowing), and no news or update notifications.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
TIMEOUT_MS = 180_000  # the last cell imports TensorFlow and builds the lab


def _write_run(folder: Path) -> None:
    """Write a synthetic four-epoch run (losses and random sample grids) into ``folder``."""
    rng = np.random.default_rng(0)
    history = History()
    for epoch in range(4):
        for _ in range(10):
            history.record_step(d_loss=1.3 - 0.05 * epoch + 0.1 * rng.standard_normal(),
                                g_loss=0.8 + 0.1 * rng.standard_normal())  # fmt: skip
        history.record_epoch(np.tanh(rng.standard_normal((16, 28, 28, 1))), float(epoch + 1))
    history.save(folder)


@pytest.fixture()
def lab_url(tmp_path: Path) -> Iterator[str]:
    """Start JupyterLab on a copy of the fixture notebook; yield its base URL."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    _write_run(root / "run")
    settings = tmp_path / "settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    args = [
        str(bin_dir / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--IdentityProvider.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
    ]  # fmt: skip
    if os.getuid() == 0:
        args.append("--allow-root")
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, proc, log, timeout=120)
        yield url
    finally:
        stop(proc)
        if SCREENSHOTS.is_dir():
            shutil.copy(log, SCREENSHOTS / "jupyterlab.log")


@pytest.fixture()
def page():
    """Yield a Playwright page in headless Chromium; skip or fail if Chromium is missing."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `{APT_HINT}` (as .ci/run does)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            page.screenshot(path=str(SCREENSHOTS / "last.png"))
            browser.close()


def _wait_for_idle_kernel(url: str) -> None:
    """Wait until the server has a kernel and it is idle."""
    idle, last = poll_api(
        url + "/api/kernels",
        lambda kernels: bool(kernels) and all(k["execution_state"] == "idle" for k in kernels),
        TIMEOUT_MS / 1000,
    )
    if not idle:
        pytest.fail(f"No idle kernel after {TIMEOUT_MS / 1000:.0f} s; the server last said: {last}")


def _src_changes(page, selector: str, before: str | None) -> str:
    """Wait until the first element matching ``selector`` shows another ``src``; return it."""
    page.wait_for_function(
        "([sel, old]) => { const el = document.querySelector(sel);"
        " return el && el.src && el.src !== old; }",
        arg=[selector, before],
        timeout=TIMEOUT_MS,
    )
    return page.get_attribute(selector, "src")


def _shot(page, locator, name: str) -> None:
    """Scroll ``locator`` into view and save a screenshot of the page."""
    locator.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_widgets_respond_in_jupyterlab(page, lab_url):  # page first: no Chromium, no server
    page.goto(f"{lab_url}/lab/tree/{NOTEBOOK.name}")
    page.wait_for_selector(".jp-Notebook", timeout=TIMEOUT_MS)
    # A dialog asks for a kernel if the notebook's own is not known: accept its choice.
    kernel_dialog = page.locator(".jp-Dialog .jp-mod-accept")
    if kernel_dialog.count():
        kernel_dialog.first.click()
    _wait_for_idle_kernel(lab_url)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    # The epoch stepper: the arrow key on the slider's handle shows another sample grid.
    samples = "img.gancourse-stepper-samples"
    before = _src_changes(page, samples, None)
    _shot(page, page.locator(samples), "01_stepper_epoch1")
    handle = page.locator(".gancourse-stepper-slider [role='slider'], "
                          ".gancourse-stepper-slider .ui-slider-handle").first  # fmt: skip
    handle.focus()
    page.keyboard.press("ArrowRight")
    _src_changes(page, samples, before)
    _shot(page, page.locator(samples), "02_stepper_epoch2")

    # The quiz: choose an answer, press Check, read the feedback.
    page.get_by_role("radio", name="a GAN's generator", exact=True).check()
    page.get_by_role("button", name="Check", exact=True).click()
    feedback = page.locator(".gancourse-quiz-feedback")
    feedback.get_by_text("Correct.").wait_for(timeout=TIMEOUT_MS)
    _shot(page, feedback, "03_quiz_feedback")

    # The toy GAN lab: "train D" changes the picture of D.
    view = "img.gancourse-toylab-view"
    before = _src_changes(page, view, None)
    _shot(page, page.locator(view), "04_toylab_start")
    page.get_by_role("button", name="train D", exact=True).click()
    _src_changes(page, view, before)
    status = page.locator(".gancourse-toylab-status")
    status.get_by_text("1 D updates, 0 G updates").wait_for(timeout=TIMEOUT_MS)
    _shot(page, page.locator(view), "05_toylab_after_train_d")
