"""`wenku serve` as a supervisor: a killed worker comes back, the web never stops,
and nothing outlives a killed supervisor (so a restart runs one scheduler)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from wenku.supervisor import Child, Supervisor

pytestmark = pytest.mark.services


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> dict[int, str]:
    """Direct children of `pid`: pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found[int(entry.name)] = cmdline
    return found


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except OSError:
        return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_serve_restarts_a_killed_worker_and_keeps_serving(tmp_path):
    port = _free_port()
    env = dict(
        os.environ,
        WENKU_DATA_DIR=str(tmp_path),
        WENKU_DATABASE_URL=f"sqlite:///{tmp_path / 'wenku.sqlite3'}",
        WENKU_PORT=str(port),
        WENKU_WORKER_CONCURRENCY="1",
    )
    env.pop("WENKU_BROKER_URL", None)
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "wenku.cli", "serve", "--web-workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    home = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: _status(home) == 200, 120, "the site to answer")

        def role(name: str) -> int | None:
            for pid, cmdline in _children(serve.pid).items():
                if f"celery -A wenku {name}" in cmdline:
                    return pid
            return None

        worker = _wait_for(lambda: role("worker"), 30, "the worker")
        beat = _wait_for(lambda: role("beat"), 30, "the scheduler")
        os.kill(worker, signal.SIGKILL)
        assert _status(home) == 200  # the web server did not notice
        restarted = _wait_for(
            lambda: (pid := role("worker")) and pid != worker and pid,
            30,
            "a new worker",
        )
        assert restarted != worker
        assert role("beat") == beat
        assert _status(home) == 200
        log.flush()
        text = (tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")
        assert "worker exited with status -9; restarting in 1 s" in text

        # Killed outright, the supervisor takes its children with it.
        children = list(_children(serve.pid))
        os.kill(serve.pid, signal.SIGKILL)
        serve.wait()
        _wait_for(
            lambda: not any(_alive(pid) for pid in children), 30, "the children to exit"
        )
    finally:
        if serve.poll() is None:
            serve.terminate()
            serve.wait(timeout=30)
        log.close()


def test_a_child_that_keeps_failing_is_retried_with_growing_pauses(tmp_path):
    marker = tmp_path / "runs"
    child = Child("flaky", ["sh", "-c", f"echo x >> {marker}; exit 3"])
    supervisor = Supervisor([child])
    child.start()
    child.process.wait()
    supervisor.tend(now=100.0)  # noticed: next start after 1 s
    assert (child.exits, child.next_start, child.process) == ([3], 101.0, None)
    supervisor.tend(now=101.0)
    child.process.wait()
    supervisor.tend(now=101.5)  # the second pause is 2 s
    assert (child.exits, child.next_start) == ([3, 3], 103.5)
    supervisor.tend(now=102.0)
    assert child.process is None  # still pausing
    assert marker.read_text().count("x") == 2


def test_a_second_scheduler_on_the_same_schedule_exits(tmp_path):
    from wenku.cli import beat_argv

    env = dict(os.environ, WENKU_DATA_DIR=str(tmp_path))
    env.pop("WENKU_BROKER_URL", None)
    schedule = str(tmp_path / "celerybeat-schedule")
    first = subprocess.Popen(
        beat_argv(schedule),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(lambda: Path(f"{schedule}.lock").exists(), 30, "the first scheduler")
        time.sleep(1)
        second = subprocess.run(
            beat_argv(schedule), env=env, capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 3
        assert "another scheduler runs on" in second.stderr + second.stdout
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(timeout=30)
