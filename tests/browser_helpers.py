"""What the browser tests share: headless Chromium, the two front ends, the checks and the drives.

The course's notebooks are opened in JupyterLab 4 (``tests/test_browser.py``) or in the
classic Notebook 6.5 (``tests/colab/test_classic_notebook.py``), run top to bottom in quick
mode, and checked the same way: no error output and no widget error; every widget image shown
at its true size (its PNG's pixels divided by the pixel ratio, 2); every widget within the
output's width and 650 px high (a 1280 x 800 screen with the notebook's bars); slider tracks
long enough to drag. Then each kind of control is driven as a student would (a quiz answered
by keyboard, a button pressed, a slider moved by its arrow keys) and the page must change,
and how long that took is recorded. Screenshots go to ``artifacts/screenshots/<front end>/``
and the latencies to ``artifacts/screenshots/latencies-<front end>.json`` (CI keeps both).

Chromium comes from Debian (``apt-get install -y chromium fonts-dejavu-core``, as .ci/run
does); Playwright's own browser download does not work here. Without it the tests skip
locally and fail in CI (where the CI environment variable is set).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import statistics
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from server_helpers import jupyter_server, poll_api

ROOT = Path(__file__).resolve().parents[1]
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
VIEWPORT = {"width": 1280, "height": 800}
#: The most a widget may be high: 800 px less the browser's and the notebook's bars.
MAX_WIDGET_HEIGHT = 650
#: Device pixels per CSS pixel of the widget images (gancourse.widgets._images.PIXEL_RATIO).
PIXEL_RATIO = 2
#: A slider's track must give each of its values this many pixels, and be this long at least.
MIN_PX_PER_STEP, MIN_TRACK_PX = 8, 150
RUN_TIMEOUT_S = 600  # quick mode: about 2 minutes for the slowest notebook on a loaded CPU
CHANGE_TIMEOUT_MS = 120_000  # the first ToyGANLab press compiles its training steps
WIDGET_ERRORS = ("Error displaying widget", "could not be displayed", "Error rendering")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@contextmanager
def chromium_page() -> Iterator[Any]:
    """Yield a Playwright page of 1280 x 800 in headless Chromium; skip or fail without it."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `{APT_HINT}` (as .ci/run does)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            browser.close()


def keep_log(log: Path, fe: FrontEnd) -> None:
    """Copy a server's log next to the screenshots (CI keeps them together)."""
    if log.exists():
        folder = SCREENSHOTS / fe.name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, folder / "server.log")


# --------------------------------------------------------------------------- front ends


#: JavaScript: "running", "error" (a cell failed) or "done" (every code cell ran), from the
#: execution counts of the code cells (%s: a JS expression for them, as strings, "*" while
#: queued or running) and the presence of an error output (%s: its CSS selector).
RUN_STATE_JS = """(() => {
    const counts = %s;
    if (counts.some(c => c === '*')) return 'running';
    if (document.querySelector('%s')) return 'error';
    return counts.length && counts.every(c => /^\\d+$/.test(c)) ? 'done' : 'running';
})()"""


class FrontEnd:
    """How a notebook front end opens, runs and saves a notebook, and where its parts are."""

    name = ""
    app = ""  # the jupyter subcommand that serves it
    code_cell = ""  # a code cell
    output = ""  # one output of a cell
    slider_track = ""  # the track of a slider
    counts_js = ""  # JavaScript: the execution counts of the code cells, as strings

    def output_of(self, kind: str) -> str:
        """Return the CSS selector of an output of ``kind``: "error" or "stderr"."""
        raise NotImplementedError

    def open(self, page: Any, url: str, name: str) -> None:
        """Open notebook ``name`` and wait until its kernel is idle and widgets can show."""
        self._open(page, url, name)
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while not self._kernel_idle(url, name):
            assert time.monotonic() < deadline, f"{name}: no idle kernel in {self.name}"
            self._answer_kernel_dialog(page)
            page.wait_for_timeout(500)

    @staticmethod
    def _kernel_idle(url: str, name: str) -> bool:
        """Return True if the server has an idle kernel for notebook ``name``."""
        found, _ = poll_api(
            url + "/api/sessions",
            lambda sessions: any(
                s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle"
                for s in sessions
            ),
            timeout=0.1,
        )
        return found

    def _answer_kernel_dialog(self, page: Any) -> None:
        """Accept a dialog asking which kernel to start, if one is open."""

    def _open(self, page: Any, url: str, name: str) -> None:
        """Load the page of notebook ``name`` (and answer any dialog about its kernel)."""
        raise NotImplementedError

    def run_all(self, page: Any) -> None:
        """Run every cell from the top, as the menu does."""
        raise NotImplementedError

    def save(self, page: Any) -> None:
        """Save the notebook with its outputs and its widget state."""
        raise NotImplementedError

    def run_and_wait(self, page: Any) -> float:
        """Run all cells; wait until they ran or one failed; return the seconds it took."""
        start = time.monotonic()
        self.run_all(page)
        state = RUN_STATE_JS % (self.counts_js, self.output_of("error"))
        page.wait_for_function(f"() => {state} !== 'running'", timeout=RUN_TIMEOUT_S * 1000)
        return time.monotonic() - start


class JupyterLab(FrontEnd):
    name, app = "jupyterlab", "lab"
    code_cell = ".jp-CodeCell"
    output = ".jp-OutputArea-output"
    slider_track = ".noUi-target"
    # A prompt reads "[12]:", "[*]:" while queued or running, "[ ]:" before.
    counts_js = (
        "[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
        ".map(p => p.textContent.trim().slice(1, -2).trim())"
    )

    def output_of(self, kind: str) -> str:
        return f'{self.output}[data-mime-type="application/vnd.jupyter.{kind}"]'

    def _open(self, page: Any, url: str, name: str) -> None:
        # "reset": a fresh workspace with this notebook only, not the tabs of earlier ones.
        page.goto(f"{url}/lab/tree/{name}?reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell")

    def _answer_kernel_dialog(self, page: Any) -> None:
        # JupyterLab asks for a kernel if the notebook's own is not known: accept its choice.
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count():
            dialog.first.click()

    def run_all(self, page: Any) -> None:
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    def save(self, page: Any) -> None:
        page.keyboard.press("Control+s")  # "docmanager:save", bound on the whole page
        page.wait_for_function(
            "() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')"
        )


class ClassicNotebook(FrontEnd):
    name, app = "classic", "notebook"
    code_cell = ".cell.code_cell"
    output = ".output_subarea"
    slider_track = ".ui-slider"
    counts_js = (
        "Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')"
        ".map(c => String(c.input_prompt_number))"
    )

    def output_of(self, kind: str) -> str:
        return f"{self.output}.output_{kind}"

    def _open(self, page: Any, url: str, name: str) -> None:
        page.goto(f"{url}/notebooks/{name}")
        # Cells run before the widget manager exists show nothing: wait for it.
        page.wait_for_function(
            "() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
            " && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.widget_manager",
            timeout=RUN_TIMEOUT_S * 1000,
        )

    def run_all(self, page: Any) -> None:
        page.click("#celllink")
        page.click("#run_all_cells a")

    def save(self, page: Any) -> None:
        """Save with "Widgets > Save Notebook Widget State" (which also saves the file)."""
        page.click("a.dropdown-toggle:text-is('Widgets')")
        page.click("#widget-submenu li:has-text('Save Notebook Widget State')")
        page.wait_for_function("() => Jupyter.notebook.metadata.widgets && !Jupyter.notebook.dirty")


FRONT_ENDS = {fe.name: fe for fe in (JupyterLab(), ClassicNotebook())}


# --------------------------------------------------------------------------- checks

IMAGES_JS = """() => [...document.querySelectorAll('.gancourse-widget img')].map(img => {
    const r = img.getBoundingClientRect();
    return {cls: img.className.split(' ').filter(c => c.startsWith('gancourse-')).join(' '),
            natural: [img.naturalWidth, img.naturalHeight], shown: [r.width, r.height]};
})"""
WIDGETS_JS = """(output) => [...document.querySelectorAll('.gancourse-widget')].map(w => {
    const r = w.getBoundingClientRect(), area = w.closest(output);
    return {width: r.width, height: r.height, scroll: w.scrollWidth, client: w.clientWidth,
            room: area ? area.clientWidth : 0, text: w.textContent.slice(0, 60)};
})"""
SLIDERS_JS = """(track) => [...document.querySelectorAll('.gancourse-widget ' + track)].map(t => {
    const handle = t.querySelector('[aria-valuemin]');
    const label = t.closest('.widget-slider, .jupyter-widget-slider, .widget-hslider');
    const aria = name => Number(handle.getAttribute(name));
    return {width: t.getBoundingClientRect().width,
            label: label ? label.textContent.trim().slice(0, 30) : '',
            steps: handle ? aria('aria-valuemax') - aria('aria-valuemin') : null};
})"""


def assert_ran_clean(page: Any, fe: FrontEnd, name: str) -> None:
    """Fail with the error outputs, red stderr text or widget errors on display, if any."""
    for kind in ("error", "stderr"):
        found = page.locator(fe.output_of(kind)).all_inner_texts()
        assert not found, f"{name}: {kind} in {fe.name}:\n" + "\n---\n".join(
            text[-2000:] for text in found
        )
    texts = page.locator(fe.output).all_inner_texts()
    bad = [t[:300] for t in texts if any(e in t for e in WIDGET_ERRORS)]
    assert not bad, f"{name}: widget errors in {fe.name}: {bad}"


def assert_setup_line_once(page: Any, fe: FrontEnd, name: str) -> None:
    """Check the set-up cell shows its line once (printed, with no Out[1] repeating it)."""
    outputs = page.locator(fe.code_cell).first.locator(fe.output).all_inner_texts()
    assert len(outputs) == 1 and outputs[0].count("gancourse ") == 1, f"{name}: {outputs}"


def assert_images_true_size(page: Any, name: str) -> int:
    """Check each widget image is shown at its PNG size / PIXEL_RATIO; return how many."""
    images = [i for i in page.evaluate(IMAGES_JS) if i["natural"][0]]
    for image in images:
        expected = [n / PIXEL_RATIO for n in image["natural"]]
        assert all(abs(s - e) <= 0.5 for s, e in zip(image["shown"], expected)), (
            f"{name}: {image['cls']} is {image['natural']} px shown at {image['shown']} CSS px, "
            f"not {expected}"
        )
    return len(images)


def assert_widgets_fit(page: Any, fe: FrontEnd, name: str) -> int:
    """Check each widget fits its output's width and a 1280 x 800 screen; return how many."""
    found = page.evaluate(WIDGETS_JS, fe.output)
    for widget in found:
        where = f"{name}: widget {widget['text']!r}"
        assert widget["width"] <= widget["room"] + 1, f"{where} is wider than its output {widget}"
        assert widget["scroll"] <= widget["client"] + 1, f"{where} overflows sideways {widget}"
        assert widget["height"] <= MAX_WIDGET_HEIGHT, f"{where} is too high {widget}"
    return len(found)


def assert_sliders_usable(page: Any, fe: FrontEnd, name: str) -> None:
    """Check each widget slider's track is long enough to drag to any of its values."""
    for slider in page.evaluate(SLIDERS_JS, fe.slider_track):
        needed = max(MIN_TRACK_PX, MIN_PX_PER_STEP * (slider["steps"] or 0))
        assert slider["width"] >= needed, f"{name}: slider too short to drag {slider}"


def check_notebook(page: Any, fe: FrontEnd, name: str) -> None:
    """Run every check on the notebook on display."""
    assert_ran_clean(page, fe, name)
    assert_images_true_size(page, name)
    assert_widgets_fit(page, fe, name)
    assert_sliders_usable(page, fe, name)


def screenshot_widgets(page: Any, fe: FrontEnd, stem: str) -> list[Path]:
    """Save a screenshot of every course widget on the page; return the files."""
    folder = SCREENSHOTS / fe.name
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    widgets = page.locator(".gancourse-widget")
    for i in range(widgets.count()):
        path = folder / f"{stem}_{i:02d}.png"
        widgets.nth(i).screenshot(path=str(path))
        paths.append(path)
    return paths


def screenshot_widgets_hidpi(page: Any, fe: FrontEnd, stem: str) -> list[Path]:
    """Save each course widget that shows images as a 2x (HiDPI) screen shows it.

    Chromium is told that a CSS pixel has PIXEL_RATIO device pixels, and each widget is
    captured in device pixels (Playwright's own screenshots stay in CSS pixels).
    """
    folder = SCREENSHOTS / fe.name
    folder.mkdir(parents=True, exist_ok=True)
    cdp = page.context.new_cdp_session(page)
    metrics = {**VIEWPORT, "deviceScaleFactor": PIXEL_RATIO, "mobile": False}
    cdp.send("Emulation.setDeviceMetricsOverride", metrics)
    paths = []
    try:
        widgets = page.locator(".gancourse-widget:has(img)")
        for i in range(widgets.count()):
            widgets.nth(i).scroll_into_view_if_needed()
            clip = {**widgets.nth(i).bounding_box(), "scale": 1}
            shot = cdp.send("Page.captureScreenshot", {"format": "png", "clip": clip})
            paths.append(folder / f"{stem}_{i:02d}.png")
            paths[-1].write_bytes(base64.b64decode(shot["data"]))
    finally:
        cdp.send("Emulation.clearDeviceMetricsOverride")
        cdp.detach()
    return paths


# --------------------------------------------------------------------------- driving


class Latencies:
    """Milliseconds from a student's action to the page showing its result, by kind."""

    def __init__(self, front_end: str) -> None:
        self.front_end = front_end
        self.times: dict[str, list[float]] = {}

    def measure(self, kind: str, action: Callable[[], None], wait: Callable[[], None]) -> None:
        """Run ``action``, then ``wait`` for its result; record the time under ``kind``."""
        start = time.perf_counter()
        action()
        wait()
        self.times.setdefault(kind, []).append(1000 * (time.perf_counter() - start))

    def write(self) -> Path:
        """Write the times with their median and maximum as JSON; return the file."""
        summary = {
            kind: {"median_ms": round(statistics.median(t)), "max_ms": round(max(t)), "n": len(t)}
            for kind, t in self.times.items()
        }
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"latencies-{self.front_end}.json"
        path.write_text(json.dumps({"summary": summary, "times_ms": self.times}, indent=1))
        return path


def _src(page: Any, selector: str) -> str:
    """Return the ``src`` of the first element matching ``selector``."""
    return page.locator(selector).first.get_attribute("src") or ""


def _src_changed(page: Any, selector: str, before: str) -> Callable[[], None]:
    """Return a wait for the first ``selector`` element to show another picture than ``before``."""

    def wait() -> None:
        page.wait_for_function(
            "([sel, old]) => { const el = document.querySelector(sel);"
            " return el && el.src && el.src !== old && el.complete; }",
            arg=[selector, before],
            timeout=CHANGE_TIMEOUT_MS,
            polling="raf",
        )

    return wait


def _focused_class(page: Any) -> str:
    """Return the class attribute of the element that has the keyboard focus."""
    return page.evaluate("() => document.activeElement ? document.activeElement.className : ''")


def press_button(page: Any, latencies: Latencies, name: str, image: str, kind: str) -> None:
    """Press the button ``name`` of the widget showing ``image``; its picture must change."""
    widget = page.locator(".gancourse-widget").filter(has=page.locator(image)).first
    button = widget.get_by_role("button", name=name, exact=True)
    button.scroll_into_view_if_needed()
    before = _src(page, image)
    latencies.measure(kind, button.click, _src_changed(page, image, before))


def _focus_slider(page: Any, slider: str) -> None:
    """Give the keyboard focus to the handle of the first slider inside ``slider``."""
    handle = page.locator(f"{slider} .noUi-handle, {slider} .ui-slider-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()


def move_slider(
    page: Any, latencies: Latencies, slider: str, key: str, image: str, kind: str
) -> None:
    """Focus the handle inside ``slider`` and press ``key``; the picture ``image`` must change."""
    _focus_slider(page, slider)
    before = _src(page, image)
    latencies.measure(kind, lambda: page.keyboard.press(key), _src_changed(page, image, before))


def train_regression_panel(page: Any, latencies: Latencies) -> None:
    """Move the epochs slider by one value (keyboard), press "train": the button is disabled
    while the model trains, and the picture changes."""
    widget = page.locator(".gancourse-widget:has(.gancourse-regression-epochs)").first
    _focus_slider(page, ".gancourse-regression-epochs")
    readout = widget.locator(".gancourse-regression-epochs").first
    before = readout.inner_text()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, old]) => el.innerText !== old", arg=[readout.element_handle(), before]
    )
    button = widget.get_by_role("button", name="train", exact=True)
    image = "img.gancourse-regression-plot"
    old = _src(page, image)

    def press() -> None:
        button.click()
        page.wait_for_function("(b) => b.disabled", arg=button.element_handle(), polling="raf")

    latencies.measure("train (a Keras fit)", press, _src_changed(page, image, old))
    page.wait_for_function("(b) => !b.disabled", arg=button.element_handle())


def answer_quiz_by_keyboard(page: Any, latencies: Latencies, name: str) -> None:
    """Answer the first multiple-choice quiz with Enter, the next option with Tab and Space;
    then click an option of the next quiz, in a cell not selected yet.

    The focus must stay on the option pressed (by key or mouse), and Tab reach the next one.
    """
    quizzes = page.locator(".gancourse-widget:has(.gancourse-quiz-option)")
    quiz = quizzes.first
    options = quiz.locator(".gancourse-quiz-option")
    feedback = quiz.locator(".gancourse-quiz-feedback")
    options.first.scroll_into_view_if_needed()
    options.first.focus()
    for key in ("Enter", "Space"):
        before = feedback.inner_text()
        latencies.measure(
            "quiz feedback",
            lambda key=key: page.keyboard.press(key),
            lambda before=before: page.wait_for_function(
                "([el, old]) => el.textContent.trim() && el.textContent !== old",
                arg=[feedback.element_handle(), before],
                timeout=CHANGE_TIMEOUT_MS,
                polling="raf",
            ),
        )
        text = feedback.inner_text()
        assert text.startswith(("✓", "✗")), f"{name}: no feedback after {key}: {text!r}"
        assert "gancourse-quiz-option" in _focused_class(page), f"{name}: focus lost after {key}"
        page.keyboard.press("Tab")
        assert "gancourse-quiz-option" in _focused_class(page), f"{name}: Tab left the options"
    other = quizzes.nth(1).locator(".gancourse-quiz-option").first
    other.scroll_into_view_if_needed()
    other.click()
    assert "gancourse-quiz-option" in _focused_class(page), f"{name}: focus lost after a click"


def answer_number_by_keyboard(page: Any, latencies: Latencies, answer: str) -> None:
    """Type ``answer`` into the first numeric quiz and press Enter; it must say "Correct"."""
    quiz = page.locator(".gancourse-widget:has(.gancourse-quiz-number)").first
    box = quiz.locator(".gancourse-quiz-number input, input.gancourse-quiz-number").first
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.type(answer)
    feedback = quiz.locator(".gancourse-quiz-feedback")
    latencies.measure(
        "quiz feedback",
        lambda: page.keyboard.press("Enter"),
        lambda: feedback.get_by_text("Correct").wait_for(timeout=CHANGE_TIMEOUT_MS),
    )
    page.keyboard.press("Tab")
    assert "widget-button" in _focused_class(page), "Tab from the number box reaches Check"


def drive_notebook(page: Any, latencies: Latencies, number: str, name: str) -> None:
    """Drive the widgets of course notebook ``number`` as a student would."""
    answer_quiz_by_keyboard(page, latencies, name)
    toylab = "img.gancourse-toylab-view"
    if number == "01":
        answer_number_by_keyboard(page, latencies, "0.7")
        train_regression_panel(page, latencies)
    elif number == "03":
        press_button(page, latencies, "train D", toylab, "button")
        press_button(page, latencies, "train D", toylab, "button")
    elif number == "04":
        press_button(page, latencies, "step", toylab, "button")
        press_button(page, latencies, "train G", toylab, "button")
    elif number == "05":
        samples, frame = "img.gancourse-stepper-samples", "img.gancourse-viewer-frame"
        for _ in range(3):
            move_slider(
                page, latencies, ".gancourse-stepper-slider", "ArrowLeft", samples, "epoch switch"
            )
        press_button(page, latencies, "◀ previous", samples, "epoch switch")
        press_button(page, latencies, "new noise", "img.gancourse-viewer-grid", "button")
        move_slider(page, latencies, ".gancourse-viewer-t", "ArrowRight", frame, "slider")


# --------------------------------------------------------------------------- whole notebooks


class CourseSession:
    """A front end serving notebooks to one browser page; each notebook is run only once."""

    def __init__(self, fe: FrontEnd, page: Any, url: str, root: Path) -> None:
        self.fe, self.page, self.url, self.root = fe, page, url, root
        self.latencies = Latencies(fe.name)
        self.saved_status: dict[str, str] = {}

    def run(self, name: str) -> str:
        """Run, check, drive and save notebook ``name`` (once); return its lab's status line.

        The status line of its ToyGANLab (empty if it has none) lets a later test recognise
        the widget's last state after the notebook is reopened. Its kernel is shut down.
        """
        if name not in self.saved_status:
            self.saved_status[name] = self._run(name)
        return self.saved_status[name]

    def _run(self, name: str) -> str:
        """Open, run, check, drive and save notebook ``name``; return its lab's status line."""
        page, fe, stem = self.page, self.fe, name[:2]
        try:
            fe.open(page, self.url, name)
            seconds = fe.run_and_wait(page)
            print(f"{fe.name}: {name} ran in {seconds:.0f} s")
            screenshot_widgets(page, fe, f"{stem}_a_after_run")
            assert_setup_line_once(page, fe, name)
            check_notebook(page, fe, name)
            drive_notebook(page, self.latencies, stem, name)
            check_notebook(page, fe, name)
            screenshot_widgets(page, fe, f"{stem}_b_after_driving")
            screenshot_widgets_hidpi(page, fe, f"{stem}_e_on_a_2x_screen")
            status = page.locator(".gancourse-toylab-status")
            last_status = status.first.inner_text() if status.count() else ""
            fe.save(page)
        finally:
            shutdown_kernels(self.url)
        return last_status

    def reopen(self, name: str) -> None:
        """Reopen notebook ``name``, saved by :meth:`run`: see :func:`check_reopened`."""
        status = self.run(name)
        try:
            check_reopened(self.page, self.fe, self.url, name, status)
        finally:
            shutdown_kernels(self.url)

    def open_untrusted_copy(self, name: str) -> None:
        """Open an unsigned copy of ``name`` saved by :meth:`run` (:func:`check_untrusted_copy`)."""
        self.run(name)
        try:
            check_untrusted_copy(self.page, self.fe, self.url, self.root, name)
        finally:
            shutdown_kernels(self.url)


@contextmanager
def course_session(
    fe: FrontEnd, notebooks: list[str], workdir: Path, args: Sequence[str] = ()
) -> Iterator[CourseSession]:
    """Serve copies of ``notebooks`` in quick mode with front end ``fe`` to headless Chromium.

    Chromium first: without it the tests skip (or fail in CI) before a server starts. The
    latencies and the server's log are written next to the screenshots at the end.
    """
    root = workdir / "notebooks"
    root.mkdir()
    for name in notebooks:
        shutil.copy(ROOT / "notebooks" / name, root / name)
    with chromium_page() as page:
        try:
            env = {"GANCOURSE_QUICK": "1"}
            with jupyter_server(fe.app, root, workdir, env=env, args=args) as url:
                session = CourseSession(fe, page, url, root)
                yield session
                print(f"latencies written to {session.latencies.write()}")
        finally:
            keep_log(workdir / f"{fe.app}.log", fe)


def shutdown_kernels(url: str) -> None:
    """End every session of the server at ``url`` and so its kernel (a GB or so each)."""
    with urllib.request.urlopen(url + "/api/sessions", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def check_reopened(page: Any, fe: FrontEnd, url: str, name: str, last_status: str) -> None:
    """Reopen saved notebook ``name`` with a new kernel: its widgets show their last state."""
    fe.open(page, url, name)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gancourse-widget img')].some(i => i.naturalWidth)"
    )
    assert_ran_clean(page, fe, name)
    assert assert_images_true_size(page, name) > 0
    if last_status:
        status = page.locator(".gancourse-toylab-status").first
        assert status.inner_text() == last_status, "the lab should show its state when saved"
    screenshot_widgets(page, fe, f"{name[:2]}_c_reopened_without_kernel")


UNTRUSTED_JS = """() => [...document.querySelectorAll('img[width]')]
    .filter(i => i.src.startsWith('data:image/png') && i.closest('%s'))
    .map(i => ({natural: [i.naturalWidth, i.naturalHeight],
                shown: [i.getBoundingClientRect().width, i.getBoundingClientRect().height]}))"""


def check_untrusted_copy(page: Any, fe: FrontEnd, url: str, root: Path, name: str) -> None:
    """Open an unsigned copy of saved notebook ``name`` (as someone else's notebook would be):
    instead of each widget, its picture at its CSS size, and each quiz's text."""
    notebook = json.loads((root / name).read_text(encoding="utf-8"))
    notebook["metadata"].pop("widgets", None)
    copy = f"{name[:2]}_untrusted_copy.ipynb"
    (root / copy).write_text(json.dumps(notebook), encoding="utf-8")
    fe.open(page, url, copy)
    outputs = page.locator(fe.output)
    assert not any(e in t for t in outputs.all_inner_texts() for e in WIDGET_ERRORS)
    page.wait_for_function(
        "() => [...document.querySelectorAll('img[width]')].every(i => i.complete)"
    )
    pictures = page.evaluate(UNTRUSTED_JS % fe.output)
    widget_outputs = [
        output for cell in notebook["cells"] for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {}) and WIDGET_VIEW in output["data"]
    ]  # fmt: skip
    assert widget_outputs and len(pictures) >= len(widget_outputs), pictures
    for picture in pictures:
        assert picture["shown"] == [n / PIXEL_RATIO for n in picture["natural"]], picture
    texts = "\n".join(outputs.all_inner_texts())
    assert "Quiz: " in texts and "Answer: " in texts  # the quizzes as plain text
    folder = SCREENSHOTS / fe.name
    shown = [
        page.locator(f"{fe.output}:has(img[width])").first,
        page.locator(fe.output).filter(has_text="Quiz: ").first,
    ]
    for i, output in enumerate(shown):
        output.screenshot(path=str(folder / f"{name[:2]}_d_untrusted_copy_{i:02d}.png"))
