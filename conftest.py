"""Shared pytest fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHARED = REPO.parent / "shared"
# Every test client comes from 127.0.0.1: the rate limits and the daily upload
# quota are off (here and in servers the tests start) unless a test turns them on
# (settings.RATE_LIMITS_ENABLED = True, as wenku/core/tests/test_ratelimit.py does).
os.environ.setdefault("WENKU_RATE_LIMITS", "off")


@pytest.fixture(autouse=True)
def _rate_limits_off(settings):
    settings.RATE_LIMITS_ENABLED = False
    # Views written at once, so tests count them exactly (test_views_counter
    # covers the batched path).
    settings.VIEW_FLUSH_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page: the database is emptied between tests
    without the writes that would invalidate them."""
    from wenku.core import pagecache
    from wenku.documents import access

    pagecache.store.clear()
    pagecache.memo.clear()
    access.forget_remembered()
    yield
    pagecache.store.clear()
    pagecache.memo.clear()
    access.forget_remembered()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request in English (the
    language switch) leaves English active in the thread for the tests after it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def require_tool(name: str) -> str:
    """Path of an external tool; skip without it, except under CI where it must exist."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is required under CI but is not installed")
    pytest.skip(f"{name} not installed")
    raise AssertionError  # unreachable


def shared_file(relative: str) -> Path:
    """A file from ../shared; skip cleanly when the folder is absent, except under
    CI, which provides it."""
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared/{relative} is required under CI but is absent")
        pytest.skip(f"../shared/{relative} not available")
    return path


@pytest.fixture
def soffice() -> str:
    """Real LibreOffice (a failure under CI when missing); the UNO Python's path."""
    from wenku.conversion import office

    require_tool("soffice")
    return office.find_uno_python()


@pytest.fixture
def categories(db):
    from wenku.core.models import Category
    from wenku.core.services import category_tree_seed

    category_tree_seed()
    return Category.objects.all()


@pytest.fixture
def make_user(db):
    from wenku.accounts.models import User

    counter = {"n": 0}

    def _make(username: str | None = None, password: str = "Secret-pass-2024", **extra):
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"member{counter['n']}", password=password, **extra
        )
        user.raw_password = password
        return user

    return _make


@pytest.fixture
def make_document(db, make_user):
    """A published document with real WebP page images and per-page text (no conversion)."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone
    from PIL import Image

    from wenku.documents.models import Document, DocumentStatus, Page
    from wenku.documents.numbers import new_document_number

    def _make(
        *,
        title: str = "测试文档",
        pages: list[str] | None = None,
        uploader=None,
        price: int = 0,
        free_pages: int = 2,
        status: str = DocumentStatus.PUBLISHED,
        category=None,
        file_type: str = "docx",
        original: bytes = b"PK\x03\x04 original bytes",
    ):
        pages = (
            pages if pages is not None else [f"第{i}页的内容。" for i in range(1, 5)]
        )
        number = new_document_number()
        original_name = default_storage.save(
            f"originals/test/{number}.{file_type}", ContentFile(original)
        )
        document = Document.objects.create(
            number=number,
            title=title,
            uploader=uploader or make_user(),
            original=original_name,
            original_name=f"{title}.{file_type}",
            file_type=file_type,
            sha256=f"{number:064d}",
            size=len(original),
            price=price,
            free_pages=free_pages,
            status=status,
            category=category,
            page_count=len(pages),
            rendered_pages=len(pages),
            text="\n".join(pages),
            published_at=timezone.now() if status == DocumentStatus.PUBLISHED else None,
            progress_stage="done",
        )
        for index, text in enumerate(pages, start=1):
            buffer = io.BytesIO()
            Image.new("RGB", (100, 141), (255, 255, 255)).save(buffer, "WEBP")
            image = default_storage.save(
                f"pages/{number}/{index}.webp", ContentFile(buffer.getvalue())
            )
            Page.objects.create(
                document=document,
                number=index,
                image=image,
                width=100,
                height=141,
                text=text,
            )
        return document

    return _make


def _database_url_for_subprocess() -> str:
    """URL of the database this test run uses (the test database), for child processes."""
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def worker_process(transactional_db, tmp_path):
    """A real Celery worker process on the embedded broker, sharing this test's database."""
    import subprocess

    from django.conf import settings

    from wenku.cli import worker_argv

    env = dict(
        os.environ,
        WENKU_DATABASE_URL=_database_url_for_subprocess(),
        WENKU_DATA_DIR=str(settings.DATA_DIR),
        WENKU_BROKER_URL=settings.CELERY_BROKER_URL,
    )
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(
        worker_argv(1),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()
    log.close()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("WENKU_SCREENSHOT_DIR", REPO / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# axe-core from npm (tools/a11y, installed by scripts/bootstrap.sh --test with npm ci).
AXE_JS = REPO / "tools" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html,
      summary: n.failureSummary})),
  }));
}"""


@pytest.fixture
def axe():
    """Check the page a Playwright ``page`` shows against WCAG 2.0/2.1 A and AA with
    axe-core; returns the violations as lines a person can act on (empty: none).

    The page's context must be opened with ``bypass_csp=True``: the site's
    Content-Security-Policy refuses the inline script axe is injected as."""
    if not AXE_JS.exists():
        message = (
            "axe-core missing: run scripts/bootstrap.sh --test (npm ci in tools/a11y)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    def _check(page, label: str) -> list[str]:
        page.add_script_tag(path=str(AXE_JS))
        lines = []
        for violation in page.evaluate(AXE_RUN, AXE_TAGS):
            lines.append(
                f"{label}: {violation['id']} ({violation['impact']}) "
                f"{violation['help']}: {len(violation['nodes'])} element(s)"
            )
            for node in violation["nodes"]:
                summary = " ".join((node["summary"] or "").split())
                lines.append(
                    f"    {node['target']}  {node['html'][:160]}  — {summary[:300]}"
                )
        return lines

    return _check
