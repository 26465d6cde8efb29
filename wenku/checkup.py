"""`wenku check`: is this machine ready to run its part of the site?

Each check gives a verdict (ok / FAIL) and one line an operator can act on. `wenku
serve` runs every check at start; `wenku worker` the worker's; a web machine behind
gunicorn runs `wenku check --role web`. A failing check stops `serve`/`worker` before
they start half-working.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from kombu import Connection

from wenku.conversion import fonts, office
from wenku.conversion.base import ConversionError
from wenku.storage import bucket_status


@dataclass(frozen=True)
class Verdict:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name:<12} {self.detail}"


def check_settings() -> Verdict:
    problems = []
    if settings.PRODUCTION and not settings.SECRET_KEY_FROM_ENV:
        problems.append(
            "WENKU_SECRET_KEY is not set (every machine needs the same key)"
        )
    if not settings.EMBEDDED_BROKER and not settings.SECRET_KEY_FROM_ENV:
        problems.append(
            "a shared broker but a per-machine secret key: set WENKU_SECRET_KEY to "
            "the same value on every machine, or sessions and download links break"
        )
    if settings.PRODUCTION and settings.DEBUG:
        problems.append("WENKU_DEBUG is on in production")
    if problems:
        return Verdict("settings", False, "; ".join(problems))
    source = (
        "from WENKU_SECRET_KEY"
        if settings.SECRET_KEY_FROM_ENV
        else "from the data folder"
    )
    return Verdict("settings", True, f"secret key {source}")


def check_database() -> Verdict:
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return Verdict("database", False, f"{connection.vendor}: {exc}")
    if pending:
        return Verdict(
            "database",
            False,
            f"{len(pending)} migrations not applied: run `wenku setup`",
        )
    return Verdict("database", True, f"{connection.vendor}, migrations applied")


def check_broker() -> Verdict:
    url = settings.CELERY_BROKER_URL
    try:
        with Connection(
            url, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=5)
            conn.default_channel  # noqa: B018 — opens a channel (the embedded file too)
    except Exception as exc:
        return Verdict("broker", False, f"{settings.BROKER_URL}: {exc}")
    shown = (
        "embedded" if settings.EMBEDDED_BROKER else settings.BROKER_URL.split("@")[-1]
    )
    return Verdict("broker", True, shown)


def check_bucket() -> Verdict:
    ok, what = bucket_status()
    if not ok:
        what += " (`wenku setup` creates a missing bucket)"
    return Verdict("storage", ok, what)


def check_libreoffice() -> Verdict:
    try:
        soffice = office.find_soffice(settings.CONVERSION["SOFFICE"])
        office.find_uno_python(settings.CONVERSION["UNO_PYTHON"])
    except ConversionError as exc:
        return Verdict("libreoffice", False, f"{exc.detail}: run scripts/bootstrap.sh")
    return Verdict("libreoffice", True, soffice)


def check_fonts() -> Verdict:
    faces = fonts.prepare_faces(cache=settings.CONVERSION["FONT_CACHE"])
    if faces is None:
        return Verdict(
            "fonts", False, "no Noto CJK collections (Debian fonts-noto-cjk) to extract"
        )
    fc_list = shutil.which("fc-list")
    if fc_list:
        families = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, check=False
        ).stdout
        if "Liberation Mono" not in families:
            return Verdict(
                "fonts", False, "Liberation fonts missing (Debian fonts-liberation2)"
            )
    return Verdict(
        "fonts", True, f"{len(faces.files)} SC/TC faces in {faces.directory}"
    )


ROLES: dict[str, tuple[Callable[[], Verdict], ...]] = {
    "web": (check_settings, check_database, check_broker, check_bucket),
    "worker": (
        check_settings,
        check_database,
        check_broker,
        check_bucket,
        check_libreoffice,
        check_fonts,
    ),
}
ROLES["all"] = ROLES["worker"]


def run_checks(role: str = "all") -> list[Verdict]:
    """Every check of `role`, in order."""
    return [check() for check in ROLES[role]]
