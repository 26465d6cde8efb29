"""API routes of the wallet app: balance, ledger, purchase, download, check-in."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from ninja import Header, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from wenku.accounts.api_auth import bearer
from wenku.core.pagination import BoundedPageNumberPagination
from wenku.documents.access import DocumentAccess, Download, document_get_for_user
from wenku.documents.models import Document
from wenku.wallet import selectors
from wenku.wallet.downloads import download_url
from wenku.wallet.models import Entry
from wenku.wallet.services import (
    IdempotencyConflict,
    InsufficientBalance,
    WalletError,
    free_download_record,
    purchase_create,
    wallet_checkin,
)


def _member(request: HttpRequest) -> Any:
    """The member the bearer token authenticated (django-ninja sets request.auth)."""
    return cast(Any, request).auth


router = Router(tags=["wallet"], auth=bearer)


class Message(Schema):
    message: str


class BalanceOut(Schema):
    balance: int


class EntryOut(Schema):
    id: int
    amount: int
    balance_after: int
    kind: str
    description: str
    document_number: int | None
    created_at: datetime

    @staticmethod
    def resolve_kind(entry: Entry) -> str:
        return entry.transfer.kind

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


@router.get("/wallet", response=BalanceOut, summary="My balance")
def wallet(request: HttpRequest):
    return {"balance": selectors.wallet_balance(user=_member(request))}


@router.get("/wallet/entries", response=list[EntryOut], summary="My ledger entries")
@paginate(BoundedPageNumberPagination, page_size=20)
def entries(request: HttpRequest):
    return selectors.member_entries(user=_member(request))


@router.post(
    "/documents/{number}/purchase",
    response={200: PurchaseOut, 400: Message, 402: Message, 404: Message, 409: Message},
    summary="Buy a document (idempotent on the Idempotency-Key header)",
)
def purchase(
    request: HttpRequest,
    number: int,
    # Its length is purchase_create's rule, as for the buy page's form.
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
):
    document, _access = _document(request, number)
    try:
        result = purchase_create(
            buyer=_member(request), document=document, idempotency_key=idempotency_key
        )
    except InsufficientBalance as exc:
        return Status(402, {"message": exc.message})
    except IdempotencyConflict as exc:
        return Status(409, {"message": exc.message})
    except WalletError as exc:
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
    if access.download == Download.FREE and not free_download_record(
        user=user, ip=request.META.get("REMOTE_ADDR"), document=document
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
