"""One writer per output: the sidecar lock, for a file or a folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from extractor.errors import OutputLockedError, UsageError
from extractor.outputlock import hold_output, holder_pid, lock_path

HOLD = (
    "import sys, time; from pathlib import Path; from extractor.outputlock import hold_output\n"
    "with hold_output(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(60)"
)


def holder(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_second_holder_is_refused_at_once_with_the_pid(tmp_path, kind):
    output = tmp_path / ("out.jsonl" if kind == "file" else "out")
    if kind == "folder":
        output.mkdir()
    proc = holder(output)
    try:
        assert lock_path(output) == output.with_name(output.name + ".lock")
        assert holder_pid(output) == proc.pid
        started = time.perf_counter()
        with pytest.raises(OutputLockedError, match=f"process {proc.pid}") as caught, hold_output(output):
            pass
        assert time.perf_counter() - started < 1.0
        assert isinstance(caught.value, UsageError) and caught.value.pid == proc.pid
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holder_leaves_a_lock_file_that_does_not_block(tmp_path):
    output = tmp_path / "out.jsonl"
    proc = holder(output)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert lock_path(output).exists(), "SIGKILL leaves the file; the OS released the lock"
    with hold_output(output) as path:
        assert holder_pid(output) == os.getpid() and path.exists()
    assert not lock_path(output).exists()


def test_hold_is_reentrant_within_a_process(tmp_path):
    output = tmp_path / "out.jsonl"
    with hold_output(output), hold_output(output):
        assert lock_path(output).exists()
    assert not lock_path(output).exists()
