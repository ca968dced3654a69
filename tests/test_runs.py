"""gancourse.runs: the lock, what a run owns, leftovers, checkpoint names, settings."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import time

import pytest

from gancourse import runs


def _fill(folder, *names):
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)


RUN_FILES = [
    "history.json",
    "samples.npz",
    "generator.keras",
    "discriminator.keras",
    "training.gif",
    "epoch_0001.png",
    "epoch_0012.png",
    "checkpoints/epoch_0012.index",
    "checkpoints/epoch_0012.data-00000-of-00001",
]


def test_foreign_entries_are_what_no_run_writes(tmp_path):
    _fill(tmp_path, *RUN_FILES, ".samples.npz.a1b2c3.tmp", "training.lock")
    assert runs.foreign_entries(tmp_path) == []
    _fill(tmp_path, "notes.txt", "epoch_1.png", "checkpoints/mine.txt", "history.json.bak")
    (tmp_path / "link.png").symlink_to(tmp_path / "notes.txt")
    assert runs.foreign_entries(tmp_path) == [
        "checkpoints/mine.txt",
        "epoch_1.png",
        "history.json.bak",
        "link.png",
        "notes.txt",
    ]


def test_remove_run_files_keeps_the_lock_and_everything_else(tmp_path):
    _fill(tmp_path, *RUN_FILES, "notes.txt", "checkpoints/mine.txt", "training.lock")
    removed = runs.remove_run_files(tmp_path)
    assert removed[0] == "history.json"
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "checkpoints",
        "checkpoints/mine.txt",
        "notes.txt",
        "training.lock",
    ]


def test_remove_leftovers_keeps_the_committed_checkpoint(tmp_path):
    _fill(
        tmp_path,
        "checkpoints/epoch_0002.index",
        "checkpoints/epoch_0002.data-00000-of-00001",
        "checkpoints/epoch_0003.index",
        "checkpoints/epoch_0002.index.tempstate99",
        "checkpoints/epoch_0003_temp/part-00000-of-00001.index",
        ".history.json.zz9_00.tmp",
        ".discriminator.keras.q1w2e3.tmp.keras",
        ".notes.txt.a1b2c3.tmp",
        "history.json",
    )
    runs.remove_leftovers(tmp_path, keep="epoch_0002")
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        ".notes.txt.a1b2c3.tmp",  # not a run file's temporary: not ours to remove
        "checkpoints",
        "checkpoints/epoch_0002.data-00000-of-00001",
        "checkpoints/epoch_0002.index",
        "history.json",
    ]


@pytest.mark.parametrize(
    ("name", "epochs", "message"),
    [
        ("../../x/ck", 1, "not one of this run folder's own"),
        ("/etc/passwd", 1, "not one of this run folder's own"),
        ("epoch_0001/../../x", 1, "not one of this run folder's own"),
        (3, 1, "not one of this run folder's own"),
        (None, 2, "names no checkpoint"),
        ("epoch_0001", 2, "records 2 epochs but names the checkpoint of epoch 1"),
    ],
)
def test_a_checkpoint_name_must_be_the_folders_own(tmp_path, name, epochs, message):
    with pytest.raises(ValueError, match=message):
        runs.committed_checkpoint(tmp_path, name, epochs)


def test_a_committed_checkpoint_needs_its_files(tmp_path):
    assert runs.committed_checkpoint(tmp_path, None, 0) is None
    with pytest.raises(FileNotFoundError, match=r"epoch_0001\.index is missing"):
        runs.committed_checkpoint(tmp_path, "epoch_0001", 1)
    _fill(tmp_path, "checkpoints/epoch_0001.index")
    with pytest.raises(FileNotFoundError, match=r"epoch_0001\.data-\* is missing"):
        runs.committed_checkpoint(tmp_path, "epoch_0001", 1)
    _fill(tmp_path, "checkpoints/epoch_0001.data-00000-of-00001")
    assert runs.committed_checkpoint(tmp_path, "epoch_0001", 1) == (
        tmp_path / "checkpoints" / "epoch_0001"
    )


def test_settings_differences_are_all_named_and_older_runs_are_not_refused(tmp_path):
    saved = {"loss": "hinge", "g_learning_rate": 0.0002, "batch_size": 64}
    runs.check_same_settings(tmp_path, saved, {**saved, "g_learning_rate": 2e-4 * (1 + 1e-12)})
    runs.check_same_settings(tmp_path, saved, {**saved, "beta_1": 0.9})  # not recorded then
    with pytest.raises(ValueError) as error:
        runs.check_same_settings(tmp_path, saved, {**saved, "loss": "minimax", "batch_size": 8})
    assert "loss 'hinge' (now 'minimax'); batch_size 64 (now 8)." in str(error.value)


def test_describe_error_says_why_in_words():
    full = OSError(errno.ENOSPC, "No space left on device", "/runs/x/samples.npz")
    assert runs.describe_error(full) == "/runs/x/samples.npz: the disk is full"
    assert runs.describe_error(PermissionError(errno.EACCES, "denied")) == "permission denied"

    class OpError(Exception):
        message = "{{function_node __wrapped__SaveV2}} /runs/x/ck; File too large [Op:SaveV2]"

    assert runs.describe_error(OpError()) == "/runs/x/ck; File too large"


# --------------------------------------------------------------------------- the lock


def _holder(folder):
    return json.loads((folder / runs.LOCK_FILE).read_text())


def test_the_lock_names_its_holder_and_goes_when_released(tmp_path):
    with runs.RunLock(tmp_path) as lock:
        holder = _holder(tmp_path)
        assert holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
        lock.confirm()
        with pytest.raises(runs.RunFolderBusy, match="this Python process"):
            runs.RunLock(tmp_path).acquire()
    assert not (tmp_path / runs.LOCK_FILE).exists()


def test_a_lock_left_by_an_ended_process_is_taken_over(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], stdout=-1)
    pid = int(ended.stdout)
    holder = {"pid": pid, "host": socket.gethostname(), "started": "earlier", "token": "old"}
    (tmp_path / runs.LOCK_FILE).write_text(json.dumps(holder))
    with runs.RunLock(tmp_path):
        assert _holder(tmp_path)["pid"] == os.getpid()


def test_a_lock_of_this_process_that_no_call_holds_is_stale(tmp_path):
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "token": "lost"}
    (tmp_path / runs.LOCK_FILE).write_text(json.dumps(holder))
    with runs.RunLock(tmp_path):
        assert _holder(tmp_path)["token"] != "lost"


def test_a_half_written_lock_is_stale_only_after_a_while(tmp_path):
    (tmp_path / runs.LOCK_FILE).write_text("")
    with pytest.raises(runs.RunFolderBusy, match="its lock file is being written"):
        runs.RunLock(tmp_path).acquire()
    old = time.time() - 60
    os.utime(tmp_path / runs.LOCK_FILE, (old, old))
    with runs.RunLock(tmp_path):
        pass


def test_release_leaves_a_lock_that_another_took(tmp_path):
    lock = runs.RunLock(tmp_path)
    lock.acquire()
    (tmp_path / runs.LOCK_FILE).write_text(json.dumps({"pid": 1, "token": "theirs"}))
    with pytest.raises(runs.RunFolderBusy, match="lost its lock"):
        lock.confirm()
    lock.release()
    assert _holder(tmp_path)["token"] == "theirs"


def test_heartbeat_keeps_a_lock_fresh(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "HEARTBEAT_SECONDS", 0.0)
    with runs.RunLock(tmp_path) as lock:
        old = time.time() - 3600
        os.utime(tmp_path / runs.LOCK_FILE, (old, old))
        lock.heartbeat()
        assert time.time() - (tmp_path / runs.LOCK_FILE).stat().st_mtime < 60


def test_runs_module_does_not_import_tensorflow():
    code = "import sys, gancourse.runs; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
