"""Same text, different bytes, with real LibreOffice: a padded copy and a docx → pdf
copy are refused at publication; a taken-down document's text cannot come back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import require_tool
from wenku.accounts.services import api_token_create
from wenku.conversion import office
from wenku.conversion.tests import samples
from wenku.documents import services
from wenku.documents.models import DocumentStatus
from wenku.documents.services import document_upload
from wenku.search.tokenize import content_fingerprint

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db]

SPEECH = [
    "副区长在2021年教育工作会议上的讲话",
    "同志们：今天我们召开全区教育工作会议，总结去年工作，部署今年任务。",
    "踏进新征程，抢抓新机遇，坚定建设基础教育强区的思想定力，办好人民满意的教育。",
    "要坚持立德树人，深化课程改革，加强教师队伍建设，推动义务教育优质均衡发展。",
]


def _convert(source: Path, target: str) -> Path:
    """Re-save through LibreOffice into another format, as a copier would."""
    return office.convert_with_soffice_cli(
        source, source.parent, timeout=180, fmt=target, soffice=require_tool("soffice")
    )


def _publish(user, path: Path):
    document = document_upload(
        uploader=user, file_name=path.name, path=path, copyright_declared=True
    )
    outcome = services.document_convert(document_id=document.pk)
    document.refresh_from_db()
    return outcome, document


def test_fingerprint_ignores_layout_script_and_punctuation():
    text = "".join(SPEECH)
    assert content_fingerprint(text) == content_fingerprint(
        "\n".join(SPEECH).replace("，", ", ").replace("。", ".  ")
    )
    assert content_fingerprint(text) == content_fingerprint(
        text.replace("讲话", "講話").replace("教育", "教育 ")
    )
    assert content_fingerprint(text) != content_fingerprint(text + "多一句话")
    assert content_fingerprint("封面") == ""  # too little text to tell apart


def test_padded_and_converted_copies_are_refused(make_user, soffice, tmp_path):
    original = samples.docx(tmp_path / "讲话.docx", SPEECH)
    outcome, first = _publish(make_user("author"), original)
    assert outcome == "published"
    assert first.text_sha256 == content_fingerprint(first.text)

    padded = tmp_path / "讲话-副本.docx"
    padded.write_bytes(original.read_bytes() + b"\0" * 512)
    copier = make_user("copier")
    outcome, copy = _publish(copier, padded)
    assert (outcome, copy.status, copy.failure_code) == (
        "failed",
        "failed",
        "duplicate",
    )
    assert first.get_absolute_url() in copy.failure_reason
    assert copy.failure_reason.startswith("本站已有文字内容相同的文档")

    _convert(original, "pdf")
    outcome, as_pdf = _publish(copier, tmp_path / "讲话.pdf")
    assert (outcome, as_pdf.failure_code) == ("failed", "duplicate")
    # No upload reward for either copy: they never published.
    from wenku.wallet.models import Transfer

    assert not Transfer.objects.filter(document__in=[copy, as_pdf]).exists()


def test_taken_down_text_is_refused_in_another_format(make_user, soffice, tmp_path):
    from wenku.moderation.models import Case
    from wenku.moderation.services import case_decide

    original = samples.docx(tmp_path / "讲话.docx", SPEECH)
    _outcome, first = _publish(make_user("author"), original)
    case = Case.objects.create(document=first, kind="porn")
    case_decide(
        case=case, by=make_user(is_staff=True), action="take_down", reason="违规"
    )
    _convert(original, "odt")
    outcome, again = _publish(make_user("other"), tmp_path / "讲话.odt")
    assert (outcome, again.failure_code) == ("failed", "banned")
    assert again.status == DocumentStatus.FAILED


def test_api_names_the_document_a_duplicate_upload_repeats(make_user, make_document):
    data = b"%PDF-1.4 the same bytes"
    original = make_document(original=data, file_type="pdf")
    original.sha256 = hashlib.sha256(data).hexdigest()
    original.save(update_fields=["sha256"])
    client = Client(
        headers={"Authorization": f"Bearer {api_token_create(user=make_user())}"}
    )
    response = client.post(
        "/api/documents",
        {"file": SimpleUploadedFile("copy.pdf", data), "agree": "true"},
    )
    assert response.status_code == 409
    assert response.json() == {
        "message": f"本站已有相同文件 / This file is already on the site: "
        f"{original.get_absolute_url()}",
        "duplicate_of": original.number,
    }
