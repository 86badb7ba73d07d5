"""One writer per output: an exclusive OS lock on a sidecar ``OUTPUT.lock`` held for the whole run.

``with hold_output(path):`` takes ``fcntl.flock(LOCK_EX | LOCK_NB)`` on ``<path>.lock`` (beside the
output, so it works for a file or a folder, and survives the output being replaced), writes the
holder's PID into it, and removes it on exit. A second process asking for the same output fails at
once with ``OutputLockedError`` naming the holder's PID; it never waits. The OS releases the lock
when the holder dies, however it dies, so a stale ``.lock`` file left by a killed run is harmless.
flock is advisory and local: it protects against other runs of this tool on this machine (on NFS it
depends on the server).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from extractor.errors import OutputLockedError

_held: dict[Path, int] = {}  # lock files this process holds → how many nested holds
_held_lock = threading.Lock()


def lock_path(output: Path) -> Path:
    """The sidecar lock of ``output``: ``results.jsonl`` → ``results.jsonl.lock``, ``out/`` → ``out.lock``."""
    output = Path(output)
    return output.with_name(output.name + ".lock")


def holder_pid(output: Path) -> int | None:
    """The PID recorded in ``output``'s lock file, if it can be read."""
    try:
        return int(lock_path(output).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _acquire(path: Path, output: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid = holder_pid(output)
            who = f"process {pid}" if pid else "another process"
            raise OutputLockedError(
                f"{output} is being written by {who} (lock {path}); wait for it to finish or choose another output",
                pid=pid,
            ) from None
        except BaseException:
            os.close(fd)
            raise
        # The holder before us may have removed the file between our open and our flock: then we hold
        # a lock on a file nobody else can see. Only a lock on the file at ``path`` counts.
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


@contextlib.contextmanager
def hold_output(output: Path) -> Iterator[Path]:
    """Hold ``output`` (a file or a folder) exclusively for the ``with`` block; yields the lock file's path.

    Re-entrant within one process (a CLI can take it early, before loading a model, and the library
    call inside takes it again); exclusive across processes.
    """
    path = lock_path(Path(output)).absolute()
    with _held_lock:
        if path in _held:
            _held[path] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield path
        finally:
            with _held_lock:
                _held[path] -= 1
        return
    fd = _acquire(path, Path(output))
    with _held_lock:
        _held[path] = 1
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.fsync(fd)
        yield path
    finally:
        with _held_lock:
            del _held[path]
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # while still locked: a waiter that opened the old file retries on the new one
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
