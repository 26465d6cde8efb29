"""Who may do what with a document: the one access policy of the site.

``document_access`` answers, in one value computed once per request, everything a
page, an endpoint or a service needs to know about one reader and one document;
``document_access_many`` answers a whole result page with one entitlement query.
Views, the JSON API, search, downloads, the wallet and the member center read these
values and never look at status, uploader, staff or purchases themselves.

The rules:

- Published documents are seen by everyone. Processing, in review, rejected and failed
  documents are seen only by their uploader and staff; taken-down ones only by staff
  (everyone else gets the removed page); deleted ones by nobody.
  A document its uploader unlisted is seen by the uploader, staff and its buyers:
  purchases last.
- Everyone reads the free pages of a published document; the uploader, staff and
  buyers (a paid purchase in the wallet) read every rendered page.
- Downloading needs an account: the uploader, staff and buyers always may (a signed
  link, no quota), members may download free published documents within the daily
  limits, and priced ones after buying them.
- Members rate a published document they bought or downloaded free (not their own),
  favorite what they see; anyone reports what they see; the uploader and staff edit
  and delete.
- Members with an active account comment on a published document (and reply);
  everyone who sees a document reads its comments.
- Staff review: they see the review queue (``may_review``) and approve or reject a
  document while it is in review (``DocumentAccess.review``).

Public listings (home, categories, search, sitemap, related documents, favorites) use
``public_documents`` or, in raw SQL, ``public_sql``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from wenku.core import pagecache
from wenku.documents.models import Document, DocumentStatus
from wenku.wallet.selectors import (
    downloaded_free_document_ids,
    entitled_document_ids,
)


class Hidden(StrEnum):
    """Why a reader may not see a document at all."""

    MISSING = "missing"
    NOT_PUBLISHED = "not_published"  # processing, in review, rejected or failed
    TAKEN_DOWN = "taken_down"
    UNLISTED = "unlisted"  # withdrawn by its uploader; its buyers still see it
    DELETED = "deleted"


class Download(StrEnum):
    """What GET /documents/<number>/download/ does for this reader."""

    FULL = "full"  # uploader, staff or buyer: a signed link, no quota
    FREE = "free"  # a free published document: a signed link within daily limits
    BUY = "buy"  # priced and not bought: the buy page first
    SIGN_IN = "sign_in"  # anonymous: log in first
    UNAVAILABLE = "unavailable"  # hidden from this reader


class RateRefusal(StrEnum):
    """Why this reader may not rate the document (None in ``rate_refusal``: they may)."""

    SIGN_IN = "sign_in"  # anonymous: log in first
    NOT_PUBLISHED = "not_published"  # only published documents are rated
    OWN = "own"  # its uploader
    NOT_READER = "not_reader"  # neither bought nor downloaded free


class CommentRefusal(StrEnum):
    """Why this reader may not comment on the document (None: they may)."""

    SIGN_IN = "sign_in"  # anonymous: log in first
    NOT_PUBLISHED = "not_published"  # only published documents take comments
    SUSPENDED = "suspended"  # the member's account is suspended (not active)


class Buy(StrEnum):
    """What the buy page offers this reader."""

    AVAILABLE = "available"  # priced, published, not bought: the buy form
    ENTITLED = "entitled"  # bought already: download again for free
    OWN = "own"  # the uploader's own document: nothing to buy
    FREE = "free"  # price 0: download directly
    SIGN_IN = "sign_in"  # anonymous: log in first
    UNAVAILABLE = "unavailable"  # hidden, or not published: not for sale


@dataclass(frozen=True)
class DocumentAccess:
    """What one reader may do with one document."""

    hidden: Hidden | None  # why the reader may not see it; None: they may
    public: bool  # published: listed, searched, views counted, free pages cacheable
    readable_pages: int  # leading pages (images and text) this reader may read
    public_pages: int  # leading pages everyone may read
    full_text: bool  # every page: the uploader, staff and buyers
    download: Download
    buy: Buy
    rate: bool  # rate_refusal is None
    rate_refusal: RateRefusal | None
    comment: bool  # comment_refusal is None
    comment_refusal: CommentRefusal | None
    favorite: bool
    report: bool
    edit: bool  # edit the details or delete the document: the uploader and staff
    review: bool  # approve or reject it: staff, while it is in review

    @property
    def view(self) -> bool:
        return self.hidden is None

    def may_view_page(self, number: int) -> bool:
        return 1 <= number <= self.readable_pages


def _hidden_access(hidden: Hidden) -> DocumentAccess:
    return DocumentAccess(
        hidden=hidden,
        public=False,
        readable_pages=0,
        public_pages=0,
        full_text=False,
        download=Download.UNAVAILABLE,
        buy=Buy.UNAVAILABLE,
        rate=False,
        rate_refusal=RateRefusal.NOT_PUBLISHED,
        comment=False,
        comment_refusal=CommentRefusal.NOT_PUBLISHED,
        favorite=False,
        report=False,
        edit=False,
        review=False,
    )


@dataclass(frozen=True)
class _Reader:
    member: bool  # signed in
    pk: Any
    staff: bool
    active: bool  # a member whose account is not suspended

    @classmethod
    def of(cls, user: Any) -> _Reader:
        member = bool(getattr(user, "is_authenticated", False))
        return cls(
            member=member,
            pk=user.pk if member else None,
            staff=member and bool(user.is_staff),
            active=member and bool(getattr(user, "is_active", False)),
        )

    def is_uploader(self, document: Document) -> bool:
        return self.member and document.uploader_id == self.pk

    def is_insider(self, document: Document) -> bool:
        """The uploader or staff: sees every state but deleted, reads everything."""
        return self.staff or self.is_uploader(document)


def _hidden(reader: _Reader, document: Document, *, entitled: bool) -> Hidden | None:
    status = document.status
    if status == DocumentStatus.DELETED:
        return Hidden.DELETED
    if status == DocumentStatus.TAKEN_DOWN and not reader.staff:
        # Removed for everyone, its uploader too: no reading, editing or
        # republishing; the removed page tells them why and how to answer.
        return Hidden.TAKEN_DOWN
    if status == DocumentStatus.PUBLISHED or reader.is_insider(document):
        return None
    if status == DocumentStatus.UNLISTED:
        return None if entitled else Hidden.UNLISTED
    if status == DocumentStatus.TAKEN_DOWN:
        return Hidden.TAKEN_DOWN
    return Hidden.NOT_PUBLISHED


def _may_hold_purchase(reader: _Reader, document: Document) -> bool:
    """Whether this reader's access depends on a purchase (costs a query to know)."""
    if not reader.member or reader.is_insider(document):
        return False
    return document.status in (DocumentStatus.PUBLISHED, DocumentStatus.UNLISTED)


def _download(reader: _Reader, document: Document, *, full: bool) -> Download:
    if not reader.member:
        return Download.SIGN_IN
    if full:
        return Download.FULL
    # Only published documents reach here: others are hidden from non-insiders.
    return Download.FREE if document.is_free else Download.BUY


def _buy(reader: _Reader, document: Document, *, entitled: bool) -> Buy:
    # Ownership and an earlier purchase come before the price: a document bought
    # and later made free still reads "bought" on the buy page.
    if not reader.member:
        return Buy.SIGN_IN
    if reader.is_uploader(document):
        return Buy.OWN
    if entitled:
        return Buy.ENTITLED
    if document.is_free:
        return Buy.FREE
    if not document.is_public:
        return Buy.UNAVAILABLE
    return Buy.AVAILABLE


def _rate_refusal(
    reader: _Reader, document: Document, *, got_it: bool
) -> RateRefusal | None:
    # Only readers who got the document rate it: a buyer, or a member who
    # downloaded it free; never its uploader.
    if not reader.member:
        return RateRefusal.SIGN_IN
    if not document.is_public:
        return RateRefusal.NOT_PUBLISHED
    if reader.is_uploader(document):
        return RateRefusal.OWN
    return None if got_it else RateRefusal.NOT_READER


def _comment_refusal(reader: _Reader, document: Document) -> CommentRefusal | None:
    # Comments are public: only on published documents, from members in good
    # standing (an account suspended by staff keeps reading, not writing).
    if not reader.member:
        return CommentRefusal.SIGN_IN
    if not document.is_public:
        return CommentRefusal.NOT_PUBLISHED
    if not reader.active:
        return CommentRefusal.SUSPENDED
    return None


def _decide(
    reader: _Reader, document: Document, *, entitled: bool, downloaded: bool = False
) -> DocumentAccess:
    hidden = _hidden(reader, document, entitled=entitled)
    if hidden is not None:
        return _hidden_access(hidden)
    full = entitled or reader.is_insider(document)
    public = document.is_public
    rate_refusal = _rate_refusal(reader, document, got_it=entitled or downloaded)
    comment_refusal = _comment_refusal(reader, document)
    return DocumentAccess(
        hidden=None,
        public=public,
        readable_pages=document.rendered_pages if full else document.visible_free_pages,
        public_pages=document.visible_free_pages if public else 0,
        full_text=full,
        download=_download(reader, document, full=full),
        buy=_buy(reader, document, entitled=entitled),
        rate=rate_refusal is None,
        rate_refusal=rate_refusal,
        comment=comment_refusal is None,
        comment_refusal=comment_refusal,
        favorite=reader.member,
        report=True,
        edit=reader.is_insider(document),
        review=reader.staff and document.status == DocumentStatus.IN_REVIEW,
    )


def may_review(user: Any) -> bool:
    """Whether this user works the review queue (staff)."""
    return _Reader.of(user).staff


def _holdings(
    user: Any, unsure: list[int], free: Iterable[int]
) -> tuple[set[int], set[int]]:
    """Of these documents, which the member bought, and which free ones (of ``free``)
    they downloaded: a query each, the second only when needed."""
    entitled = entitled_document_ids(user=user, document_ids=unsure)
    free = [pk for pk in free if pk not in entitled]
    return entitled, downloaded_free_document_ids(user=user, document_ids=free)


def document_access_many(
    *, user: Any, documents: Iterable[Document], remembered: bool = False
) -> dict[int, DocumentAccess]:
    """``document_access`` of many documents by id, with one entitlement query.
    ``remembered``: the member's purchases and free downloads as this process last
    read them while the member's tag is unchanged (every purchase, refund and free
    download bumps it)."""
    documents = list(documents)
    reader = _Reader.of(user)
    # Entitlements matter only to members who are neither the uploader nor staff,
    # of documents that are published or unlisted; nobody else costs a query.
    unsure = [
        document.pk for document in documents if _may_hold_purchase(reader, document)
    ]
    free = [
        document.pk
        for document in documents
        if document.is_free and document.pk in unsure
    ]
    if remembered and unsure:
        entitled, downloaded = pagecache.memo.remember(
            ("holdings", reader.pk, tuple(unsure), tuple(free)),
            (pagecache.member_tag(reader.pk),),
            lambda: _holdings(user, unsure, free),
        )
    else:
        entitled, downloaded = _holdings(user, unsure, free)
    return {
        document.pk: _decide(
            reader,
            document,
            entitled=document.pk in entitled,
            downloaded=document.pk in downloaded,
        )
        for document in documents
    }


def document_access(*, user: Any, document: Document | None) -> DocumentAccess:
    """What this user may do with this document (``None``: there is no such document)."""
    if document is None:
        return _hidden_access(Hidden.MISSING)
    return document_access_many(user=user, documents=[document])[document.pk]


def _document_where(**where: int) -> Document | None:
    return (
        Document.objects.select_related("uploader", "category", "category__parent")
        .defer("text")  # the whole text: pages carry what a reader is shown
        .filter(**where)
        .first()
    )


_pk_of_number: dict[int, int] = {}  # checked on use: a number might be reused


def _remembered(number: int) -> Document | None:
    """The document as this process last read it while its tag (bumped by every
    write to it, as for cached pages) and the site's are unchanged; a copy."""
    pk = _pk_of_number.get(number)
    if pk is not None:
        document = pagecache.memo.remember(
            ("document", pk),
            (pagecache.document_tag(pk), pagecache.SITE),
            lambda: _document_where(pk=pk),
        )
        if document is not None and document.number == number:
            return copy.copy(document)
    document = _document_where(number=number)
    if document is not None:
        _pk_of_number[number] = document.pk
    return document


def forget_remembered() -> None:
    """Drop this process's remembered numbers (tests, whose database is reset)."""
    _pk_of_number.clear()


def document_lookup(
    *, number: int, user: Any, remembered: bool = False
) -> tuple[Document | None, DocumentAccess]:
    """The document with this number (deleted ones too) and this user's access to it.
    ``remembered``: possibly this process's copies of the document and of the
    member's holdings, current in everything access depends on (status, price,
    pages, uploader, purchases) but maybe not in names shown from other rows (the
    uploader's nickname): for answers built from the cached page."""
    if not remembered:
        document = _document_where(number=number)
        return document, document_access(user=user, document=document)
    document = _remembered(number)
    if document is None:
        return None, _hidden_access(Hidden.MISSING)
    return document, document_access_many(
        user=user, documents=[document], remembered=True
    )[document.pk]


def document_get_for_user(*, number: int, user: Any) -> tuple[Document, DocumentAccess]:
    """The document and this user's access to it, or Http404 unless they may see it."""
    document, access = document_lookup(number=number, user=user)
    if document is None or not access.view:
        raise Http404("文档不存在或已删除")
    return document, access


def public_documents() -> QuerySet[Document]:
    """Documents everyone may see: the base of every public listing."""
    return Document.objects.filter(status=DocumentStatus.PUBLISHED)


def public_sql(alias: str) -> tuple[str, list[str]]:
    """``public_documents`` as a raw SQL condition over documents aliased ``alias``."""
    return f"{alias}.status = %s", [DocumentStatus.PUBLISHED.value]


def uploader_documents(*, user: Any) -> QuerySet[Document]:
    """A member's own uploads that they may still open (all but deleted ones)."""
    return Document.objects.filter(uploader_id=user.pk).exclude(
        status=DocumentStatus.DELETED
    )
