"""Create demo categories, an admin, a demo member and demo documents (idempotent)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from wenku.accounts.models import User
from wenku.accounts.services import user_create
from wenku.core.demo_content import DEMO_DOCUMENTS, make_docx
from wenku.core.models import Category
from wenku.core.selectors import site_settings_get
from wenku.core.services import category_tree_seed
from wenku.documents.models import Document
from wenku.documents.services import document_upload

DEMO_PASSWORD = "wenku-demo-2024"  # noqa: S105  (printed and documented: a demo account)
SEED_SPEECH = Path(__file__).resolve().parents[5] / "shared" / "seed" / "speech.doc"


class Command(BaseCommand):
    help = (
        "Create demo content on first run (categories, admin, demo member, documents)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        site_settings_get()
        category_tree_seed()
        if not User.objects.filter(username="admin").exists():
            password = secrets.token_urlsafe(12)
            user_create(
                username="admin",
                password=password,
                display_name="管理员",
                is_staff=True,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"管理员账号 admin / admin user created — password (shown once): {password}"
                )
            )
        demo = User.objects.filter(username="demo").first()
        if demo is None:
            demo = user_create(
                username="demo",
                password=DEMO_PASSWORD,
                display_name="一叶知秋",
            )
            self.stdout.write("演示会员 demo member: demo / wenku-demo-2024")
        self._documents(demo)

    def _documents(self, demo: User) -> None:
        if Document.objects.filter(uploader=demo).exists():
            return
        for file_name, slug, price, paragraphs in DEMO_DOCUMENTS:
            document_upload(
                uploader=demo,
                file_name=file_name,
                data=make_docx(paragraphs),
                title=None,
                category=Category.objects.filter(slug=slug).first(),
                price=price,
                copyright_declared=True,  # demo documents the project wrote itself
            )
        if SEED_SPEECH.exists():
            document_upload(
                uploader=demo,
                file_name=SEED_SPEECH.name.replace(
                    "speech", "副区长在2021年教育工作会议上的讲话范文"
                ),
                data=SEED_SPEECH.read_bytes(),
                title="副区长在2021年教育工作会议上的讲话范文",
                category=Category.objects.filter(slug="huibao-tihui").first(),
                price=3,
                free_pages=3,
                copyright_declared=True,
            )
        self.stdout.write("演示文档已提交转换 demo documents queued for conversion")
