"""A bare Celery app for bench/broker: one task, the transport chosen by environment.

BENCH_BROKER=sqlite uses Wenku's embedded transport (wenku/broker.py) on
$BENCH_DIR/broker.sqlite3; BENCH_BROKER=filesystem uses kombu's filesystem transport
configured as Wenku configured it before (folders in $BENCH_DIR); both poll every
BENCH_POLL seconds (default 0.01, the embedded setting).
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

TRANSPORT_ALIASES["wenku-sqlite"] = "wenku.broker:Transport"

folder = Path(os.environ["BENCH_DIR"])
kind = os.environ["BENCH_BROKER"]
app = Celery("bench")
if kind == "sqlite":
    app.conf.broker_url = f"wenku-sqlite+sqlite://{folder / 'broker.sqlite3'}"
    app.conf.broker_transport_options = {
        "polling_interval": float(os.environ.get("BENCH_POLL", "0.01"))
    }
    app.conf.worker_enable_remote_control = False
elif kind == "filesystem":
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(exist_ok=True)
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": float(os.environ.get("BENCH_POLL", "0.01")),
    }
else:
    app.conf.broker_url = kind
app.conf.task_acks_late = True
app.conf.worker_prefetch_multiplier = 1
app.conf.task_ignore_result = True
app.conf.task_default_queue = "bench"


@app.task(name="bench.ping")
def ping(marker: str, payload: str) -> None:
    Path(marker).write_text(payload, encoding="utf-8")
