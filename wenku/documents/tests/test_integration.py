"""Conversion wired into the site: publish rewards, pool path handling."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import require_tool
from wenku.core.demo_content import make_docx
from wenku.documents.services import document_upload


@pytest.mark.django_db(transaction=True)
def test_publishing_rewards_the_uploader_once(make_user):
    require_tool("soffice")
    from wenku.documents.services import document_convert
    from wenku.wallet.models import WalletRules
    from wenku.wallet.selectors import rules_get, wallet_balance

    rules = rules_get()
    WalletRules.objects.filter(pk=rules.pk).update(upload_reward=7, signup_bonus=0)
    uploader = make_user("writer")
    document = document_upload(
        uploader=uploader,
        file_name="奖励测试.docx",
        data=make_docx(["奖励测试", "正文。"]),
        copyright_declared=True,
    )
    document_convert(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == "published"
    assert wallet_balance(user=uploader) == 7
    document_convert(document_id=document.pk)  # idempotent: already published
    assert wallet_balance(user=uploader) == 7


def test_pool_accepts_relative_paths(tmp_path, monkeypatch):
    require_tool("soffice")
    from wenku.conversion.converters import pool_for
    from wenku.conversion.limits import context_from_settings

    (tmp_path / "in.docx").write_bytes(make_docx(["相对路径", "内容。"]))
    monkeypatch.chdir(tmp_path)
    pool_for(context_from_settings()).convert(Path("in.docx"), Path("out.pdf"))
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
