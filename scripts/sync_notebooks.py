"""Write every notebook's set-up cell and badges from ``gancourse.course``; strip outputs.

    python scripts/sync_notebooks.py          # rewrite notebooks/NN_*.ipynb in place
    python scripts/sync_notebooks.py --check  # exit 1 and name the notebooks that differ

The first cell of a notebook becomes the set-up cell; in the second (the title cell) the line
with the "Open in Colab" badge is replaced by the badges for this notebook. Outputs and
execution counts are removed, so notebooks are stored clean.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gancourse import course

ROOT = Path(__file__).resolve().parents[1]
BADGE_PREFIX = "[![Open in Colab]"


def notebook_paths(root: Path = ROOT) -> list[Path]:
    """Return the course notebooks ``notebooks/NN_*.ipynb`` in order."""
    return sorted((root / course.NOTEBOOK_DIR).glob("[0-9][0-9]_*.ipynb"))


def _lines(text: str) -> list[str]:
    """Split text into the list-of-lines form that .ipynb files store."""
    return text.splitlines(keepends=True)


def synced(notebook: dict, name: str) -> dict:
    """Return a copy of ``notebook`` with the generated set-up cell and badges, no outputs."""
    nb = json.loads(json.dumps(notebook))
    cells = nb["cells"]
    setup = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": _lines(course.setup_cell_source()),
    }
    if (
        cells
        and cells[0]["cell_type"] == "code"
        and "".join(cells[0]["source"]).startswith(course.SETUP_MARKER)
    ):
        setup["metadata"] = cells[0].get("metadata", {})
        if "id" in cells[0]:
            setup["id"] = cells[0]["id"]
        cells[0] = setup
    else:
        cells.insert(0, setup)
    if len(cells) < 2 or cells[1]["cell_type"] != "markdown":
        raise SystemExit(f"{name}: the second cell must be the Markdown title cell")
    title, *rest = "".join(cells[1]["source"]).splitlines()
    rest = [line for line in rest if not line.startswith(BADGE_PREFIX)]
    while rest and not rest[0].strip():  # the blank lines between the title and the badges
        rest.pop(0)
    cells[1]["source"] = _lines("\n".join([title, "", course.badges_markdown(name), "", *rest]))
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def dump(notebook: dict) -> str:
    """Return the notebook as stored: JSON with one-space indents, as Jupyter writes it."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Sync (or with --check, compare) every notebook; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report differences")
    args = parser.parse_args(argv)
    stale = []
    for path in notebook_paths():
        text = path.read_text(encoding="utf-8")
        wanted = dump(synced(json.loads(text), path.name))
        if wanted != text:
            stale.append(path.name)
            if not args.check:
                path.write_text(wanted, encoding="utf-8")
    if args.check and stale:
        print("Not in sync (run python scripts/sync_notebooks.py): " + ", ".join(stale))
        return 1
    for name in stale:
        print(f"synced {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
