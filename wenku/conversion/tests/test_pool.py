"""The warm LibreOffice pool keeps files warm that used to abort it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wenku.conversion import converters, pdf, pipeline
from wenku.conversion.base import Context
from wenku.conversion.tests import samples

pytestmark = pytest.mark.libreoffice


def test_commented_document_converts_on_the_warm_soffice(
    ctx: Context, tmp_path: Path
) -> None:
    """A document with comments is converted by the pool's soffice, which lives on:
    no abort, no one-off soffice (comments are never exported)."""
    pool = converters.pool_for(ctx)
    pool.warm(1)
    before = set(pool.soffice_pids())
    path = samples.commented_fodt(tmp_path / "批注.fodt", "正文第一段。", "审阅意见")
    workdir = tmp_path / "job"
    workdir.mkdir()

    artifact = pipeline.run(ctx, path, "fodt", workdir)

    assert (artifact.page_count, artifact.text) == (1, "正文第一段。")
    assert not (workdir / "fallback").exists()
    assert set(pool.soffice_pids()) & before == before
    assert pdf.page_count(workdir / "converted.pdf") == 1
