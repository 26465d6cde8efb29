"""The `wenku` command: serve, worker, manage, setup, import, points."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from importlib import import_module
from typing import Any

from wenku.checkup import run_checks
from wenku.storage import bucket_ensure
from wenku.supervisor import Child, Supervisor


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenku.settings")
    import django

    django.setup()


def _manage(args: list[str]) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wenku manage", *args])
    return 0


def cmd_setup(ns: argparse.Namespace) -> int:
    """Migrate, collect static files and (optionally) create demo content."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(bucket_ensure(), flush=True)
    if ns.demo:
        call_command("seed_demo")
    return 0


def worker_argv(
    concurrency: int, *, pool: str | None = None, beat_schedule: str | None = None
) -> list[str]:
    """The command line of a Celery worker on Wenku's queue (also used by tests).

    Named after this host and the process that starts it, so the logs of several
    workers on one machine (or of many machines) tell them apart. With beat_schedule
    the worker also runs the periodic jobs embedded (tests only: `wenku serve` and
    `wenku worker --beat` run the scheduler as a supervised process of its own).
    """
    argv = [
        sys.executable, "-m", "celery", "-A", "wenku", "worker",
        "--loglevel", "INFO", "--concurrency", str(concurrency), "-Q", "wenku",
        "--hostname", f"wenku-{os.getpid()}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    if pool:
        argv += ["--pool", pool]
    if beat_schedule:
        argv += ["--beat", "--schedule", beat_schedule]
    return argv


def beat_argv(schedule: str) -> list[str]:
    """The command line of the periodic-job scheduler (one per site)."""
    return [
        sys.executable, "-m", "celery", "-A", "wenku", "beat",
        "--loglevel", "INFO", "--schedule", schedule,
    ]  # fmt: skip


def cmd_check(ns: argparse.Namespace) -> int:
    """Print a verdict per check of this machine's role; status 1 when one fails."""
    return 0 if _checks_pass(ns.role) else 1


def _checks_pass(role: str) -> bool:
    verdicts = run_checks(role)
    for verdict in verdicts:
        print(verdict.line(), flush=True)
    return all(verdict.ok for verdict in verdicts)


def _supervise(children: list[Child]) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return Supervisor(children).run()


def cmd_worker(ns: argparse.Namespace) -> int:
    """A Celery worker; with --beat, supervised together with the scheduler."""
    _django()
    from django.conf import settings

    concurrency = ns.concurrency or settings.WORKER_CONCURRENCY
    if not _checks_pass("worker"):
        print("wenku worker: fix the checks above first", file=sys.stderr)
        return 2
    if not ns.beat:
        os.execv(sys.executable, worker_argv(concurrency))  # noqa: S606
    schedule = str(settings.DATA_DIR / "celerybeat-schedule")
    return _supervise(
        [
            Child("worker", worker_argv(concurrency)),
            Child("beat", beat_argv(schedule)),
        ]
    )


def web_argv(settings: Any, *, port: int, workers: int) -> list[str]:
    """The web server of ``wenku serve``: granian by default (chosen by measurement,
    docs/deployment.md), gunicorn with ``WENKU_WEB_SERVER=gunicorn``."""
    bind = settings.BIND
    if settings.WEB_SERVER == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", "wenku.wsgi:application",
            "--bind", f"{bind}:{port}",
            "--workers", str(workers), "--threads", str(settings.WEB_THREADS),
            "--timeout", "120", "--graceful-timeout", "5",
            "--access-logfile", "-" if settings.ACCESS_LOG else "/dev/null",
            # One control socket per site, not one per host.
            "--control-socket", str(settings.DATA_DIR / "gunicorn.ctl"),
        ]  # fmt: skip
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "wenku.wsgi:application",
        "--host", bind, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(settings.WEB_THREADS),
        "--access-log" if settings.ACCESS_LOG else "--no-access-log",
        "--workers-kill-timeout", "5",
    ]  # fmt: skip


def cmd_serve(ns: argparse.Namespace) -> int:
    """Web server, Celery worker (with its converter pool) and scheduler, supervised."""
    _django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        call_command("check", deploy=True, fail_level="WARNING")
    cmd_setup(argparse.Namespace(demo=ns.demo))
    if not _checks_pass("web" if ns.no_worker else "all"):
        print("wenku serve: fix the checks above first", file=sys.stderr)
        return 2
    port = ns.port or settings.PORT
    children: list[Child] = []
    if not ns.no_worker:
        schedule = str(settings.DATA_DIR / "celerybeat-schedule")
        # On the web server's machine conversions yield the CPU to readers.
        children.append(
            Child(
                "worker",
                worker_argv(settings.WORKER_CONCURRENCY),
                nice=settings.WORKER_NICE,
            )
        )
        children.append(Child("beat", beat_argv(schedule)))
    web = web_argv(settings, port=port, workers=ns.web_workers or settings.WEB_WORKERS)
    children.append(Child("web", web))
    print(f"Wenku is serving on http://{settings.BIND}:{port}/", flush=True)
    return _supervise(children)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["manage"]:
        return _manage(argv[1:])
    _django()  # before the apps' subcommand modules, which import models
    parser = argparse.ArgumentParser(
        prog="wenku", description="文库 — document sharing site"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="web + worker + converter pool in one command")
    p.add_argument("--port", type=int, default=None)
    p.add_argument(
        "--demo", action="store_true", help="create demo content on first run"
    )
    p.add_argument("--no-worker", action="store_true")
    p.add_argument("--web-workers", type=int, default=0)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="a Celery worker (conversion and other jobs)")
    p.add_argument("--concurrency", type=int, default=0)
    p.add_argument("--beat", action="store_true", help="also run the periodic jobs")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser(
        "setup", help="migrate, collect static files, optional demo content"
    )
    p.add_argument("--demo", action="store_true")
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("check", help="is this machine ready? one verdict per check")
    p.add_argument("--role", choices=("all", "web", "worker"), default="all")
    p.set_defaults(func=cmd_check)

    sub.add_parser("manage", help="Django management commands (wenku manage help)")

    for dotted in APP_COMMANDS:
        import_module(dotted).add_subcommand(sub)

    ns = parser.parse_args(argv)
    return int(ns.func(ns) or 0)


# Modules that add subcommands (each has add_subcommand(subparsers)); imported by name
# once Django is set up.
APP_COMMANDS = ("wenku.documents.cli", "wenku.wallet.cli", "wenku.core.cli")


if __name__ == "__main__":
    sys.exit(main())
