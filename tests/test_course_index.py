"""scripts/course_index.py: the course index (course.toml) reads, writes and renders right."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import course_index  # noqa: E402


def test_the_index_survives_a_round_trip(repo_root, tmp_path):
    index = course_index.load(repo_root / "course.toml")
    copy = tmp_path / "course.toml"
    copy.write_text(course_index.dumps(index), encoding="utf-8")
    assert course_index.load(copy) == index
    assert copy.read_text(encoding="utf-8") == (repo_root / "course.toml").read_text(
        encoding="utf-8"
    ), "course.toml is stored exactly as course_index.dumps writes it"


@pytest.mark.parametrize(
    ("seconds", "said"), [(6, "6 s"), (89, "89 s"), (131, "2.2 min"), (None, "not measured yet")]
)
def test_durations_read_as_people_say_them(seconds, said):
    assert course_index.duration(seconds) == said


def test_an_unmeasured_notebook_says_how_to_measure_it():
    entry = course_index.Entry(file="07_new.ipynb", title="new", learn="something")
    line = course_index.run_time_line(entry)
    assert "not measured yet" in line and "notebook_times.py --record notebooks/07_new" in line
    index = course_index.CourseIndex("today", [entry])
    assert course_index.times_summary(index) == "Run times: not measured yet."
    assert "| 07 | [new](07_new.ipynb) | not measured yet |" in course_index.notebooks_table(index)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[notebook]]\nfile = "01_a.ipynb"\ntitle = "a"\n', "needs file, title and learn"),
        ('[[notebook]]\nfile = "1_a.ipynb"\ntitle = "a"\nlearn = "b"\n', "not a name like"),
        (
            '[[notebook]]\nfile = "02_a.ipynb"\ntitle = "a"\nlearn = "b"\n'
            '[[notebook]]\nfile = "01_b.ipynb"\ntitle = "b"\nlearn = "c"\n',
            "must rise without repeats",
        ),
        ('[[notebook]]\nfile = "01_a.ipynb"\ntitle = "a"\nlearn = "b"\nminutes = 3\n', "unknown"),
    ],
)
def test_a_broken_index_says_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "course.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        course_index.load(path)


def test_generated_parts_need_their_markers():
    with pytest.raises(ValueError, match="README.md needs the lines"):
        course_index.replace_between("no markers", course_index.TABLE_MARKERS, "x", "README.md")
    start, end = course_index.TABLE_MARKERS
    text = f"before\n{start}\nold\n{end}\nafter"
    assert course_index.replace_between(text, course_index.TABLE_MARKERS, "new", "R") == (
        f"before\n{start}\nnew\n{end}\nafter"
    )
