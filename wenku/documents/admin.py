from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from wenku.documents.models import (
    ClusterEvent,
    Document,
    DocumentStatus,
    Favorite,
    Page,
    Rating,
)
from wenku.documents.services import document_reconvert
from wenku.moderation.services import document_restore, document_take_down


class PageInline(admin.TabularInline):
    model = Page
    extra = 0
    fields = ("number", "width", "height", "image")
    readonly_fields = fields
    can_delete = False
    show_change_link = False
    max_num = 0


class ClusterEventInline(admin.TabularInline):
    """The near-duplicate decisions about this document (read-only audit)."""

    model = ClusterEvent
    fk_name = "document"
    extra = 0
    fields = ("created_at", "action", "match", "cluster", "similarity", "containment")
    readonly_fields = fields
    can_delete = False
    max_num = 0


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "title",
        "file_type",
        "status",
        "page_count",
        "price",
        "uploader",
        "downloads",
        "created_at",
    )
    list_filter = ("status", "file_type", "category")
    search_fields = ("title", "number", "sha256", "uploader__username")
    readonly_fields = (
        "number",
        "sha256",
        "size",
        "file_type",
        "original",
        "original_name",
        "status",
        "failure_code",
        "failure_reason",
        "progress_stage",
        "progress_current",
        "progress_total",
        "page_count",
        "rendered_pages",
        "views",
        "downloads",
        "created_at",
        "published_at",
        "cover",
        "keywords",
        "cluster",
    )
    exclude = ("text",)
    inlines = [PageInline, ClusterEventInline]
    actions = ["take_down", "restore", "reconvert"]

    @admin.action(description=_("下架所选文档"))
    def take_down(self, request, queryset):
        for document in queryset.exclude(status=DocumentStatus.TAKEN_DOWN):
            document_take_down(document=document, by=request.user, note="管理员下架")
        messages.success(request, _("已下架"))

    @admin.action(description=_("恢复上架"))
    def restore(self, request, queryset):
        for document in queryset.filter(status=DocumentStatus.TAKEN_DOWN):
            document_restore(document=document, by=request.user, note="管理员恢复")
        messages.success(request, _("已恢复"))

    @admin.action(description=_("重新转换"))
    def reconvert(self, request, queryset):
        for document in queryset:
            document_reconvert(document=document)
        messages.success(request, _("已重新提交转换"))


admin.site.register(Favorite)
admin.site.register(Rating)
