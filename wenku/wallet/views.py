"""Member center (/me/wallet/...), buy and download pages, payment endpoints."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenku.accounts.api_auth import bearer
from wenku.core.clientip import client_ip
from wenku.documents.access import (
    Download,
    Hidden,
    document_get_for_user,
    document_lookup,
)
from wenku.wallet import selectors
from wenku.wallet.downloads import (
    LinkRefused,
    download_kind,
    download_url,
    file_response,
    link_verify,
)
from wenku.wallet.forms import BuyForm, RechargeForm, WithdrawalForm
from wenku.wallet.models import RechargeOrder, RechargeStatus
from wenku.wallet.payments import provider_active, provider_get
from wenku.wallet.services import (
    InsufficientBalance,
    WalletError,
    document_download_count,
    download_record,
    income_release_due,
    payment_notice_handle,
    purchase_create,
    recharge_order_cancel,
    recharge_order_create,
    recharge_points,
    wallet_checkin,
    withdrawal_request,
)
from wenku.wallet.tasks import sandbox_send_notice

PAGE_SIZE = 20


def _client_ip(request: HttpRequest) -> str | None:
    return client_ip(request) or None


# --- member center ------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.member_transfers(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.member_statement(user=request.user, transfers=list(page))
    wallet_rules = selectors.rules_get()
    summary = selectors.wallet_summary(user=request.user)
    context = {
        "balance": summary.balance,
        "summary": summary,
        "page": page,
        "rows": rows,
        "rules": wallet_rules,
        "checked_in": selectors.checked_in_today(user=request.user),
        "provider": provider_active(),
        "points": _quote(10),
        "tab": "home",
    }
    return render(request, "wallet/home.html", context)


@login_required
@require_POST
def checkin(request: HttpRequest) -> HttpResponse:
    try:
        result = wallet_checkin(user=request.user)
    except WalletError as exc:
        messages.error(request, exc.message)
    else:
        if result.already:
            messages.info(request, _("今天已经签到过了，明天再来吧。"))
        else:
            messages.success(
                request, _("签到成功，获得 %(n)s 积分！") % {"n": result.points}
            )
    return redirect("wallet:home")


def _back_url(request: HttpRequest) -> str:
    """Where 取消 on the recharge page goes: the page that sent the member (a path on
    this site, such as the buy page), else the wallet."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("wallet:home")


@login_required
@require_http_methods(["GET", "POST"])
def recharge(request: HttpRequest) -> HttpResponse:
    """The recharge page: an amount, the points it buys (asked of the server as it is
    typed), 去支付 to the provider, 取消 back to where the member came from."""
    provider = provider_active()
    form = RechargeForm(request.POST or None, initial={"yuan": 10})
    error = ""
    if request.method == "POST":
        if provider is None:
            error = _("充值暂不可用 / Recharge is unavailable")
        elif not form.is_valid():
            error = _("请输入有效的充值金额（整数元） / Enter a whole number of yuan")
        else:
            try:
                order = recharge_order_create(
                    user=request.user,
                    yuan=form.cleaned_data["yuan"],
                    provider=provider.name,
                )
            except WalletError as exc:
                error = exc.message
            else:
                return HttpResponseRedirect(provider.pay_url(order, request=request))
    rules = selectors.rules_get()
    return render(
        request,
        "wallet/recharge.html",
        {
            "form": form,
            "error": error,
            "provider": provider,
            "rules": rules,
            "points": _quote(form["yuan"].value()),
            "balance": selectors.wallet_balance(user=request.user),
            "back_url": _back_url(request),
            "tab": "home",
        },
        status=400 if error else 200,
    )


def _quote(raw: object) -> tuple[int | None, str]:
    """(points, "") for an amount the rules allow, else (None, why not)."""
    text = str(raw or "").strip()
    yuan = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else -1
    try:
        return recharge_points(yuan=yuan), ""
    except WalletError as exc:
        return None, exc.message


@login_required
@require_GET
def recharge_quote(request: HttpRequest) -> JsonResponse:
    """GET ?yuan=N → {"points": ...} or 400 {"message": ...}: the recharge page's live
    figure, by the same rule every order is checked by."""
    points, message = _quote(request.GET.get("yuan", ""))
    if points is None:
        return JsonResponse({"message": message}, status=400)
    return JsonResponse({"points": points})


@login_required
def recharge_status(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    order = get_object_or_404(
        RechargeOrder, out_trade_no=out_trade_no, user_id=request.user.pk
    )
    return render(
        request,
        "wallet/recharge_status.html",
        {
            "order": order,
            "paid": order.status == RechargeStatus.PAID,
            "balance": selectors.wallet_balance(user=request.user),
            "tab": "home",
        },
    )


@login_required
@require_POST
def recharge_cancel(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    try:
        recharge_order_cancel(user=request.user, out_trade_no=out_trade_no)
    except WalletError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("充值订单已取消 / The recharge order is cancelled"))
    return redirect(reverse("wallet:home") + "#recharge")


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest) -> HttpResponse:
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal_request(
                user=request.user,
                points=form.cleaned_data["points"],
                payee=form.cleaned_data["payee"],
            )
        except WalletError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("提现申请已提交，积分已冻结，等待审核。"))
            return redirect("wallet:withdraw")
    income_release_due(user=request.user)
    summary = selectors.wallet_summary(user=request.user)
    return render(
        request,
        "wallet/withdraw.html",
        {
            "form": form,
            "balance": summary.balance,
            "summary": summary,
            "withdrawable": summary.withdrawable,
            "rules": selectors.rules_get(),
            "withdrawals": selectors.member_withdrawals(user=request.user)[:50],
            "tab": "withdraw",
        },
    )


@login_required
def earnings(request: HttpRequest) -> HttpResponse:
    rows = selectors.earnings_by_document(user=request.user)
    return render(
        request,
        "wallet/earnings.html",
        {"rows": rows, "total": sum(row["net"] for row in rows), "tab": "earnings"},
    )


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "wallet/orders.html",
        {
            "purchases": selectors.member_purchases(user=request.user)[:100],
            "downloads": selectors.member_downloads(user=request.user)[:100],
            "recharges": selectors.member_recharges(user=request.user)[:50],
            "tab": "orders",
        },
    )


# --- buy and download ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def buy(request: HttpRequest, number: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document, access = document_get_for_user(number=number, user=request.user)
    error = ""
    form = BuyForm(
        request.POST or None,
        initial={"idempotency_key": uuid.uuid4().hex, "expected_price": document.price},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                result = purchase_create(
                    buyer=request.user,
                    document=document,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    expected_price=form.cleaned_data["expected_price"],
                )
            except InsufficientBalance as exc:
                error = exc.message
            except WalletError as exc:
                error = exc.message
            else:
                if result.charged:
                    messages.success(
                        request,
                        _(
                            "购买成功，已扣除 %(price)s 积分，下载即将开始。"
                            "以后可随时免费重新下载。"
                        )
                        % {"price": result.purchase.price},
                    )
                else:
                    messages.info(request, _("您已购买过此文档，无需重复付款。"))
                # The buy page, once more, starts the download (buy.html, download.js).
                return redirect(
                    reverse("wallet:buy", kwargs={"number": document.number})
                    + "?bought=1"
                )
        else:
            error = _("请求无效，请刷新页面后重试 / Invalid request, please reload")
    return render(
        request,
        "wallet/buy.html",
        {
            "document": document,
            "form": form,
            "access": access,
            "balance": selectors.wallet_balance(user=request.user),
            "error": error,
            "short": error and "积分不足" in error,
            "start_download": request.method == "GET"
            and request.GET.get("bought") == "1"
            and access.download == Download.FULL,
        },
        status=400 if error else 200,
    )


def download(request: HttpRequest, number: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document, access = document_get_for_user(number=number, user=request.user)
    if access.download == Download.UNAVAILABLE:
        raise Http404(_("文档不存在或已下架"))
    if access.download == Download.BUY:
        messages.info(
            request,
            _("该文档需 %(price)s 积分，购买后即可下载。") % {"price": document.price},
        )
        return redirect("wallet:buy", number=document.number)
    if not download_record(
        user=request.user,
        ip=_client_ip(request),
        document=document,
        kind=download_kind(access),
    ):
        return _refusal(
            request,
            _("今日免费下载次数已用完，请明天再来 / Daily free download limit reached"),
            status=429,
        )
    return HttpResponseRedirect(
        download_url(user_id=request.user.pk, number=document.number)
    )


def _refusal(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    """A download refused: the site's error page for the status, with the reason
    (429: the daily free limit; 403 and 404: a link that no longer holds)."""
    template = "429.html" if status == 429 else "wallet/refused.html"
    html = render_to_string(
        template, {"message": message, "status": status}, request=request
    )
    return HttpResponse(html, status=status)


def _api_user(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Session user, else a bearer-token user (API clients follow the redirect)."""
    if request.user.is_authenticated:
        return request.user
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        user = bearer.authenticate(request, header[7:].strip())
        if user is not None:
            return user
    return request.user


def file(request: HttpRequest, number: int, token: str) -> HttpResponse | FileResponse:
    user = _api_user(request)
    try:
        link_verify(token=token, number=number, user=user)
    except LinkRefused as exc:
        return _refusal(request, exc.message, status=exc.status)
    document, access = document_lookup(number=number, user=user)
    if document is None or access.hidden == Hidden.DELETED:
        return _refusal(
            request, _("文档不存在或已删除 / Document not found"), status=404
        )
    # Re-check access: the link may outlive a refund or a takedown.
    if access.download not in (Download.FULL, Download.FREE):
        return _refusal(
            request,
            _(
                "您已无权下载此文档（可能已退款或文档已下架） / You may no longer "
                "download this document"
            ),
            status=403,
        )
    response = file_response(document=document)
    document_download_count(document=document)
    return response


# --- payments -------------------------------------------------------------------


@csrf_exempt
@require_POST
def notify(request: HttpRequest, provider: str) -> HttpResponse:
    body = request.body.decode("utf-8", "replace")  # read before POST consumes it
    accepted, _outcome = payment_notice_handle(
        provider_name=provider,
        data=request.POST.dict(),
        body=body,
        ip=_client_ip(request) or "",
    )
    found = provider_get(provider)
    if accepted and found is not None:
        return HttpResponse(found.ack_body, content_type="text/plain")
    return HttpResponse("fail", status=400, content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_pay(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    """The sandbox provider's own pay page (stands in for an external site)."""
    if provider_get("sandbox") is None or provider_active() is None:
        raise Http404
    order = get_object_or_404(
        RechargeOrder, out_trade_no=out_trade_no, user_id=request.user.pk
    )
    if order.provider != "sandbox":
        raise Http404
    if request.method == "POST":
        if order.status == RechargeStatus.PENDING:
            notify_url = request.build_absolute_uri(
                reverse("wallet:notify", kwargs={"provider": "sandbox"})
            )
            sandbox_send_notice.delay(
                out_trade_no=order.out_trade_no,
                amount_fen=order.amount_fen,
                notify_url=notify_url,
            )
        return redirect("wallet:recharge_status", out_trade_no=order.out_trade_no)
    if order.status != RechargeStatus.PENDING:
        return redirect("wallet:recharge_status", out_trade_no=order.out_trade_no)
    return render(request, "wallet/sandbox_pay.html", {"order": order})
