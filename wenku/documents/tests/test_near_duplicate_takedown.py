"""A taken-down document's text cannot come back in any variant form, with real
LibreOffice: padded, re-saved as PDF, retitled, 5 % of characters edited, an
excerpt; and the ban outlives the document's deletion, until a counter-notice
restores the case (docs/moderation.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import require_tool
from wenku.conversion import office
from wenku.conversion.tests import samples
from wenku.documents import services
from wenku.documents.models import (
    ClusterEvent,
    DocumentStatus,
    NearBand,
    NearFingerprint,
)
from wenku.documents.services import document_set_status, document_upload
from wenku.moderation.models import Case
from wenku.moderation.services import case_decide, case_restore
from wenku.search.tests import zh_text

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db]

TITLE = "关于进一步加强全区教育工作的实施意见"
BASE = [TITLE, *zh_text.sentences(1, 60)]


def _resave(source: Path, target: str) -> Path:
    """Re-save through LibreOffice into another format, as a copier would."""
    return office.convert_with_soffice_cli(
        source, source.parent, timeout=180, fmt=target, soffice=require_tool("soffice")
    )


@pytest.fixture
def publish(soffice):
    def _publish(user, path: Path):
        document = document_upload(
            uploader=user, file_name=path.name, path=path, copyright_declared=True
        )
        outcome = services.document_convert(document_id=document.pk)
        document.refresh_from_db()
        return outcome, document

    return _publish


@pytest.fixture
def taken_down(make_user, publish, tmp_path: Path):
    """The original, published and taken down on an upheld copyright complaint."""
    path = samples.docx(tmp_path / "实施意见.docx", BASE)
    outcome, original = publish(make_user("author"), path)
    assert outcome == "published"
    case = Case.objects.create(document=original, kind="copyright")
    case_decide(
        case=case, by=make_user(is_staff=True), action="take_down", reason="侵权"
    )
    original.refresh_from_db()
    assert original.status == DocumentStatus.TAKEN_DOWN
    return original, path, case


def _refusals(document) -> list[tuple[str, int | None]]:
    return list(
        ClusterEvent.objects.filter(document=document).values_list("action", "match_id")
    )


def test_every_variant_of_a_taken_down_text_is_refused(
    make_user, publish, taken_down, tmp_path: Path
):
    original, path, _case = taken_down
    copier = make_user("copier")
    padded = tmp_path / "实施意见-副本.docx"
    padded.write_bytes(path.read_bytes() + b"\0" * 512)
    as_pdf = _resave(path, "pdf")
    variants = {
        "padded": padded,
        "docx→pdf": as_pdf,
        "retitled": samples.docx(
            tmp_path / "新标题.docx", ["全区教育工作实施意见（修订稿）", *BASE[1:]]
        ),
        "5% edited": samples.docx(
            tmp_path / "改动.docx",
            zh_text.characters_edited(BASE, share=0.05, seed=3),
        ),
        "excerpt": samples.docx(tmp_path / "节选.docx", BASE[:19]),  # first 30 %
    }
    outcomes = {}
    for kind, variant in variants.items():
        outcome, copy = publish(copier, variant)
        outcomes[kind] = (outcome, copy.status, copy.failure_code)
        if kind in ("padded", "docx→pdf"):  # the same text: its fingerprint is banned
            assert _refusals(copy) == []
        else:  # a near-copy: refused with the document it is like
            assert _refusals(copy) == [("banned", original.pk)]
            assert copy.failure_reason.startswith(
                "该内容已因投诉成立被下架，不能再次发布"
            )
        assert not NearBand.objects.filter(document=copy).exists()
    assert outcomes == {
        kind: ("failed", DocumentStatus.FAILED, "banned") for kind in variants
    }


def test_the_ban_outlives_the_deleted_document(
    make_user, publish, taken_down, tmp_path: Path
):
    original, _path, case = taken_down
    deleted = document_set_status(document=original, status=DocumentStatus.DELETED)
    assert deleted.status == DocumentStatus.DELETED
    # Its signature stays in the index while its content is banned.
    assert NearFingerprint.objects.filter(document=original).exists()
    assert NearBand.objects.filter(document=original).count() == 64

    edited = samples.docx(
        tmp_path / "改动.docx", zh_text.characters_edited(BASE, share=0.05, seed=4)
    )
    outcome, copy = publish(make_user("copier"), edited)
    assert (outcome, copy.failure_code) == ("failed", "banned")
    assert _refusals(copy) == [("banned", original.pk)]
    excerpt = samples.docx(tmp_path / "节选.docx", BASE[:19])
    outcome, again = publish(make_user("other"), excerpt)
    assert (outcome, again.failure_code) == ("failed", "banned")

    # A counter-notice restores the case: the ban ends, and a deleted document
    # clusters with nobody, so the same copy now publishes alone.
    case_restore(case=case, by=make_user(is_staff=True), note="反通知成立")
    outcome, later = publish(make_user("later"), edited)
    assert (outcome, later.status, later.cluster_id) == (
        "published",
        DocumentStatus.PUBLISHED,
        None,
    )
    assert _refusals(later) == []
