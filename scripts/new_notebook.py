"""Add a notebook to the course: the notebook, its exercises module and test file, registered.

    python scripts/new_notebook.py --number 06 --name when_training_fails \\
        --title "When training fails, and the losses that help" \\
        --learn "the three classic failures; least squares, Wasserstein and hinge losses"
    make notebook N=06 NAME=when_training_fails TITLE="..." LEARN="..."   # the same

It writes, from the templates in scripts/templates/:

* ``notebooks/NN_name.ipynb``: title and learning goals, the set-up cell, a section with
  code, an exercise with its check, a quiz, Summary, What comes next, Further reading;
* ``gancourse/exercises/name.py``: the notebook's exercise checks (one example check);
* ``tests/test_exercises_name.py``: tests of those checks;

adds the notebook to the course index (course.toml), links it from the previous notebook's
"What comes next", and writes the set-up cell, the badges and the course tables
(scripts/sync_notebooks.py). Right after it, ``make test`` passes; then replace the template
text with the lesson, and measure it with ``benchmarks/notebook_times.py --record``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from pathlib import Path

import course_index
import sync_notebooks

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "templates"
NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


class ScaffoldError(ValueError):
    """Raised for arguments the scaffold cannot use; the message says what to change."""


def _fill(text: str, number: str, name: str, title: str, previous: str) -> str:
    return (
        text.replace("__NUMBER__", number)
        .replace("__NAME__", name)
        .replace("__TITLE__", title)
        .replace("__PREVIOUS__", previous)
    )


def _link_from_previous(path: Path, new_file: str, heading: str) -> None:
    """Add "**Next:** [heading](new_file)" to the last "What comes next" cell of ``path``."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if "What comes next" in "".join(c["source"])]
    if not cells:
        raise ScaffoldError(f"{path.name} has no 'What comes next' cell to link the new notebook")
    cell = cells[-1]
    lines = [ln for ln in "".join(cell["source"]).rstrip("\n").splitlines()]
    lines = [ln for ln in lines if not ln.startswith("**Next:**")]
    while lines and not lines[-1].strip():
        lines.pop()
    lines += ["", f"**Next:** [{heading}]({new_file})"]
    cell["source"] = "\n".join(lines).splitlines(keepends=True)
    path.write_text(sync_notebooks.dump(notebook), encoding="utf-8")


def scaffold(number: str, name: str, title: str, learn: str, root: Path = ROOT) -> list[Path]:
    """Create and register a new notebook; return the files written."""
    if not re.fullmatch(r"\d\d", number):
        raise ScaffoldError(f"N must be two digits, like 06; got {number!r}.")
    if not NAME.fullmatch(name):
        raise ScaffoldError(
            f"NAME must be snake_case (lowercase letters, digits and _), like "
            f"when_training_fails; got {name!r}."
        )
    if not title.strip() or not learn.strip():
        raise ScaffoldError("TITLE and LEARN must say what the notebook is and what it teaches.")
    index_path = root / course_index.INDEX.name
    index = course_index.load(index_path)
    last = index.notebooks[-1]
    if number <= last.number:
        raise ScaffoldError(
            f"notebook {number} would not come last: the course ends with {last.file}. "
            f"New notebooks are added at the end; use {int(last.number) + 1:02d}."
        )
    file = f"{number}_{name}.ipynb"
    targets = {
        "notebook": root / "notebooks" / file,
        "exercises": root / "gancourse" / "exercises" / f"{name}.py",
        "tests": root / "tests" / f"test_exercises_{name}.py",
    }
    for path in targets.values():
        if path.exists():
            raise ScaffoldError(f"{path.relative_to(root)} exists already; choose another NAME.")
    title = title.strip()
    heading = f"{number} · {title[0].upper()}{title[1:]}"
    previous = last.number
    notebook = json.loads(_fill((TEMPLATES / "notebook.ipynb").read_text(), number, name,
                                title[0].upper() + title[1:], previous))  # fmt: skip
    for cell in notebook["cells"]:
        cell["id"] = uuid.uuid4().hex[:8]
    targets["notebook"].write_text(sync_notebooks.dump(notebook), encoding="utf-8")
    for key, template in (("exercises", "exercises.py.txt"), ("tests", "test_exercises.py.txt")):
        text = _fill((TEMPLATES / template).read_text(), number, name, title, previous)
        targets[key].write_text(text, encoding="utf-8")
    index.notebooks.append(course_index.Entry(file=file, title=title, learn=learn.strip()))
    index_path.write_text(course_index.dumps(index), encoding="utf-8")
    _link_from_previous(root / "notebooks" / last.file, file, heading)
    if sync_notebooks.main([], root=root) != 0:
        raise ScaffoldError("scripts/sync_notebooks.py could not sync the course; see above.")
    return list(targets.values())


def main(argv: list[str] | None = None) -> int:
    """Run the scaffold from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", required=True, help="two digits, e.g. 06")
    parser.add_argument("--name", required=True, help="snake_case, e.g. when_training_fails")
    parser.add_argument("--title", required=True, help="the title, as in the course table")
    parser.add_argument("--learn", required=True, help="what the notebook teaches, one line")
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.number, args.name, args.title, args.learn)
    except ScaffoldError as error:
        print(f"new_notebook: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(
        "Registered in course.toml and linked from the previous notebook. Next: write the "
        "lesson over the template text, run `make test`, then measure it with "
        "`python benchmarks/notebook_times.py --record`."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
