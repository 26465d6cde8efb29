"""Reports (举报), copyright complaints and the audit trail of moderation decisions."""

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
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    TAKEN_DOWN = "taken_down", _("已下架")
    REJECTED = "rejected", _("已驳回")


class Report(models.Model):
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
    reason = models.CharField(
        _("举报原因"), max_length=20, choices=ReportReason.choices
    )
    description = models.TextField(
        _("详细说明"), max_length=2000, blank=True, default=""
    )
    contact = models.CharField(_("联系方式"), max_length=120, blank=True, default="")
    status = models.CharField(
        _("处理状态"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.OPEN,
    )
    resolution_note = models.CharField(
        _("处理说明"), max_length=500, blank=True, default=""
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_reports",
    )
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="report_status_created")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} #{self.document_id}"


class ModerationAction(models.Model):
    """Append-only audit row for every takedown, restore or report decision."""

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="moderation_actions",
    )
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL)
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
