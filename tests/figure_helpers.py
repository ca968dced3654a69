"""Checks that a matplotlib figure cuts off no text and draws no text over another."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg


def renderer(fig):
    """Return a renderer of ``fig`` after drawing it through Agg.

    Drawing runs the figure's layout engine and sets the tick labels that the checks below
    read. A figure released from pyplot may keep a bare canvas without a renderer, and on
    some matplotlib versions (3.8) a canvas whose renderer has never drawn the figure.
    """
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def labels_inside(fig) -> bool:
    """Return True if every axes of ``fig``, with all its labels and ticks, lies in the figure."""
    r = renderer(fig)
    box = fig.bbox
    tight = [ax.get_tightbbox(r) for ax in fig.axes]
    return all(
        box.x0 - 0.5 <= t.x0 and t.x1 <= box.x1 + 0.5 and box.y0 - 0.5 <= t.y0
        and t.y1 <= box.y1 + 0.5
        for t in tight
    )  # fmt: skip


def texts_outside(fig) -> list[str]:
    """Return the titles, axis labels and drawn tick labels of ``fig`` reaching outside it.

    Only the ticks inside each axis's view are drawn; their labels hold the last draw's text.
    """
    r, box = renderer(fig), fig.bbox
    texts = []
    for ax in fig.axes:
        texts.append(ax.title)
        for axis in (ax.xaxis, ax.yaxis):
            if ax.axison and axis.get_visible():  # set_axis_off() hides both
                texts.append(axis.label)
                lo, hi = sorted(axis.get_view_interval())
                locations = axis.get_majorticklocs()
                ticks = axis.get_major_ticks(len(locations))
                texts += [
                    label for loc, tick in zip(locations, ticks, strict=True)
                    if lo - 1e-9 * (hi - lo) <= loc <= hi + 1e-9 * (hi - lo)
                    for label in (tick.label1, tick.label2)
                ]  # fmt: skip
    outside = []
    for text in texts:
        if text.get_visible() and text.get_text():
            e = text.get_window_extent(r)
            if e.x0 < box.x0 or e.y0 < box.y0 or e.x1 > box.x1 or e.y1 > box.y1:
                outside.append(text.get_text())
    return outside


def texts_overlapping(fig) -> list[tuple[str, str]]:
    """Return the pairs of non-empty texts of ``fig`` whose drawn boxes overlap.

    Covers the suptitle, every axes' title and the texts placed on its axes (``ax.text``).
    """
    r = renderer(fig)
    texts = [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        texts += [ax.title, *ax.texts]
    shown = [t for t in texts if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(r) for t in shown]
    return [
        (shown[i].get_text(), shown[j].get_text())
        for i in range(len(shown)) for j in range(i + 1, len(shown))
        if boxes[i].overlaps(boxes[j])
    ]  # fmt: skip
