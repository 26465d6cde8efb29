"""A warm pool of hardened LibreOffice processes that turn office files into PDF.

Each pool process is a pair in one process group: `unohelper.py` running under the
system python3 (which has LibreOffice's `uno`), and the soffice it started with a fresh
profile from data/registrymodifications.xcu and Wenku's fonts.conf. Jobs go over the
helper's stdin/stdout as JSON lines. A process is recycled after `jobs_per_process`
jobs, and killed (whole group) on timeout or crash; the next job gets a fresh one.
Processes start lazily, so a Celery prefork child holds at most one at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import selectors
import shutil
import signal
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wenku.conversion import fonts, procs
from wenku.conversion.base import ConversionError, ConverterCrashed

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
HELPER = HERE / "unohelper.py"
PROFILE_TEMPLATE = HERE / "data" / "registrymodifications.xcu"
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
# soffice.bin itself, not the soffice script and its oosplash launcher: then the
# helper's death signal reaches the process that does the work.
SOFFICE_BINS = ("/usr/lib/libreoffice/program/soffice.bin",)
SOFFICES = ("/usr/lib/libreoffice/program/soffice", "/usr/bin/soffice")


@dataclass(frozen=True)
class PoolConfig:
    """How big the pool is and how each process is bounded."""

    size: int = 2
    jobs_per_process: int = 200
    job_timeout: float = 120.0
    memory_limit_bytes: int = 2048 * 1024 * 1024
    startup_timeout: float = 60.0
    uno_python: str = ""
    soffice: str = ""  # soffice.bin, started by the helper
    font_cache: str = ""


def find_uno_python(explicit: str = "") -> str:
    """`explicit`, else a python that can `import uno` (Debian's python3-uno), or raise."""
    for candidate in (explicit,) if explicit else UNO_PYTHONS:
        if candidate and Path(candidate).exists():
            return candidate
    raise ConversionError("unsupported", "LibreOffice python3-uno is not installed")


def find_soffice(explicit: str = "") -> str:
    """`explicit`, else Debian's soffice, else the one on PATH, or raise."""
    for candidate in (explicit, *SOFFICES):
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which("soffice")
    if not found:
        raise ConversionError("unsupported", "LibreOffice is not installed")
    return found


def find_soffice_bin(explicit: str = "") -> str:
    """`explicit`, else Debian's soffice.bin, else the one beside soffice."""
    for candidate in (explicit, *SOFFICE_BINS):
        if candidate and Path(candidate).exists():
            return candidate
    soffice = Path(find_soffice()).resolve()
    return str(soffice.with_name("soffice.bin"))


def write_profile(directory: Path) -> None:
    """A fresh, hardened LibreOffice user profile in `directory`."""
    user = directory / "user"
    user.mkdir(parents=True, exist_ok=True)
    template = PROFILE_TEMPLATE.read_text(encoding="utf-8")
    xcu = template.replace("@FONT_PAIRS@", fonts.profile_font_pairs())
    (user / "registrymodifications.xcu").write_text(xcu, encoding="utf-8")


class CrashedOnFile(ConverterCrashed):
    """soffice itself aborted while handling the file (not killed from outside)."""


class OfficeProcess:
    """One helper + soffice pair with its own profile directory."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self.jobs = 0
        self.root = Path(tempfile.mkdtemp(prefix=f"wenku-lo-{os.getpid()}-"))
        profile = self.root / "profile"
        write_profile(profile)
        (self.root / "tmp").mkdir()
        fonts_conf = self.root / "fonts.conf"
        fonts_conf.write_text(
            fonts.fontconfig_xml(faces=fonts.prepare_faces(cache=config.font_cache)),
            encoding="utf-8",
        )
        env = procs.clean_env(
            {
                "HOME": str(self.root),
                "TMPDIR": str(self.root / "tmp"),
                "FONTCONFIG_FILE": str(fonts_conf),
                "SAL_USE_VCLPLUGIN": "svp",
                "LANG": "C.UTF-8",
            }
        )
        self._log = (self.root / "helper.log").open("wb")
        self.process = procs.spawn(
            [
                find_uno_python(config.uno_python),
                str(HELPER),
                "--soffice",
                find_soffice_bin(config.soffice),
                "--profile",
                str(profile),
                "--pipe",
                f"wenku-{os.getpid()}-{uuid.uuid4().hex[:12]}",
                "--startup-timeout",
                str(config.startup_timeout),
            ],
            memory_bytes=config.memory_limit_bytes,
            env=env,
            cwd=self.root,
            stderr=self._log.fileno(),
        )
        self._buffer = b""
        try:
            hello = self._read_reply(config.startup_timeout + 5)
        except ConversionError:
            self.close()
            raise ConverterCrashed("crashed", "LibreOffice did not start") from None
        self.soffice_pid = int(hello.get("soffice_pid", 0))

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def convert(self, source: Path, target: Path, **options: Any) -> dict[str, Any]:
        """Convert one file; raise ConversionError on a bad file or a timeout."""
        self.jobs += 1
        request = {"input": str(source), "output": str(target), **options}
        assert self.process.stdin is not None  # noqa: S101 — spawned with a pipe
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self.close()
            raise ConverterCrashed("crashed", "LibreOffice exited") from None
        result = self._read_reply(self.config.job_timeout)
        if not result.get("ok"):
            code = str(result.get("code") or "corrupt")
            if code == "crashed":
                self.close()
                if result.get("exit") == -signal.SIGKILL:  # OOM killer, operator
                    raise ConverterCrashed("crashed", "LibreOffice was killed")
                raise CrashedOnFile("crashed", "LibreOffice aborted on this file")
            raise ConversionError(code, str(result.get("detail", ""))[:200])
        return result

    def _read_reply(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        stdout = self.process.stdout
        assert stdout is not None  # noqa: S101 — spawned with a pipe
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.close()
                    raise ConversionError("timeout", f"over {timeout:.0f}s")
                if not selector.select(remaining):
                    continue
                chunk = os.read(stdout.fileno(), 65536)
                if not chunk:
                    self.close()
                    raise ConverterCrashed("crashed", "LibreOffice exited")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def close(self) -> None:
        """Kill the helper and soffice together and remove the profile."""
        procs.kill_group(self.process)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream and stream.close()
        self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)


class OfficePool:
    """Up to `size` warm OfficeProcesses shared by the threads of one process."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self._idle: list[OfficeProcess] = []
        self._count = 0
        self._starting = 0
        self._cond = threading.Condition()
        self._closed = False

    def convert(self, source: Path, target: Path, **options: Any) -> dict[str, Any]:
        """Convert `source` to PDF at `target` on a warm process.

        options (all optional): filter (import filter name), options (its
        FilterOptions string), plain_pages (drop Calc's default header/footer).
        """
        # soffice resolves file URLs itself: a relative path is an "Unsupported URL".
        source, target = source.resolve(), target.resolve()
        process = self._checkout()
        try:
            return process.convert(source, target, **options)
        finally:
            self._checkin(process)

    def warm(self, count: int = 1) -> None:
        """Start processes now so the first job does not wait for LibreOffice."""
        started = [self._checkout() for _ in range(min(count, self.config.size))]
        for process in started:
            self._checkin(process)

    def warm_in_background(self, count: int = 1) -> None:
        threading.Thread(target=self._warm_quietly, args=(count,), daemon=True).start()

    def _warm_quietly(self, count: int) -> None:
        try:
            self.warm(count)
        except ConversionError as exc:
            logger.warning("LibreOffice pool warm-up failed: %s", exc)

    def soffice_pids(self) -> list[int]:
        """soffice pids of idle processes (for health checks and tests)."""
        with self._cond:
            return [p.soffice_pid for p in self._idle if p.alive]

    def _checkout(self) -> OfficeProcess:
        with self._cond:
            while True:
                while self._idle:
                    process = self._idle.pop()
                    if process.alive:
                        return process
                    self._count -= 1
                    process.close()
                # A process still starting (e.g. the worker's warm-up) will be free
                # sooner than a new one: wait for it rather than start a second.
                if not self._starting and self._count < self.config.size:
                    self._count += 1
                    self._starting += 1
                    break
                self._cond.wait()
        try:
            return OfficeProcess(self.config)
        except BaseException:
            with self._cond:
                self._count -= 1
                raise
        finally:
            with self._cond:
                self._starting -= 1
                self._cond.notify_all()

    def _checkin(self, process: OfficeProcess) -> None:
        recycle = (
            self._closed
            or not process.alive
            or process.jobs >= self.config.jobs_per_process
        )
        if recycle:
            process.close()
        with self._cond:
            if recycle:
                self._count -= 1
            else:
                self._idle.append(process)
            self._cond.notify_all()

    def close(self) -> None:
        """Stop every idle process; busy ones stop when they are checked in."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for process in idle:
            process.close()


_pools: dict[tuple[int, PoolConfig], OfficePool] = {}
_pools_lock = threading.Lock()


def shared_pool(config: PoolConfig) -> OfficePool:
    """This process's pool for `config` (a forked child never reuses its parent's)."""
    key = (os.getpid(), config)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = OfficePool(config)
        return pool


@atexit.register
def close_pools() -> None:
    """Stop this process's LibreOffice processes (at exit and worker shutdown)."""
    with _pools_lock:
        mine = [key for key in _pools if key[0] == os.getpid()]
        pools = [_pools.pop(key) for key in mine]
    for pool in pools:
        pool.close()


def convert_with_soffice_cli(
    source: Path,
    outdir: Path,
    *,
    timeout: float,
    fmt: str = "pdf",
    hardened: bool = False,
    memory_limit_bytes: int | None = None,
    soffice: str = "",
    font_cache: str = "",
) -> Path:
    """A fresh soffice (and profile) for one file: the naive baseline for benchmarks,
    test sample making (e.g. .doc from .docx), and, `hardened`, the pool's fallback
    for files that crash a warm soffice (see OfficeConverter)."""
    root = Path(tempfile.mkdtemp(prefix=f"wenku-lo-{os.getpid()}-cli-"))
    env = {"HOME": str(root)}
    if hardened:
        write_profile(root / "profile")
        (root / "fonts.conf").write_text(
            fonts.fontconfig_xml(faces=fonts.prepare_faces(cache=font_cache)),
            encoding="utf-8",
        )
        env.update(FONTCONFIG_FILE=str(root / "fonts.conf"), SAL_USE_VCLPLUGIN="svp")
    try:
        procs.run(
            [
                find_soffice(soffice),
                "--headless",
                "--norestore",
                "--nologo",
                "--nolockcheck",
                f"-env:UserInstallation=file://{root / 'profile'}",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(source),
            ],
            timeout=timeout,
            memory_bytes=memory_limit_bytes,
            env=procs.clean_env(env),
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return outdir / f"{source.stem}.{fmt.split(':')[0]}"
