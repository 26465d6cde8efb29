"""The scale-out shape as processes, exactly as docs/deployment.md runs it.

PostgreSQL (a database of its own), a real S3 endpoint (moto's server mode), one web
process under gunicorn, two workers with data folders of their own (two "machines"):
one `wenku worker --beat`, one `wenku worker`. Per broker (Redis and RabbitMQ):

- upload → publish → buy → download through the HTTP API; the bytes come back from
  the bucket through a presigned Signature V4 URL;
- SIGKILL of the worker converting a long document → it publishes within 60 s;
- SIGKILL of the `--beat` worker → after its restart exactly one scheduler runs.

Runs once per test command (marker `scaleout`), not once per database backend.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import redis

from conftest import require_tool

pytestmark = [pytest.mark.scaleout, pytest.mark.services, pytest.mark.libreoffice]

PG_ADMIN = "postgresql://root:root@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("WENKU_SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/14")
AMQP_URL = os.environ.get(
    "WENKU_SCALEOUT_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"
)
WENKU = [sys.executable, "-m", "wenku.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} ({last})")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _http(
    method: str,
    url: str,
    *,
    token: str = "",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    follow: bool = True,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, method=method)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    opener = (
        urllib.request.build_opener()
        if follow
        else urllib.request.build_opener(NoRedirect)
    )
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
    except OSError:  # not listening yet
        return 0, {}, b""


def _json(method: str, url: str, payload: dict, token: str = "") -> tuple[int, dict]:
    status, _, body = _http(
        method,
        url,
        token=token,
        body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    return status, json.loads(body or b"{}")


def _multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
    )
    out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _pdf(pages: int, title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        sheet.setFont("Helvetica", 14)
        sheet.drawString(72, 770, f"{title} page {number}")
        for line in range(40):
            sheet.drawString(72, 740 - line * 16, f"line {line} of page {number} " * 3)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _schedulers(env_marker: str) -> list[int]:
    """Live `celery beat` processes of this test (their environment names the site)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        if "celery -A wenku beat" not in _cmdline(pid) or not _alive(pid):
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if env_marker.encode() in environ:
            found.append(pid)
    return found


@dataclass
class Site:
    """The processes of one scale-out site and how to reach them."""

    env: dict[str, str]
    web_url: str
    database: str
    root: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def machine_env(self, name: str) -> dict[str, str]:
        folder = self.root / name
        folder.mkdir(exist_ok=True)
        return dict(self.env, WENKU_DATA_DIR=str(folder))

    def start(self, name: str, argv: list[str], machine: str) -> None:
        log = (self.root / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            argv,
            env=self.machine_env(machine),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def run(self, argv: list[str], machine: str = "web") -> str:
        done = subprocess.run(
            argv,
            env=self.machine_env(machine),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def sql(self, query: str, *params: object) -> list[tuple]:
        with psycopg.connect(
            f"postgresql://root:root@127.0.0.1:5432/{self.database}"
        ) as conn:
            return conn.execute(query, params).fetchall()

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def s3_endpoint(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path / "moto.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _http("GET", url)[0] == 200, 60, "moto's S3 endpoint")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def database() -> Iterator[str]:
    name = f"wenku_scaleout_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _broker_ready(broker: str) -> None:
    if broker.startswith("redis"):
        client = redis.Redis.from_url(broker, socket_connect_timeout=2)
        client.ping()
        client.flushdb()
    else:
        from kombu import Connection

        with Connection(broker, connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=1)
            # Left from an earlier run: gone, so the workers declare it afresh.
            conn.default_channel.queue_delete("wenku")


@pytest.fixture(params=["redis", "rabbitmq"])
def site(request, tmp_path: Path, s3_endpoint: str, database: str) -> Iterator[Site]:
    require_tool("soffice")
    broker = REDIS_URL if request.param == "redis" else AMQP_URL
    try:
        _broker_ready(broker)
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{request.param} is required under CI at {broker}: {exc}")
        pytest.skip(f"{request.param} not running: {exc}")
    port = _free_port()
    marker = f"scaleout-{secrets.token_hex(6)}"
    # The environment every machine shares (docs/deployment.md, "Scale-out").
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WENKU_", "DJANGO_"))
    }
    env.update(
        WENKU_SECRET_KEY=f"{marker}-{secrets.token_urlsafe(32)}",
        WENKU_DATABASE_URL=f"postgres://root:root@127.0.0.1:5432/{database}",
        WENKU_BROKER_URL=broker,
        WENKU_STORAGE="s3",
        WENKU_S3_BUCKET=f"wenku-{secrets.token_hex(4)}",
        WENKU_S3_ENDPOINT_URL=s3_endpoint,
        WENKU_S3_ACCESS_KEY="scaleout",
        WENKU_S3_SECRET_KEY="scaleout-secret",
        WENKU_S3_REGION="us-east-1",
        WENKU_S3_ADDRESSING_STYLE="path",
        WENKU_SITE_URL=f"http://127.0.0.1:{port}",
        WENKU_CONVERT_LEASE="6",
        WENKU_CONVERT_SWEEP_EVERY="2",
        WENKU_WORKER_CONCURRENCY="1",
        WENKU_CONVERT_POOL_SIZE="1",
    )
    result = Site(env, f"http://127.0.0.1:{port}", database, tmp_path)
    result.run([*WENKU, "setup"])  # migrations, static files, the bucket
    assert "created bucket" not in result.run([*WENKU, "setup"])  # idempotent
    web = [sys.executable, "-m", "gunicorn", "wenku.wsgi:application"]
    web += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"]
    web += ["--control-socket", str(tmp_path / "web" / "gunicorn.ctl")]
    result.start("web", web, machine="web")
    result.start("worker-a", [*WENKU, "worker", "--beat"], machine="worker-a")
    result.start("worker-b", [*WENKU, "worker"], machine="worker-b")
    try:
        _wait_for(lambda: _http("GET", result.web_url + "/")[0] == 200, 90, "the web")
        yield result
    finally:
        result.stop()


def _members(site: Site) -> tuple[str, str]:
    tokens = []
    for name in ("seller", "buyer"):
        status, body = _json(
            "POST",
            site.web_url + "/api/auth/register",
            {"username": name, "password": "Scale-out-2026!", "display_name": name},
        )
        assert status == 201, body
        status, body = _json(
            "POST",
            site.web_url + "/api/auth/token",
            {"username": name, "password": "Scale-out-2026!"},
        )
        assert status == 200, body
        tokens.append(body["token"])
    site.run([*WENKU, "points", "grant", "buyer", "100", "--reason", "scale-out test"])
    return tokens[0], tokens[1]


def _upload(site: Site, token: str, name: str, data: bytes, price: int) -> int:
    body, content_type = _multipart({"price": str(price), "agree": "true"}, name, data)
    status, _, answer = _http(
        "POST",
        site.web_url + "/api/documents",
        token=token,
        body=body,
        headers={"Content-Type": content_type},
    )
    assert status == 201, answer
    return int(json.loads(answer)["number"])


def _status(site: Site, number: int, token: str) -> str:
    status, _, body = _http(
        "GET", f"{site.web_url}/api/documents/{number}", token=token
    )
    return json.loads(body).get("status", "") if status == 200 else f"http {status}"


def test_scale_out_round_trip_worker_kill_and_one_scheduler(site: Site) -> None:
    seller, buyer = _members(site)

    # 1. Upload → publish → buy → download, bytes back from the bucket.
    original = _pdf(3, "Scale-out round trip")
    number = _upload(site, seller, "round-trip.pdf", original, price=5)
    _wait_for(
        lambda: _status(site, number, seller) == "published", 90, "the publication"
    )
    status, _, body = _http(
        "POST",
        f"{site.web_url}/api/documents/{number}/purchase",
        token=buyer,
        body=json.dumps({"expected_price": 5}).encode(),
        headers={
            "Idempotency-Key": uuid.uuid4().hex,
            "Content-Type": "application/json",
        },
    )
    assert status == 200, body
    bought = json.loads(body)
    assert (bought["charged"], bought["price"], bought["entitled"]) == (True, 5, True)
    status, headers, _ = _http(
        "GET",
        f"{site.web_url}/api/documents/{number}/download",
        token=buyer,
        follow=False,
    )
    assert status == 302
    status, headers, _ = _http(
        "GET", site.web_url + headers["Location"], token=buyer, follow=False
    )
    assert status == 302
    presigned = headers["Location"]
    assert presigned.startswith(site.env["WENKU_S3_ENDPOINT_URL"])
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in presigned  # Signature V4
    status, _, downloaded = _http("GET", presigned)
    assert (status, downloaded) == (200, original)
    # A page image leaves through the bucket too, not through the web process.
    status, headers, _ = _http(
        "GET", f"{site.web_url}/documents/{number}/page/1.webp", follow=False
    )
    assert status == 302 and "X-Amz-Signature=" in headers["Location"]
    assert _http("GET", headers["Location"])[2][:4] == b"RIFF"

    # 2. SIGKILL the worker converting a long document: it still publishes ≤ 60 s.
    long_number = _upload(site, seller, "long.pdf", _pdf(60, "Scale-out kill"), price=0)

    def claimed() -> int:
        rows = site.sql(
            "SELECT lease_owner FROM documents_document WHERE number = %s "
            "AND progress_stage = 'rendering'",
            long_number,
        )
        return int(rows[0][0].rsplit(":", 1)[1]) if rows and rows[0][0] else 0

    child = _wait_for(claimed, 90, "a worker rendering the long document")
    stat = Path(f"/proc/{child}/stat").read_text()
    worker_main = int(stat.rsplit(")", 1)[1].split()[1])
    assert "celery -A wenku worker" in _cmdline(worker_main)
    # The machine is lost: the worker and the process rendering (an orphaned pool
    # child would otherwise finish the job), so another worker must take it over.
    os.kill(worker_main, signal.SIGKILL)
    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()

    def finished() -> bool:
        # Published early is not enough: every page rendered, the job done.
        rows = site.sql(
            "SELECT status, rendered_pages, progress_stage FROM documents_document "
            "WHERE number = %s",
            long_number,
        )
        return rows[0] == ("published", 60, "done")

    _wait_for(finished, 60, "the long document to publish after the kill")
    assert _status(site, long_number, seller) == "published"
    recovered_in = time.monotonic() - killed_at
    rows = site.sql(
        "SELECT page_count, conversion_attempts FROM documents_document "
        "WHERE number = %s",
        long_number,
    )
    assert rows[0][0] == 60
    assert rows[0][1] >= 2
    print(f"published {recovered_in:.1f} s after SIGKILL of its worker")

    # 3. SIGKILL the --beat worker: after a restart exactly one scheduler runs.
    marker = site.env["WENKU_SECRET_KEY"]
    old = _wait_for(lambda: _schedulers(marker), 30, "the scheduler")
    assert len(old) == 1
    beat_worker = site.processes["worker-a"]
    os.kill(beat_worker.pid, signal.SIGKILL)
    beat_worker.wait()
    _wait_for(lambda: not _schedulers(marker), 30, "the old scheduler to exit")
    site.start("worker-a", [*WENKU, "worker", "--beat"], machine="worker-a")
    new = _wait_for(lambda: _schedulers(marker), 60, "the restarted scheduler")
    time.sleep(3)  # a second scheduler, if one could start, would be up by now
    assert len(_schedulers(marker)) == 1
    assert new[0] not in old
