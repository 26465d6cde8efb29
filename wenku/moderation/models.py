"""Reports (举报) of documents and of comments, copyright complaints (侵权投诉), the
cases they open, counter-notices, strikes, banned content and the audit trail of
every moderation decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportReason(models.TextChoices):
    COPYRIGHT = "copyright", _("侵权")
    PORN = "porn", _("色情")
    ILLEGAL = "illegal", _("违法")
    AD = "ad", _("广告")
    MISMATCH = "mismatch", _("内容与标题不符")
    ABUSE = "abuse", _("人身攻击或辱骂")  # comments
    OTHER = "other", _("其他")


# What a document and what a comment may be reported for (copyright: a complaint).
DOCUMENT_REASONS = (
    ReportReason.PORN,
    ReportReason.ILLEGAL,
    ReportReason.AD,
    ReportReason.MISMATCH,
    ReportReason.OTHER,
)
COMMENT_REASONS = (
    ReportReason.AD,
    ReportReason.ABUSE,
    ReportReason.PORN,
    ReportReason.ILLEGAL,
    ReportReason.OTHER,
)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    TAKEN_DOWN = "taken_down", _("已下架")
    REJECTED = "rejected", _("已驳回")
    COUNTER_NOTICED = "counter_noticed", _("已反通知，待恢复")
    LEGAL_ACTION = "legal_action", _("投诉人已起诉，维持下架")
    RESTORED = "restored", _("已恢复")
    HIDDEN = "hidden", _("评论已隐藏")  # a comment's case upheld: the comment hidden


DECIDED = (CaseStatus.TAKEN_DOWN, CaseStatus.COUNTER_NOTICED, CaseStatus.LEGAL_ACTION)


class Report(models.Model):
    """A report (举报) of one document — or of one comment on it — for a reason
    other than copyright; its decision lives in its Case."""

    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("文档"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("举报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    # The comment reported, when the report is about a comment and not the document.
    comment = models.ForeignKey(
        "community.Comment",
        verbose_name=_("评论"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    # Who reported, for deduplication: the member, else a hash of the address.
    reporter_key = models.CharField(max_length=80, blank=True, default="")
    reason = models.CharField(
        _("举报原因"), max_length=20, choices=ReportReason.choices
    )
    description = models.TextField(
        _("详细说明"), max_length=2000, blank=True, default=""
    )
    contact = models.CharField(_("联系方式"), max_length=120, blank=True, default="")
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        indexes = [
            models.Index(fields=["document", "reporter_key"], name="report_doc_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} #{self.document_id}"


class Complaint(models.Model):
    """A copyright notice (侵权投诉): the elements of 信息网络传播权保护条例 §14 and
    DMCA §512(c)(3). Each document it names becomes a Case decided on its own."""

    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投诉账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    name = models.CharField(_("权利人姓名或名称"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=120)
    address = models.CharField(_("地址"), max_length=300)
    agent_for = models.CharField(
        _("代理的权利人"), max_length=100, blank=True, default=""
    )
    authorisation = models.FileField(
        _("授权委托书"), upload_to="complaints/%Y/%m/", blank=True, default=""
    )
    work = models.CharField(_("被侵权作品"), max_length=300)
    proof = models.TextField(_("权属证明"), max_length=4000, blank=True, default="")
    proof_file = models.FileField(
        _("权属证明文件"), upload_to="complaints/%Y/%m/", blank=True, default=""
    )
    good_faith = models.BooleanField(_("善意声明"), default=False)
    accurate = models.BooleanField(_("真实性声明"), default=False)
    signature = models.CharField(_("签名"), max_length=100)
    created_at = models.DateTimeField(_("投诉时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("侵权投诉")
        verbose_name_plural = _("侵权投诉")

    def __str__(self) -> str:
        return f"{self.work} ({self.name})"


class Case(models.Model):
    """One document under one complaint or report, decided on its own."""

    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("文档"),
        on_delete=models.CASCADE,
        related_name="cases",
    )
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="cases"
    )
    report = models.OneToOneField(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="case"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ReportReason.choices)
    status = models.CharField(
        _("处理状态"), max_length=20, choices=CaseStatus.choices, default="open"
    )
    reason = models.CharField(_("处理理由"), max_length=500, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_cases",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        indexes = [
            models.Index(fields=["status", "created_at"], name="case_status_created")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "document"], name="case_one_per_complaint_doc"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} #{self.document_id}"

    @property
    def comment_id(self) -> int | None:
        """The comment this case is about (a comment's report), else None."""
        return self.report.comment_id if self.report is not None else None


class CounterNotice(models.Model):
    """The uploader's answer to an upheld complaint (条例 §16)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="counter_notice"
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("姓名或名称"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=120)
    address = models.CharField(_("地址"), max_length=300)
    statement = models.TextField(_("不侵权的说明与初步证明"), max_length=4000)
    proof_file = models.FileField(
        _("证明文件"), upload_to="counter_notices/%Y/%m/", blank=True, default=""
    )
    signature = models.CharField(_("签名"), max_length=100)
    restore_after = models.DateTimeField(_("恢复时间"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("反通知")
        verbose_name_plural = _("反通知")

    def __str__(self) -> str:
        return f"counter-notice #{self.case_id}"


class Strike(models.Model):
    """One upheld copyright complaint against an uploader (repeat-infringer rule)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strikes"
    )
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="strike")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("侵权记录")
        verbose_name_plural = _("侵权记录")

    def __str__(self) -> str:
        return f"strike {self.user_id} #{self.case_id}"


class BannedContent(models.Model):
    """Bytes that may not be uploaded again: a taken-down document's content hash."""

    sha256 = models.CharField(max_length=64, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bans")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("禁止上传的内容")
        verbose_name_plural = _("禁止上传的内容")

    def __str__(self) -> str:
        return self.sha256


class ModerationAction(models.Model):
    """Append-only audit row for every takedown, restore or report decision."""

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="moderation_actions",
    )
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL)
    # A decision on a comment: from_status and to_status are the comment's.
    comment = models.ForeignKey(
        "community.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")

    def __str__(self) -> str:
        return f"{self.action} #{self.document_id}"
