"""Admin: read-only ledger, rules singleton, withdrawals, purchases, grant form."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from wenku.wallet.forms import GrantForm
from wenku.wallet.models import (
    Account,
    AuditLog,
    Entry,
    PaymentNotification,
    Purchase,
    PurchaseStatus,
    RechargeOrder,
    Transfer,
    WalletRules,
    Withdrawal,
    WithdrawalStatus,
)
from wenku.wallet.services import (
    WalletError,
    purchase_refund,
    wallet_grant,
    withdrawal_approve,
    withdrawal_reject,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledger rows are append-only: nobody edits or deletes them, even here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WalletRules)
class WalletRulesAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "signup_bonus",
        "checkin_points",
        "upload_reward",
        "commission_percent",
        "price_min",
        "price_max",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:  # one row only
        return not WalletRules.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "user", "balance", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username",)
    change_list_template = "admin/wallet/account/change_list.html"

    def get_urls(self):  # type: ignore[no-untyped-def]
        extra = [
            path(
                "grant/",
                self.admin_site.admin_view(self.grant_view),
                name="wallet_account_grant",
            )
        ]
        return extra + super().get_urls()

    def grant_view(self, request: HttpRequest) -> HttpResponse:
        """Credit or debit a member with a reason."""
        if not request.user.has_perm("wallet.add_transfer"):
            messages.error(request, "没有权限 / Permission denied")
            return redirect("admin:wallet_account_changelist")
        form = GrantForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            member = form.cleaned_data["username"]
            try:
                wallet_grant(
                    user=member,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except WalletError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    f"已为 {member.username} 调整 {form.cleaned_data['amount']:+d} 积分",
                )
                return redirect("admin:wallet_account_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "积分调整（发放/扣减）",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/wallet/grant.html", context)


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    can_delete = False
    fields = ("account", "amount", "balance_after", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "memo", "document", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("idempotency_key", "memo")
    inlines = [EntryInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "transfer",
        "account",
        "amount",
        "balance_after",
        "created_at",
    )
    list_filter = ("account__kind", "transfer__kind")
    search_fields = ("account__user__username",)
    list_select_related = ("transfer", "account", "account__user")


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "buyer",
        "document",
        "seller",
        "price",
        "commission",
        "status",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("buyer__username", "seller__username", "document__title")
    list_select_related = ("buyer", "seller", "document")
    actions = ["refund", "refund_platform_covers"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Actions need change permission; the form itself stays read-only.
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(
            request, obj
        )

    def _refund(self, request: HttpRequest, queryset: Any, *, covers: bool) -> None:
        done = 0
        for purchase in queryset.filter(status=PurchaseStatus.PAID):
            try:
                purchase_refund(
                    purchase=purchase,
                    by=request.user,
                    reason="管理员退款",
                    platform_covers_shortfall=covers,
                )
            except WalletError as exc:
                self.message_user(
                    request, f"订单 #{purchase.pk}：{exc.message}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, f"已退款 {done} 笔，购买权限已撤销。")

    @admin.action(description="退款并撤销下载权限（上传者余额不足则拒绝）")
    def refund(self, request: HttpRequest, queryset: Any) -> None:
        self._refund(request, queryset, covers=False)

    @admin.action(description="退款并撤销下载权限（差额由平台垫付）")
    def refund_platform_covers(self, request: HttpRequest, queryset: Any) -> None:
        self._refund(request, queryset, covers=True)


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "user",
        "points",
        "payee",
        "status",
        "created_at",
        "decided_by",
    )
    list_filter = ("status",)
    search_fields = ("user__username", "payee")
    actions = ["approve", "reject"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super(ReadOnlyAdmin, self).has_change_permission(
            request, obj
        )

    def _decide(self, request: HttpRequest, queryset: Any, *, approve: bool) -> None:
        service = withdrawal_approve if approve else withdrawal_reject
        done = 0
        for withdrawal in queryset.filter(status=WithdrawalStatus.PENDING):
            try:
                service(withdrawal=withdrawal, by=request.user)
            except WalletError as exc:
                self.message_user(
                    request, f"申请 #{withdrawal.pk}：{exc.message}", messages.ERROR
                )
            else:
                done += 1
        if done:
            verb = "批准（已打款）" if approve else "拒绝（积分已退回）"
            self.message_user(request, f"已{verb} {done} 笔提现。")

    @admin.action(description="批准：已线下打款")
    def approve(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="拒绝：积分退回会员")
    def reject(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(RechargeOrder)
class RechargeOrderAdmin(ReadOnlyAdmin):
    list_display = (
        "out_trade_no",
        "user",
        "provider",
        "amount_yuan",
        "points",
        "status",
        "created_at",
        "paid_at",
    )
    list_filter = ("status", "provider")
    search_fields = ("out_trade_no", "provider_trade_no", "user__username")


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "provider",
        "out_trade_no",
        "outcome",
        "remote_addr",
        "created_at",
    )
    list_filter = ("outcome", "provider")
    search_fields = ("out_trade_no", "notify_id")


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("id", "action", "actor", "subject_user", "transfer", "created_at")
    list_filter = ("action",)
    search_fields = ("actor__username", "subject_user__username")
