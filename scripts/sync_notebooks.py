"""Write what the notebooks and the course pages share, from one source each; strip outputs.

    python scripts/sync_notebooks.py          # rewrite what is out of date, in place
    python scripts/sync_notebooks.py --check  # exit 1 and name what differs

Every notebook starts with its title cell (Markdown: "# NN · Title", the badges, the goals)
and then the set-up cell. From ``gancourse.course``: the set-up cell and the badges line.
From the course index (course.toml, see scripts/course_index.py): the "Run time" paragraph of
the title cell, the course tables of README.md and notebooks/README.md, and README's
summary of run times. Outputs and execution counts are removed, so notebooks are stored
clean. The index and the notebooks folder must name the same notebooks.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import course_index

from gancourse import course

ROOT = Path(__file__).resolve().parents[1]
BADGE_PREFIX = "[![Open in Colab]"


def notebook_paths(root: Path = ROOT) -> list[Path]:
    """Return the course notebooks ``notebooks/NN_*.ipynb`` in order."""
    return sorted((root / course.NOTEBOOK_DIR).glob("[0-9][0-9]_*.ipynb"))


def _lines(text: str) -> list[str]:
    """Split text into the list-of-lines form that .ipynb files store."""
    return text.splitlines(keepends=True)


def _is_setup(cell: dict) -> bool:
    return cell["cell_type"] == "code" and "".join(cell["source"]).startswith(course.SETUP_MARKER)


def _title_cell_text(text: str, name: str, entry: course_index.Entry) -> str:
    """Return the title cell's text with this notebook's badges and its "Run time" paragraph."""
    title, *rest = text.splitlines()
    if not title.startswith(f"# {name[:2]} "):
        raise SystemExit(f"{name}: the title cell must start with '# {name[:2]} '")
    rest = [line for line in rest if not line.startswith(BADGE_PREFIX)]
    while rest and not rest[0].strip():  # the blank lines between the title and the badges
        rest.pop(0)
    starts = [i for i, line in enumerate(rest) if line.startswith(course_index.RUN_TIME_PREFIX)]
    if len(starts) != 1:
        raise SystemExit(f"{name}: the title cell needs one paragraph starting **Run time**")
    end = starts[0]
    while end < len(rest) and rest[end].strip():  # the paragraph runs to the next blank line
        end += 1
    rest[starts[0] : end] = [course_index.run_time_line(entry)]
    return "\n".join([title, "", course.badges_markdown(name), "", *rest])


def synced(notebook: dict, name: str, entry: course_index.Entry) -> dict:
    """Return a copy of ``notebook``: title cell first, then the generated set-up cell."""
    nb = json.loads(json.dumps(notebook))
    cells = nb["cells"]
    old_setup = [i for i, cell in enumerate(cells[:2]) if _is_setup(cell)]
    setup = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": _lines(course.setup_cell_source()),
    }
    if old_setup:
        old = cells.pop(old_setup[0])
        setup["metadata"] = old.get("metadata", {})
        if "id" in old:
            setup["id"] = old["id"]
    if not cells or cells[0]["cell_type"] != "markdown":
        raise SystemExit(f"{name}: the first cell must be the Markdown title cell")
    text = _title_cell_text("".join(cells[0]["source"]), name, entry)
    cells[0]["source"] = _lines(text)
    cells.insert(1, setup)
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def dump(notebook: dict) -> str:
    """Return the notebook as stored: JSON with one-space indents, as Jupyter writes it."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def pages(index: course_index.CourseIndex, root: Path = ROOT) -> dict[Path, str]:
    """Return README.md and notebooks/README.md as they should read, by path."""
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = course_index.replace_between(
        text, course_index.TABLE_MARKERS, course_index.readme_table(index), "README.md"
    )
    text = course_index.replace_between(
        text, course_index.TIMES_MARKERS, course_index.times_summary(index), "README.md"
    )
    inner = root / course.NOTEBOOK_DIR / "README.md"
    inner_text = course_index.replace_between(
        inner.read_text(encoding="utf-8"),
        course_index.TABLE_MARKERS,
        course_index.notebooks_table(index),
        "notebooks/README.md",
    )
    return {readme: text, inner: inner_text}


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    """Sync (or with --check, compare) every notebook and page; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report differences")
    args = parser.parse_args(argv)
    index = course_index.load(root / course_index.INDEX.name)
    paths = notebook_paths(root)
    files = [path.name for path in paths]
    listed = [entry.file for entry in index.notebooks]
    if files != listed:
        print(
            f"course.toml lists {listed}, but notebooks/ holds {files}: add the missing entries "
            "(scripts/new_notebook.py does it for a new notebook) or remove the extra ones."
        )
        return 1
    wanted = {
        path: dump(synced(json.loads(path.read_text(encoding="utf-8")), path.name, entry))
        for path, entry in zip(paths, index.notebooks)
    }
    wanted.update(pages(index, root))
    stale = [path for path, text in wanted.items() if path.read_text(encoding="utf-8") != text]
    if args.check:
        if stale:
            names = ", ".join(str(path.relative_to(root)) for path in stale)
            print(f"Not in sync (run python scripts/sync_notebooks.py): {names}")
            return 1
        return 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"synced {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
