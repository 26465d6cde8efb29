"""A real Celery worker process completes a task through the embedded broker and Redis."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from wenku.cli import worker_argv

REDIS_URL = os.environ.get("WENKU_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


def _run_ping_through(tmp_path: Path, broker_url: str, transport_options: dict) -> str:
    env = dict(
        os.environ, WENKU_BROKER_URL=broker_url, WENKU_DATA_DIR=str(settings.DATA_DIR)
    )
    worker = subprocess.Popen(
        worker_argv(1, pool="solo"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        sender = Celery("sender", broker=broker_url)
        sender.conf.broker_transport_options = transport_options
        marker = tmp_path / f"{uuid.uuid4().hex}.txt"
        payload = f"完成 {uuid.uuid4().hex}"
        sender.send_task(
            "wenku.ping",
            kwargs={"marker": str(marker), "payload": payload},
            queue="wenku",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not marker.exists():
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.1)
        assert marker.exists(), "worker did not complete the task within 60 s"
        assert marker.read_text(encoding="utf-8") == payload
        return payload
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_worker_completes_task_on_embedded_broker(tmp_path):
    assert settings.EMBEDDED_BROKER
    assert (
        f"wenku-sqlite+sqlite://{settings.DATA_DIR / 'broker.sqlite3'}"
    ) == settings.CELERY_BROKER_URL
    result = _run_ping_through(
        tmp_path, settings.CELERY_BROKER_URL, settings.CELERY_BROKER_TRANSPORT_OPTIONS
    )
    assert result.startswith("完成 ")


def test_worker_completes_task_on_redis(tmp_path):
    if not _redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI at {REDIS_URL}")
        pytest.skip("Redis not running")
    result = _run_ping_through(tmp_path, REDIS_URL, {})
    assert result.startswith("完成 ")


def test_embedded_broker_keeps_messages_on_disk(tmp_path):
    """Queued work survives a restart: the message is a row in the broker file."""
    path = tmp_path / "broker.sqlite3"
    sender = Celery("sender", broker=f"wenku-sqlite+sqlite://{path}")
    sender.send_task(
        "wenku.ping", kwargs={"marker": "/dev/null", "payload": "x"}, queue="wenku"
    )
    rows = (
        sqlite3.connect(path).execute("SELECT queue, payload FROM message").fetchall()
    )
    assert len(rows) == 1
    assert rows[0][0] == "wenku"
    assert json.loads(rows[0][1])["headers"]["task"] == "wenku.ping"


def test_worker_command_line_runs_periodic_jobs_only_when_asked():
    plain = worker_argv(2)
    assert "--beat" not in plain
    with_beat = worker_argv(2, beat_schedule="/tmp/x/celerybeat-schedule")
    assert with_beat[-3:] == ["--beat", "--schedule", "/tmp/x/celerybeat-schedule"]
    assert (
        settings.CELERY_BEAT_SCHEDULE["refresh-related-documents"]["task"]
        == "wenku.search.refresh_stale_related"
    )
