"""Run folders: what a training run writes there, and the rules that keep its work safe.

A run folder (``train(..., run_dir=...)``, ``python -m gancourse train --out ...``) holds
``history.json`` and ``samples.npz`` (the record), ``checkpoints/`` (models and optimizers of
the last committed epoch), ``generator.keras`` and ``discriminator.keras``, the lock file
while a run trains, and from the command line a PNG per epoch and ``training.gif``. The rules:

* **One writer.** :class:`RunLock` creates ``training.lock`` holding the writer's process
  id and host; a second writer is refused at once; a lock whose process has ended is stale
  and is taken over.
* **Overwriting removes only a run's own files** (:func:`remove_run_files`) and refuses a
  folder that holds anything else (:func:`foreign_entries`). The current folder (or one
  above it) is never a run folder.
* **Leftovers of interrupted writes** (temporary files, checkpoints that no history points
  to) are removed when the next run starts (:func:`remove_leftovers`).
* **Checkpoints stay inside**: the checkpoint that ``history.json`` names must be one of the
  folder's own ``checkpoints/epoch_NNNN`` (:func:`committed_checkpoint`).
* **A resumed run keeps its settings** (:func:`check_same_settings`).

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import shutil
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from .history import HISTORY_FILE, SAMPLES_FILE, START_AGAIN, epochs_phrase, temporary_target

CHECKPOINT_DIR = "checkpoints"
GENERATOR_FILE = "generator.keras"
DISCRIMINATOR_FILE = "discriminator.keras"
GIF_FILE = "training.gif"
LOCK_FILE = "training.lock"

#: A lock left by another machine counts as stale when it was not refreshed for this long;
#: a training run refreshes its lock every HEARTBEAT_SECONDS.
STALE_SECONDS = 300.0
HEARTBEAT_SECONDS = 30.0
#: A lock file without a readable holder (its writer was killed while writing it).
_HALF_WRITTEN_SECONDS = 10.0

_RUN_FILES = {HISTORY_FILE, SAMPLES_FILE, GENERATOR_FILE, DISCRIMINATOR_FILE, GIF_FILE}
_EPOCH_PNG = re.compile(r"epoch_\d{4,}\.png")
_CHECKPOINT_NAME = re.compile(r"epoch_\d{4,}")
# What TensorFlow writes for checkpoint "epoch_0003": .index and .data-* files, a _temp
# folder while it writes, and .tempstate<N> files until a file is complete.
_CHECKPOINT_ENTRY = re.compile(
    r"(?P<name>epoch_\d{4,})(?P<part>_temp|\.index|\.data-\d+-of-\d+)(?P<state>\.tempstate\d+)?"
)

# Lock files this process holds (resolved paths), so a lock of this process that no call
# holds any more (one that could not be removed) is recognised as stale.
_HELD: set[str] = set()
_HELD_GUARD = threading.Lock()


class RunFolderBusy(RuntimeError):
    """Raised when another training run holds a run folder's lock."""


# --------------------------------------------------------------------------- the folder


def _is_run_file(name: str) -> bool:
    return name in _RUN_FILES or bool(_EPOCH_PNG.fullmatch(name))


def _is_leftover(name: str) -> bool:
    """Return True for a temporary file that an interrupted write of a run file left."""
    target = temporary_target(name)
    return target is not None and _is_run_file(target)


def _blocker(folder: Path) -> str | None:
    """Return why ``folder`` cannot be made because a file is in its way, or None."""
    for path in (folder, *folder.parents):
        if path.is_symlink() and not path.exists():
            return f"{path} is a link to nothing"
        if path.exists():
            return None if path.is_dir() else f"{path} is a file, not a folder"
    return None


def check_run_folder(path: str | Path) -> Path:
    """Return ``path`` as a Path if it can be a run folder: not the current folder or one
    above it, and no file in the way. Creates nothing."""
    folder = Path(path)
    here = Path.cwd().resolve()
    if folder.resolve() in (here, *here.parents):
        raise ValueError(
            f"The run folder cannot be the current folder {here} or a folder above it: a run "
            "writes its files there and overwriting removes them. Name a folder of its own, "
            "for example runs/NAME."
        )
    blocker = _blocker(folder)
    if blocker is not None:
        raise NotADirectoryError(
            f"Cannot use {folder} as a run folder: {blocker}. Choose another folder."
        )
    return folder


def _cannot_use(folder: Path, error: OSError) -> OSError:
    """Return ``error`` reworded: why ``folder`` cannot be a run folder, and what to do."""
    reason = _blocker(folder) or describe_error(error)
    return type(error)(f"Cannot use {folder} as a run folder: {reason}. Choose another folder.")


def run_folder(path: str | Path) -> Path:
    """Return ``path`` as a run folder, creating it if needed; an error if it cannot be one."""
    folder = check_run_folder(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_use(folder, error) from error
    return folder


def foreign_entries(folder: Path) -> list[str]:
    """Return the names of what ``folder`` holds that no training run writes, sorted.

    Links count as foreign even under a run file's name: overwriting never follows them.
    """
    found = []
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if entry.is_symlink():
            found.append(name)
        elif name == CHECKPOINT_DIR and entry.is_dir():
            found += [
                f"{CHECKPOINT_DIR}/{e.name}"
                for e in sorted(entry.iterdir())
                if e.is_symlink() or not _CHECKPOINT_ENTRY.fullmatch(e.name)
            ]
        elif not (entry.is_file() and (_is_run_file(name) or _is_leftover(name))):
            if name != LOCK_FILE:
                found.append(name)
    return found


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()


def remove_leftovers(folder: Path, keep: str | None = None) -> list[str]:
    """Remove temporary files of interrupted writes and every checkpoint but ``keep``.

    Returns the names removed. Only names that a run writes are touched.
    """
    removed = []
    for entry in folder.iterdir():
        if entry.is_file() and not entry.is_symlink() and _is_leftover(entry.name):
            _remove(entry)
            removed.append(entry.name)
    checkpoints = folder / CHECKPOINT_DIR
    if checkpoints.is_dir() and not checkpoints.is_symlink():
        for entry in checkpoints.iterdir():
            match = _CHECKPOINT_ENTRY.fullmatch(entry.name)
            if not match or entry.is_symlink():
                continue  # not a run's: leave it
            if match["name"] == keep and match["part"] != "_temp" and not match["state"]:
                continue
            _remove(entry)
            removed.append(f"{CHECKPOINT_DIR}/{entry.name}")
    return removed


def remove_run_files(folder: Path) -> list[str]:
    """Remove everything a run wrote in ``folder`` but the lock; return the names removed.

    ``history.json`` goes first: without it the folder holds no run, whatever else remains.
    Files that no run writes, and links, are left alone.
    """
    names = sorted(
        (e.name for e in folder.iterdir() if e.is_file() and not e.is_symlink()),
        key=lambda name: (name != HISTORY_FILE, name),
    )
    removed = [name for name in names if _is_run_file(name)]
    for name in removed:
        (folder / name).unlink()
    removed += remove_leftovers(folder, keep=None)
    checkpoints = folder / CHECKPOINT_DIR
    if checkpoints.is_dir() and not checkpoints.is_symlink() and not any(checkpoints.iterdir()):
        checkpoints.rmdir()
    return removed


def refuse_foreign(folder: Path) -> None:
    """Raise FileExistsError if ``folder`` holds anything that no run writes (before overwrite)."""
    foreign = foreign_entries(folder)
    if foreign:
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        shown = ", ".join(foreign[:5]) + more
        raise FileExistsError(
            f"{folder} holds files that no training run writes ({shown}). Overwriting removes "
            "only a run's own files, so it does not start a run among others: move those "
            "elsewhere, or choose another folder."
        )


def committed_checkpoint(folder: Path, name: Any, epochs: int) -> Path | None:
    """Return the checkpoint prefix that ``history.json`` names (None before the first epoch).

    The name must be this folder's own ``epoch_NNNN`` for the last epoch, and its files must
    exist: a path read from a file never leads outside the run folder.
    """
    history = folder / HISTORY_FILE
    if name is None and epochs == 0:
        return None
    if name is None:
        raise ValueError(
            f"{history} records {epochs_phrase(epochs)} but names no checkpoint, so the run cannot "
            f"continue. To go on, {START_AGAIN}."
        )
    if not isinstance(name, str) or not _CHECKPOINT_NAME.fullmatch(name):
        raise ValueError(
            f"{history} names the checkpoint {name!r}, which is not one of this run folder's "
            f"own (checkpoints/epoch_NNNN), so it is not used. To go on, {START_AGAIN}."
        )
    if int(name.split("_")[1]) != epochs:
        raise ValueError(
            f"{history} records {epochs_phrase(epochs)} but names the checkpoint of epoch "
            f"{int(name.split('_')[1])}: the two do not belong together. "
            f"To go on, {START_AGAIN}."
        )
    prefix = folder / CHECKPOINT_DIR / name
    index = prefix.with_name(name + ".index")
    if not index.is_file() or not any(prefix.parent.glob(name + ".data-*")):
        missing = index if not index.is_file() else prefix.with_name(name + ".data-*")
        raise FileNotFoundError(
            f"{missing} is missing: {HISTORY_FILE} records {epochs_phrase(epochs)}, but the "
            "checkpoint of the last one is gone, so the run cannot continue. "
            f"({GENERATOR_FILE} still holds its generator.) To go on, {START_AGAIN}."
        )
    return prefix


# --------------------------------------------------------------------------- settings


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return a == b


def check_same_settings(folder: Path, saved: dict[str, Any], now: dict[str, Any]) -> None:
    """Raise ValueError naming every setting in which ``now`` differs from the saved run.

    Settings that the saved run did not record (an older version wrote it) are not compared.
    """
    differences = [
        f"{key} {saved[key]!r} (now {value!r})"
        for key, value in now.items()
        if key in saved and not _same(saved[key], value)
    ]
    if differences:
        raise ValueError(
            f"{folder} holds a run made with other settings: {'; '.join(differences)}. "
            "Resuming would mix two runs. To continue it, use the settings it was made with; "
            "to start again there, pass overwrite=True (--overwrite); or choose another folder."
        )


# --------------------------------------------------------------------------- errors


def describe_error(error: BaseException) -> str:
    """Return why a file operation failed, in words, with the file's name when it is known."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EFBIG: "the file is larger than this system allows",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "it is on a read-only disk",
    }
    code = getattr(error, "errno", None)
    reason = reasons.get(code) or getattr(error, "strerror", None)
    if reason is None:  # TensorFlow's errors: drop the op and function names around the text
        reason = getattr(error, "message", None) or str(error)
        reason = re.sub(r"\{\{.*?\}\}\s*|\s*\[Op:\w+\]", "", reason)
    filename = getattr(error, "filename", None)
    return f"{filename}: {reason}" if filename else reason


def write_error(folder: Path, error: BaseException, epoch: int) -> OSError:
    """Return the error for epoch ``epoch`` that could not be written to ``folder``."""
    if epoch > 1:
        kept = f"keeps its last complete epoch ({epoch - 1})"
        then = "then continue with resume=True (--resume)"
    else:
        kept, then = "holds no epoch yet", "then train again"
    return OSError(
        f"Could not write epoch {epoch} to {folder}: {describe_error(error)}. The folder "
        f"{kept}. Free some disk space or choose a folder you may write to, {then}."
    )


# --------------------------------------------------------------------------- the lock


def _process_alive(pid: int) -> bool:
    """Return True if a process with id ``pid`` runs on this machine (zombies do not count)."""
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _read_holder(path: Path) -> dict[str, Any] | None:
    """Return the lock's holder (pid, host, started, token), or None if it cannot be read."""
    try:
        holder = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if isinstance(holder, dict) and isinstance(holder.get("pid"), int):
        return holder
    return None


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return math.inf


class RunLock:
    """The lock of one run folder, held while a run trains there (a context manager).

    The lock file holds the process id, host, start time and a token of its holder.
    :meth:`heartbeat` keeps it fresh; :meth:`confirm` checks that it is still this lock's
    before each write, so a writer that lost it stops instead of mixing two runs.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_FILE
        self._token: str | None = None
        self._beat = 0.0

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.release()

    def _stale(self, holder: dict[str, Any] | None) -> bool:
        if holder is None:
            return _age(self.path) > _HALF_WRITTEN_SECONDS
        if holder.get("host") != socket.gethostname():
            return _age(self.path) > STALE_SECONDS
        if holder["pid"] == os.getpid():
            with _HELD_GUARD:
                return str(self.path.resolve()) not in _HELD
        return not _process_alive(holder["pid"])

    def _busy(self, holder: dict[str, Any] | None) -> RunFolderBusy:
        if holder is None:
            who = "another process (its lock file is being written)"
        elif holder["pid"] == os.getpid() and holder.get("host") == socket.gethostname():
            who = "this Python process, in a train() call that has not returned"
        else:
            host = holder.get("host")
            where = "" if host == socket.gethostname() else f" on {host}"
            who = f"process {holder['pid']}{where} (since {holder.get('started', '?')})"
        return RunFolderBusy(
            f"{self.folder} is in use: {who} is training in it. Wait for that run to end or "
            f"stop it, or choose another folder. If no training runs there any more, delete "
            f"the lock file {self.path}."
        )

    def acquire(self) -> None:
        """Create the lock file, taking over a stale one; RunFolderBusy if another holds it."""
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = _read_holder(self.path)
                if not self._stale(holder):
                    raise self._busy(holder) from None
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.path)
                continue
            except OSError as error:
                raise _cannot_use(self.folder, error) from error
            token = uuid.uuid4().hex
            holder = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                "token": token,
            }
            with os.fdopen(fd, "w") as handle:
                json.dump(holder, handle)
            self._token, self._beat = token, time.monotonic()
            with _HELD_GUARD:
                _HELD.add(str(self.path.resolve()))
            return
        raise self._busy(_read_holder(self.path))

    def heartbeat(self) -> None:
        """Refresh the lock file's time (at most every HEARTBEAT_SECONDS): it is not stale."""
        now = time.monotonic()
        if now - self._beat >= HEARTBEAT_SECONDS:
            self._beat = now
            with contextlib.suppress(OSError):
                os.utime(self.path)

    def confirm(self) -> None:
        """Raise RunFolderBusy unless the lock file is still this lock's."""
        holder = _read_holder(self.path)
        if holder is None or holder.get("token") != self._token:
            raise RunFolderBusy(
                f"This run lost its lock on {self.folder}: the lock file {self.path} was "
                "deleted or another process took it over, so this run stops without writing "
                "more. Make sure only one training run uses a folder."
            )

    def release(self) -> None:
        """Remove the lock file if it is still this lock's."""
        if self._token is None:
            return
        holder = _read_holder(self.path)
        if holder is not None and holder.get("token") == self._token:
            with contextlib.suppress(OSError):
                os.remove(self.path)
        with _HELD_GUARD:
            _HELD.discard(str(self.path.resolve()))
        self._token = None
