"""API routes of the wallet app: balance, ledger, purchase, download, check-in,
withdrawals."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from ninja import Header, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from wenku.accounts.api_auth import bearer
from wenku.core.clientip import client_ip
from wenku.core.pagination import BoundedPageNumberPagination
from wenku.documents.access import DocumentAccess, Download, document_get_for_user
from wenku.documents.models import Document
from wenku.wallet import selectors
from wenku.wallet.downloads import download_kind, download_url
from wenku.wallet.models import AccountKind, Entry
from wenku.wallet.services import (
    IdempotencyConflict,
    InsufficientBalance,
    WalletError,
    download_record,
    income_release_due,
    purchase_create,
    wallet_checkin,
    withdrawal_request,
)


def _member(request: HttpRequest) -> Any:
    """The member the bearer token authenticated (django-ninja sets request.auth)."""
    return cast(Any, request).auth


router = Router(tags=["wallet"], auth=bearer)

ACCOUNT_NAMES: dict[str, str] = {
    AccountKind.MEMBER: "bonus",
    AccountKind.MEMBER_PAID: "paid",
    AccountKind.MEMBER_HELD: "held",
    AccountKind.MEMBER_INCOME: "income",
}


class Message(Schema):
    message: str


class BalanceOut(Schema):
    balance: int  # everything spendable: bonus + paid
    bonus: int  # sign-up, check-in, rewards, grants, sandbox recharges: never cashed
    paid: int  # real money stands behind it: recharged points and sales income
    withdrawable: int  # sales income past its hold, less any refund debt
    held: int  # sales income still in its hold (the refund window)


class PurchaseIn(Schema):
    # The price the buyer saw; a changed price is refused (409) and charges nothing.
    expected_price: int


class PriceChanged(Schema):
    message: str
    code: str
    price: int


class WithdrawalIn(Schema):
    points: int
    payee: str


class WithdrawalOut(Schema):
    id: int
    points: int
    payee: str
    status: str
    note: str
    created_at: datetime
    decided_at: datetime | None


class EntryOut(Schema):
    id: int
    amount: int
    balance_after: int  # of the account this entry is on
    account: str  # bonus, paid, held or income
    kind: str
    description: str
    document_number: int | None
    created_at: datetime

    @staticmethod
    def resolve_kind(entry: Entry) -> str:
        return entry.transfer.kind

    @staticmethod
    def resolve_account(entry: Entry) -> str:
        return ACCOUNT_NAMES.get(entry.account.kind, entry.account.kind)

    @staticmethod
    def resolve_description(entry: Entry) -> str:
        return selectors.entry_description(entry)

    @staticmethod
    def resolve_document_number(entry: Entry) -> int | None:
        document = entry.transfer.document
        return document.number if document is not None else None


class PurchaseOut(Schema):
    entitled: bool
    balance: int
    charged: bool
    price: int


class CheckinOut(Schema):
    points: int
    already: bool
    balance: int


def _document(request: HttpRequest, number: int) -> tuple[Document, DocumentAccess]:
    try:
        return document_get_for_user(number=number, user=_member(request))
    except Http404 as exc:
        raise HttpError(404, "文档不存在或已删除 / Document not found") from exc


@router.get("/wallet", response=BalanceOut, summary="My balance, by kind of point")
def wallet(request: HttpRequest):
    user = _member(request)
    income_release_due(user=user)
    summary = selectors.wallet_summary(user=user)
    return {
        "balance": summary.balance,
        "bonus": summary.bonus,
        "paid": summary.paid,
        "withdrawable": summary.withdrawable,
        "held": summary.held,
    }


@router.get(
    "/wallet/withdrawals", response=list[WithdrawalOut], summary="My withdrawals"
)
@paginate(BoundedPageNumberPagination, page_size=20)
def withdrawals(request: HttpRequest):
    return selectors.member_withdrawals(user=_member(request))


@router.post(
    "/wallet/withdrawals",
    response={201: WithdrawalOut, 400: Message},
    summary="Ask to cash out withdrawable income (held until an admin decides)",
)
def withdrawal_create(request: HttpRequest, body: WithdrawalIn):
    try:
        withdrawal = withdrawal_request(
            user=_member(request), points=body.points, payee=body.payee
        )
    except WalletError as exc:
        return Status(400, {"message": exc.message})
    return Status(201, withdrawal)


@router.get("/wallet/entries", response=list[EntryOut], summary="My ledger entries")
@paginate(BoundedPageNumberPagination, page_size=20)
def entries(request: HttpRequest):
    return selectors.member_entries(user=_member(request))


@router.post(
    "/documents/{number}/purchase",
    response={
        200: PurchaseOut,
        400: Message,
        402: Message,
        404: Message,
        409: PriceChanged | Message,
    },
    summary="Buy a document at the price you saw (idempotent on Idempotency-Key)",
)
def purchase(
    request: HttpRequest,
    number: int,
    body: PurchaseIn,
    # Its length is purchase_create's rule, as for the buy page's form.
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
):
    document, _access = _document(request, number)
    try:
        result = purchase_create(
            buyer=_member(request),
            document=document,
            idempotency_key=idempotency_key,
            expected_price=body.expected_price,
        )
    except InsufficientBalance as exc:
        return Status(402, {"message": exc.message})
    except IdempotencyConflict as exc:
        return Status(409, {"message": exc.message})
    except WalletError as exc:
        if exc.code == "price_changed":
            document.refresh_from_db(fields=["price"])
            return Status(
                409, {"message": exc.message, "code": exc.code, "price": document.price}
            )
        return Status(400, {"message": exc.message})
    return Status(
        200,
        {
            "entitled": True,
            "balance": result.balance,
            "charged": result.charged,
            "price": result.purchase.price,
        },
    )


@router.get(
    "/documents/{number}/download",
    response={302: None, 402: Message, 404: Message, 429: Message},
    summary="Redirect to a short-lived signed download URL",
)
def download(request: HttpRequest, number: int) -> HttpResponse:
    user = _member(request)
    document, access = _document(request, number)
    if access.download == Download.UNAVAILABLE:
        raise HttpError(404, "文档不存在或已下架 / Document not available")
    if access.download == Download.BUY:
        raise HttpError(
            402,
            f"请先购买（{document.price} 积分） / Buy it first ({document.price} points)",
        )
    if not download_record(
        user=user,
        ip=client_ip(request) or None,
        document=document,
        kind=download_kind(access),
    ):
        raise HttpError(
            429, "今日免费下载次数已用完 / Daily free download limit reached"
        )
    return HttpResponseRedirect(download_url(user_id=user.pk, number=document.number))


@router.post("/checkin", response={200: CheckinOut, 400: Message}, summary="签到")
def checkin(request: HttpRequest):
    try:
        result = wallet_checkin(user=_member(request))
    except WalletError as exc:
        return Status(400, {"message": exc.message})
    return {
        "points": result.points,
        "already": result.already,
        "balance": result.balance,
    }
