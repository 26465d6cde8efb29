"""Moderation records in the admin are read-only: every state change goes through
the services (the moderator workspace at /moderation/), which write audit rows."""

from django.contrib import admin

from wenku.moderation.models import (
    BannedContent,
    Case,
    Complaint,
    CounterNotice,
    ModerationAction,
    Report,
    Strike,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and details only: no add, change or delete, no bulk actions."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "status", "document", "created_at", "decided_at")
    list_filter = ("status", "kind")
    search_fields = ("document__title", "document__number")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("document", "reason", "reporter", "created_at")
    list_filter = ("reason",)
    search_fields = ("document__title", "document__number", "description")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("pk", "work", "name", "contact", "created_at")
    search_fields = ("work", "name", "contact")


@admin.register(CounterNotice)
class CounterNoticeAdmin(ReadOnlyAdmin):
    list_display = ("case", "name", "restore_after", "created_at")


@admin.register(Strike)
class StrikeAdmin(ReadOnlyAdmin):
    list_display = ("user", "case", "created_at", "expires_at", "voided_at")


@admin.register(BannedContent)
class BannedContentAdmin(ReadOnlyAdmin):
    list_display = ("sha256", "case", "created_at")


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = (
        "document",
        "action",
        "from_status",
        "to_status",
        "actor",
        "created_at",
    )
    list_filter = ("action",)
