from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from wenku.moderation.models import ModerationAction, Report, ReportStatus
from wenku.moderation.services import report_resolve


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("document", "reason", "status", "reporter", "contact", "created_at")
    list_filter = ("status", "reason")
    search_fields = ("document__title", "document__number", "description", "contact")
    readonly_fields = (
        "document",
        "reporter",
        "reason",
        "description",
        "contact",
        "created_at",
        "handled_by",
        "handled_at",
    )
    actions = ["uphold", "reject"]

    @admin.action(description=_("成立：下架文档"))
    def uphold(self, request, queryset):
        for report in queryset.filter(status=ReportStatus.OPEN):
            report_resolve(
                report=report, by=request.user, uphold=True, note="管理员下架"
            )
        messages.success(request, _("已下架所选举报的文档"))

    @admin.action(description=_("驳回举报"))
    def reject(self, request, queryset):
        for report in queryset.filter(status=ReportStatus.OPEN):
            report_resolve(
                report=report, by=request.user, uphold=False, note="管理员驳回"
            )
        messages.success(request, _("已驳回所选举报"))


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = (
        "document",
        "action",
        "from_status",
        "to_status",
        "actor",
        "created_at",
    )
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
