"""`wenku import` end to end: folders, refusals, JSON lines, inline conversion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wenku.conversion.tests import samples

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_reset():
    from wenku.celery import app

    yield
    app.conf.task_always_eager = False


def test_import_inline_json(
    make_user, soffice, eager_reset, tmp_path: Path, capsys
) -> None:
    from wenku.cli import main

    user = make_user()
    folder = tmp_path / "upload"
    (folder / "sub").mkdir(parents=True)
    samples.docx_pages(folder / "two.docx", 2)
    samples.gbk_txt(folder / "sub" / "中文.txt")
    (folder / "fake.pdf").write_bytes(b"<html>not a pdf</html>")

    code = main(["import", str(folder), "--inline", "--json", "--user", user.username])

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_name = {Path(line["file"]).name: line for line in lines}
    assert code == 1  # one file was refused
    assert by_name["two.docx"]["status"] == "published"
    assert by_name["two.docx"]["pages"] == 2
    assert by_name["two.docx"]["url"] == f"/documents/{by_name['two.docx']['number']}/"
    assert by_name["中文.txt"]["status"] == "published"
    assert by_name["fake.pdf"]["status"] == "failed"
    assert by_name["fake.pdf"]["reason"].startswith("暂不支持该文件类型")
    assert all(line["seconds"] is not None for line in lines)
