"""Filing: reports (举报) and copyright complaints (侵权投诉), each opening cases."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from wenku.accounts.models import User
from wenku.community.models import Comment
from wenku.documents.access import document_lookup
from wenku.documents.models import Document
from wenku.moderation.models import (
    COMMENT_REASONS,
    DOCUMENT_REASONS,
    Case,
    CaseStatus,
    Complaint,
    Report,
    ReportReason,
)
from wenku.moderation.services.errors import ReportRejected
from wenku.notifications.services import notify

DESCRIPTION_MAX = 2000
CONTACT_MAX = 120
COMPLAINT_DOCUMENTS_MAX = 20
PROOF_MAX = 4000
PROOF_FILE_MAX = 10 * 1024 * 1024
PROOF_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".webp", ".doc", ".docx", ".txt")

# What a complaint must hold, in the order the refusal lists what is missing.
COMPLAINT_FIELDS: dict[str, tuple[str, str, int]] = {
    "name": ("权利人姓名或名称", "name", 100),
    "contact": ("联系方式", "contact", CONTACT_MAX),
    "address": ("地址", "address", 300),
    "work": ("被侵权作品", "work", 300),
    "signature": ("签名", "signature", 100),
}


def _text(value: str, *, field: str, label: tuple[str, str], limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit or "\x00" in text:
        raise ReportRejected(
            f"bad_{field}",
            f"{label[0]}须为不超过 {limit} 个字符的文字 / The {label[1]} must be text "
            f"of at most {limit} characters",
            field=field,
        )
    return text


def reporter_key(user: User | None, visitor: str) -> str:
    """Who files, for deduplication: the member, else the visitor's address hash."""
    if user is not None and user.is_authenticated:
        return f"member:{user.pk}"
    return f"visitor:{visitor}"


def report_create(
    *,
    document: Document,
    reporter: User | None,
    reason: str,
    description: str,
    contact: str,
    visitor: str = "",
    comment: Comment | None = None,
) -> Report:
    """File a report (not copyright: that is a complaint) and open its case; with
    ``comment``, a report of that comment on the document (its case hides the
    comment when upheld, and the document stays as it is).

    One open report per reporter and document (or comment): a repeat answers with
    the report already waiting, writing nothing.
    """
    if reason == ReportReason.COPYRIGHT:
        raise ReportRejected(
            "use_complaint",
            "侵权投诉请填写侵权投诉表单（需权利人信息与权属证明） / Copyright "
            "complaints go through the complaint form",
            field="reason",
        )
    if reason not in (DOCUMENT_REASONS if comment is None else COMMENT_REASONS):
        raise ReportRejected(
            "bad_reason", "请选择举报原因 / Choose a reason", field="reason"
        )
    if comment is not None and (
        comment.document_id != document.pk or not comment.visible
    ):
        raise ReportRejected(
            "comment_gone",
            "该评论不存在或已被删除 / This comment is gone",
            status=404,
        )
    description = _text(
        description,
        field="description",
        label=("详细说明", "description"),
        limit=DESCRIPTION_MAX,
    )
    contact = _text(
        contact, field="contact", label=("联系方式", "contact"), limit=CONTACT_MAX
    )
    key = reporter_key(reporter, visitor)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        earlier = (
            Report.objects.filter(
                document=document,
                comment=comment,
                reporter_key=key,
                case__status=CaseStatus.OPEN,
            )
            .select_related("case")
            .first()
        )
        if earlier is not None:
            return earlier
        report = Report.objects.create(
            document=document,
            reporter=reporter if reporter and reporter.is_authenticated else None,
            reporter_key=key,
            comment=comment,
            reason=reason,
            description=description,
            contact=contact,
        )
        Case.objects.create(document=document, report=report, kind=reason)
    return report


def _file_checked(upload: UploadedFile | None, *, field: str) -> UploadedFile | None:
    if upload is None:
        return None
    name = (upload.name or "").lower()
    if (upload.size or 0) > PROOF_FILE_MAX or not name.endswith(PROOF_TYPES):
        raise ReportRejected(
            f"bad_{field}",
            "证明文件须为不超过 10 MB 的 PDF、图片、Word 或文本文件 / Proof files must "
            "be PDF, image, Word or text files of at most 10 MB",
            field=field,
        )
    return upload


def _documents(numbers: Iterable[Any], user: User | None) -> list[Document]:
    """The documents named, each one the complainant may see, no repeats."""
    seen: dict[int, Document] = {}
    for raw in numbers:
        text = str(raw).strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit() and len(text) <= 12):
            raise ReportRejected(
                "bad_documents",
                f"文档编号“{text[:20]}”无效 / “{text[:20]}” is not a document number",
                field="documents",
            )
        document, access = document_lookup(number=int(text), user=user)
        if document is None or not access.view:
            raise ReportRejected(
                "bad_documents",
                f"文档 {text} 不存在或已下架 / Document {text} does not exist or is "
                "no longer online",
                field="documents",
            )
        seen.setdefault(document.pk, document)
    if len(seen) > COMPLAINT_DOCUMENTS_MAX:
        raise ReportRejected(
            "bad_documents",
            f"一份投诉最多 {COMPLAINT_DOCUMENTS_MAX} 份文档 / At most "
            f"{COMPLAINT_DOCUMENTS_MAX} documents per complaint",
            field="documents",
        )
    return list(seen.values())


def _same_complainant(user: User | None, contact: str) -> Q:
    who = Q(complaint__contact__iexact=contact)
    if user is not None and user.is_authenticated:
        who |= Q(complaint__complainant=user)
    return who


def _refuse_repeats(documents: list[Document], who: Q) -> None:
    earlier = Case.objects.filter(who, document__in=documents).exclude(
        status=CaseStatus.REJECTED
    )
    for case in earlier.select_related("document"):
        number = case.document.number
        if case.status == CaseStatus.RESTORED:
            raise ReportRejected(
                "renotify",
                f"文档 {number} 已在反通知后恢复，同一投诉人不能再次投诉；如有异议请"
                f"向法院起诉 / Document {number} was restored after a counter-notice: "
                "the same complainant cannot notify it again; take it to court",
                field="documents",
                status=409,
            )
        raise ReportRejected(
            "duplicate",
            f"您已就文档 {number} 提交过投诉（案件 #{case.pk}），请等待处理结果 / "
            f"You already complained about document {number} (case #{case.pk})",
            field="documents",
            status=409,
        )


def complaint_file(
    *,
    complainant: User | None,
    name: str,
    contact: str,
    address: str,
    work: str,
    documents: Iterable[Any],
    proof: str = "",
    good_faith: bool,
    accurate: bool,
    signature: str,
    agent_for: str = "",
    proof_file: UploadedFile | None = None,
    authorisation: UploadedFile | None = None,
) -> Complaint:
    """File a copyright complaint: one case per document named, each decided alone.

    An incomplete notice is refused listing everything missing, before anything is
    written.
    """
    values = {"name": name, "contact": contact, "address": address}
    values |= {"work": work, "signature": signature}
    clean: dict[str, str] = {}
    missing: list[str] = []
    for key, (chinese, english, limit) in COMPLAINT_FIELDS.items():
        clean[key] = _text(
            values[key], field=key, label=(chinese, english), limit=limit
        )
        if not clean[key]:
            missing.append(key)
    proof = _text(proof, field="proof", label=("权属证明", "proof"), limit=PROOF_MAX)
    agent_for = _text(
        agent_for, field="agent_for", label=("代理的权利人", "principal"), limit=100
    )
    chosen = _documents(documents, complainant)
    if not chosen:
        missing.append("documents")
    if not proof and proof_file is None:
        missing.append("proof")
    if agent_for and authorisation is None:
        missing.append("authorisation")
    if not good_faith:
        missing.append("good_faith")
    if not accurate:
        missing.append("accurate")
    if missing:
        labels = [MISSING_LABELS[key] for key in missing]
        raise ReportRejected(
            "incomplete",
            "投诉不完整，缺少："
            + "、".join(chinese for chinese, _ in labels)
            + " / The notice is incomplete: missing "
            + ", ".join(english for _, english in labels),
            field=missing[0],
            missing=tuple(missing),
        )
    proof_file = _file_checked(proof_file, field="proof_file")
    authorisation = _file_checked(authorisation, field="authorisation")
    user = complainant if complainant and complainant.is_authenticated else None
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk__in=[d.pk for d in chosen])
        _refuse_repeats(chosen, _same_complainant(user, clean["contact"]))
        complaint = Complaint(
            complainant=user,
            agent_for=agent_for,
            proof=proof,
            good_faith=True,
            accurate=True,
            **clean,
        )
        if proof_file is not None:
            complaint.proof_file.save(
                proof_file.name or "proof", proof_file, save=False
            )
        if authorisation is not None:
            complaint.authorisation.save(
                authorisation.name or "authorisation", authorisation, save=False
            )
        complaint.save()
        for document in chosen:
            case = Case.objects.create(
                document=document, complaint=complaint, kind=ReportReason.COPYRIGHT
            )
            notify(
                user=document.uploader,
                kind="complaint_received",
                title=gettext_noop("您的文档《%(title)s》收到侵权投诉"),
                body=gettext_noop(
                    "案件 #%(case)s：投诉涉及作品“%(work)s”，审核员将尽快处理。"
                    "在处理结果出来之前，文档保持在线。"
                ),
                link=document.get_absolute_url(),
                params={
                    "title": document.title,
                    "case": case.pk,
                    "work": clean["work"],
                },
            )
        notify(
            user=user,
            kind="complaint_received",
            title=gettext_noop("投诉已收到：%(work)s"),
            body=gettext_noop("共 %(count)s 份文档，每份单独处理，结果会通知您。"),
            link="/transparency/",
            params={"work": clean["work"], "count": len(chosen)},
        )
    return complaint


MISSING_LABELS: dict[str, tuple[str, str]] = {
    **{
        key: (chinese, english)
        for key, (chinese, english, _) in COMPLAINT_FIELDS.items()
    },
    "documents": ("被投诉的文档", "the documents complained of"),
    "proof": ("权属证明（文字或文件）", "proof of ownership (text or a file)"),
    "authorisation": ("授权委托书（代理人投诉时）", "the agent's authorisation"),
    "good_faith": ("善意声明", "the good-faith statement"),
    "accurate": ("真实性声明", "the accuracy statement"),
}
