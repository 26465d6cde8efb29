"""The one way Wenku runs external programs: own process group, timeout, memory cap."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

# Variables passed through to converters; everything else (proxies, secrets,
# database URLs) stays out of their environment.
ENV_ALLOWLIST = ("PATH", "LANG", "LC_ALL", "TZ")


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: bytes
    stderr: bytes


class TimedOut(Exception):
    """The program ran past its deadline and its whole process group was killed."""


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal environment for a converter process."""
    env = {key: os.environ[key] for key in ENV_ALLOWLIST if key in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.update(extra or {})
    return env


def limiter(memory_bytes: int | None) -> Callable[[], None]:
    """preexec_fn: cap address space (inherited by every child) and core dumps."""

    def _apply() -> None:
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return _apply


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group a converter started in, then reap the leader."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def spawn(
    argv: list[str],
    *,
    memory_bytes: int | None,
    env: Mapping[str, str],
    cwd: Path | None = None,
    stdin: int | None = subprocess.PIPE,
    stdout: int | None = subprocess.PIPE,
    stderr: int | None = subprocess.PIPE,
) -> subprocess.Popen[bytes]:
    """Start a long-lived program as the leader of a new process group."""
    return subprocess.Popen(
        argv,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,  # own group: kill_group() reaches grandchildren
        preexec_fn=limiter(memory_bytes),
        close_fds=True,
    )


def run(
    argv: list[str],
    *,
    timeout: float,
    memory_bytes: int | None = None,
    input_bytes: bytes | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Completed:
    """Run a program to completion; on timeout kill its whole group and raise TimedOut."""
    process = spawn(
        argv,
        memory_bytes=memory_bytes,
        env=env if env is not None else clean_env(),
        cwd=cwd,
        stdin=subprocess.PIPE if input_bytes is not None else subprocess.DEVNULL,
    )
    try:
        stdout, stderr = process.communicate(input=input_bytes, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        kill_group(process)
        raise TimedOut(f"{argv[0]} ran longer than {timeout:.0f}s") from exc
    except BaseException:
        kill_group(process)
        raise
    # A well-behaved program may still leave children behind; they die with it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    return Completed(process.returncode, stdout, stderr)


# Scratch folders are named wenku-<kind>-<pid>-…: a job, a LibreOffice profile, an
# upload. A process killed outright leaves its folders behind.
_SCRATCH = re.compile(r"^wenku-(?:job|lo|up)-(\d+)-")


def sweep_scratch(folder: Path | None = None) -> list[Path]:
    """Delete scratch folders whose process is gone; returns what was deleted."""
    root = folder or Path(tempfile.gettempdir())
    removed = []
    for entry in root.iterdir():
        match = _SCRATCH.match(entry.name)
        if match is None or not entry.is_dir() or _alive(int(match.group(1))):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
