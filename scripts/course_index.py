"""The course index (course.toml): the notebooks in order, what each teaches, and its run times.

One list feeds every page that names the notebooks: the course tables of README.md and
notebooks/README.md, the summary of run times in README.md, and the "Run time" line of each
notebook's title cell. ``scripts/sync_notebooks.py`` writes them, ``make test`` checks them,
``benchmarks/notebook_times.py --record`` writes measured numbers into the index and
``scripts/new_notebook.py`` adds an entry.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "course.toml"
NOTEBOOK_NAME = re.compile(r"(?P<number>\d\d)_(?P<name>[a-z0-9]+(?:_[a-z0-9]+)*)\.ipynb")
#: Marker comments around the generated parts of README.md and notebooks/README.md.
TABLE_MARKERS = (
    "<!-- course-index: written by scripts/sync_notebooks.py -->",
    "<!-- /course-index -->",
)
TIMES_MARKERS = (
    "<!-- course-times: written by scripts/sync_notebooks.py -->",
    "<!-- /course-times -->",
)
RUN_TIME_PREFIX = "**Run time**"

_HEADER = """\
# The course index: one entry per notebook, in order. The course tables in README.md and
# notebooks/README.md and the "Run time" line of each notebook's title cell are written from
# it by `python scripts/sync_notebooks.py` (make test fails when they disagree);
# `python benchmarks/notebook_times.py --record` writes the measured numbers here.
# `make notebook N=06 NAME=short_name TITLE="..."` adds an entry for a new notebook.
"""


@dataclass
class Entry:
    """One notebook of the course; the measured numbers are None until measured."""

    file: str
    title: str
    learn: str
    full_seconds: int | None = None
    quick_seconds: int | None = None
    peak_mb: int | None = None

    @property
    def number(self) -> str:
        return self.file[:2]

    @property
    def name(self) -> str:
        """The file name without its number and suffix, e.g. ``gan_on_mnist``."""
        return NOTEBOOK_NAME.fullmatch(self.file).group("name")


@dataclass
class CourseIndex:
    """The whole index: where it was measured, and the notebooks in order."""

    measured_on: str
    notebooks: list[Entry]

    def entry(self, file: str) -> Entry:
        """Return the entry of the notebook ``file``, or raise KeyError naming it."""
        for entry in self.notebooks:
            if entry.file == file:
                return entry
        raise KeyError(f"{file} is not in {INDEX.name}")


def load(path: Path = INDEX) -> CourseIndex:
    """Read and check the index; raise ValueError saying what is wrong and where."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(Entry)}
    entries = []
    for position, item in enumerate(raw.get("notebook", []), start=1):
        unknown = set(item) - known
        if unknown or not {"file", "title", "learn"} <= set(item):
            raise ValueError(
                f"{path.name}: notebook entry {position} needs file, title and learn"
                + (f"; unknown keys {sorted(unknown)}" if unknown else "")
            )
        entry = Entry(**item)
        if not NOTEBOOK_NAME.fullmatch(entry.file):
            raise ValueError(f"{path.name}: {entry.file!r} is not a name like 06_short_name.ipynb")
        entries.append(entry)
    numbers = [e.number for e in entries]
    if numbers != sorted(set(numbers)):
        raise ValueError(f"{path.name}: notebook numbers must rise without repeats, got {numbers}")
    return CourseIndex(raw.get("measured_on", ""), entries)


def dumps(index: CourseIndex) -> str:
    """Return the index as the text of course.toml."""
    measured = f"measured_on = {json.dumps(index.measured_on)}"
    lines = [_HEADER, "# Where the numbers were measured.", measured]
    for entry in index.notebooks:
        lines += ["", "[[notebook]]"]
        for field in fields(Entry):
            value = getattr(entry, field.name)
            if value is not None:
                lines.append(f"{field.name} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def duration(seconds: int | None) -> str:
    """Return a run time as people say it: "35 s", "2.2 min"; "not measured yet" for None."""
    if seconds is None:
        return "not measured yet"
    return f"{seconds} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def run_time_line(entry: Entry) -> str:
    """Return the "Run time" line of a notebook's title cell."""
    if entry.full_seconds is None:
        return (
            f"{RUN_TIME_PREFIX}: not measured yet (`python benchmarks/notebook_times.py "
            f"--record notebooks/{entry.file}`)."
        )
    return (
        f"{RUN_TIME_PREFIX} on one CPU core: {duration(entry.full_seconds)} in full mode "
        f"(peak memory {entry.peak_mb:,} MB), {duration(entry.quick_seconds)} in quick mode."
    )


def readme_table(index: CourseIndex) -> str:
    """Return the course table of README.md (links relative to the repository root)."""
    rows = ["| # | notebook | what you learn | full mode, one CPU core |", "|---|---|---|---:|"]
    for e in index.notebooks:
        link = f"[{e.title}](notebooks/{e.file})"
        rows.append(f"| {e.number} | {link} | {e.learn} | {duration(e.full_seconds)} |")
    return "\n".join(rows)


def notebooks_table(index: CourseIndex) -> str:
    """Return the table of notebooks/README.md (links relative to notebooks/)."""
    rows = [
        "| # | notebook | full mode, one CPU core | quick mode | peak memory |",
        "|---|---|---:|---:|---:|",
    ]
    for e in index.notebooks:
        memory = "-" if e.peak_mb is None else f"{e.peak_mb:,} MB"
        rows.append(
            f"| {e.number} | [{e.title}]({e.file}) | {duration(e.full_seconds)} "
            f"| {duration(e.quick_seconds)} | {memory} |"
        )
    return "\n".join(rows)


def times_summary(index: CourseIndex) -> str:
    """Return README's sentence on run times and memory, from the measured notebooks."""
    measured = [e for e in index.notebooks if e.full_seconds is not None]
    if not measured:
        return "Run times: not measured yet."
    fastest = min(e.full_seconds for e in measured)
    slowest = max(e.full_seconds for e in measured)
    peak = max(e.peak_mb for e in measured)
    missing = len(index.notebooks) - len(measured)
    tail = f" ({missing} not measured yet)" if missing else ""
    return (
        f"In full mode each notebook takes {duration(fastest)} to {duration(slowest)} on one CPU "
        f"core and peaks at {peak:,} MB of memory or less{tail}, measured with "
        f"`benchmarks/notebook_times.py` ({index.measured_on}; see "
        f"[docs/benchmarks.md](docs/benchmarks.md))."
    )


def replace_between(text: str, markers: tuple[str, str], body: str, where: str) -> str:
    """Return ``text`` with what lies between the two marker lines replaced by ``body``."""
    start, end = markers
    if text.count(start) != 1 or text.count(end) != 1:
        raise ValueError(f"{where} needs the lines {start} and {end}, once each")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{body}\n{end}{after}"
