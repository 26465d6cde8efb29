"""The documented install brings every broker the docs name (pip install -e ., no
test extras): walk the runtime requirements of the wenku distribution."""

from __future__ import annotations

import re
from importlib import metadata

from packaging.requirements import Requirement


def _closure(root: str) -> set[str]:
    walked: set[tuple[str, frozenset[str]]] = set()
    pending: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while pending:
        name, extras = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if (key, extras) in walked:
            continue
        walked.add((key, extras))
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            wanted = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if requirement.marker and not any(
                requirement.marker.evaluate(env) for env in wanted
            ):
                continue
            pending.append((requirement.name, frozenset(requirement.extras)))
    return {key for key, _ in walked}


def test_runtime_install_brings_the_redis_and_rabbitmq_transports():
    runtime = _closure("wenku")
    # kombu.transport.redis imports redis and packaging; py-amqp is RabbitMQ's.
    assert {"celery", "kombu", "redis", "packaging", "amqp"} <= runtime
    # Test tools are not part of it (the check would prove nothing otherwise).
    assert "pytest" not in runtime
