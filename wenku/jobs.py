"""Queue a Celery task by name after the current transaction commits.

Services queue work through here rather than importing their app's tasks module, so
that tasks (which call services) and services never import each other. The task
object registered in this process is used when there is one (eager mode and tests'
stand-ins work through it); otherwise the message is sent by name to the workers.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from wenku.celery import app

logger = logging.getLogger(__name__)


def send(name: str, **kwargs: Any) -> None:
    """Queue task `name` now."""
    task = app.tasks.get(name)
    if task is None and app.conf.task_always_eager:
        app.autodiscover_tasks(force=True)  # eager runs it here: load the tasks
        task = app.tasks.get(name)
    if task is not None:
        task.delay(**kwargs)
    else:
        app.send_task(name, kwargs=kwargs)


def enqueue_on_commit(name: str, **kwargs: Any) -> None:
    """Queue task `name` once the current transaction commits.

    robust: a broker that is down must not fail the request that queued the work;
    the periodic sweeps of each app pick up what was not queued.
    """
    transaction.on_commit(lambda: send(name, **kwargs), robust=True)
