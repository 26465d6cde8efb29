"""The access policy, table-driven: principal × document state × action.

Every document has 4 rendered pages, 2 of them free, and costs 0 or 5 points. The
buyer bought it while it was published and priced; its state and price were changed
afterwards, so the entitlement exists in every row. The site has no comments; favorites
(``fav``) are the members-only action in their place.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenku.core.selectors import site_settings_get
from wenku.documents.access import (
    Buy,
    Download,
    Hidden,
    document_access,
    document_access_many,
    document_lookup,
    may_review,
)
from wenku.documents.models import Document, DocumentStatus

# who       status      price hidden        public pages text download    buy         rate fav report edit
TABLE = """
anonymous   processing  0     not_published no     0     no   unavailable unavailable no   no  no     no
anonymous   processing  5     not_published no     0     no   unavailable unavailable no   no  no     no
anonymous   published   0     -             yes    2     no   sign_in     sign_in     no   no  yes    no
anonymous   published   5     -             yes    2     no   sign_in     sign_in     no   no  yes    no
anonymous   in_review   0     not_published no     0     no   unavailable unavailable no   no  no     no
anonymous   in_review   5     not_published no     0     no   unavailable unavailable no   no  no     no
anonymous   rejected    0     not_published no     0     no   unavailable unavailable no   no  no     no
anonymous   rejected    5     not_published no     0     no   unavailable unavailable no   no  no     no
anonymous   failed      0     not_published no     0     no   unavailable unavailable no   no  no     no
anonymous   failed      5     not_published no     0     no   unavailable unavailable no   no  no     no
anonymous   taken_down  0     taken_down    no     0     no   unavailable unavailable no   no  no     no
anonymous   taken_down  5     taken_down    no     0     no   unavailable unavailable no   no  no     no
anonymous   unlisted    0     unlisted      no     0     no   unavailable unavailable no   no  no     no
anonymous   unlisted    5     unlisted      no     0     no   unavailable unavailable no   no  no     no
anonymous   deleted     0     deleted       no     0     no   unavailable unavailable no   no  no     no
anonymous   deleted     5     deleted       no     0     no   unavailable unavailable no   no  no     no
member      processing  0     not_published no     0     no   unavailable unavailable no   no  no     no
member      processing  5     not_published no     0     no   unavailable unavailable no   no  no     no
member      published   0     -             yes    2     no   free        free        no   yes yes    no
member      published   5     -             yes    2     no   buy         available   no   yes yes    no
member      in_review   0     not_published no     0     no   unavailable unavailable no   no  no     no
member      in_review   5     not_published no     0     no   unavailable unavailable no   no  no     no
member      rejected    0     not_published no     0     no   unavailable unavailable no   no  no     no
member      rejected    5     not_published no     0     no   unavailable unavailable no   no  no     no
member      failed      0     not_published no     0     no   unavailable unavailable no   no  no     no
member      failed      5     not_published no     0     no   unavailable unavailable no   no  no     no
member      taken_down  0     taken_down    no     0     no   unavailable unavailable no   no  no     no
member      taken_down  5     taken_down    no     0     no   unavailable unavailable no   no  no     no
member      unlisted    0     unlisted      no     0     no   unavailable unavailable no   no  no     no
member      unlisted    5     unlisted      no     0     no   unavailable unavailable no   no  no     no
member      deleted     0     deleted       no     0     no   unavailable unavailable no   no  no     no
member      deleted     5     deleted       no     0     no   unavailable unavailable no   no  no     no
buyer       processing  0     not_published no     0     no   unavailable unavailable no   no  no     no
buyer       processing  5     not_published no     0     no   unavailable unavailable no   no  no     no
buyer       published   0     -             yes    4     yes  full        entitled    yes  yes yes    no
buyer       published   5     -             yes    4     yes  full        entitled    yes  yes yes    no
buyer       in_review   0     not_published no     0     no   unavailable unavailable no   no  no     no
buyer       in_review   5     not_published no     0     no   unavailable unavailable no   no  no     no
buyer       rejected    0     not_published no     0     no   unavailable unavailable no   no  no     no
buyer       rejected    5     not_published no     0     no   unavailable unavailable no   no  no     no
buyer       failed      0     not_published no     0     no   unavailable unavailable no   no  no     no
buyer       failed      5     not_published no     0     no   unavailable unavailable no   no  no     no
buyer       taken_down  0     taken_down    no     0     no   unavailable unavailable no   no  no     no
buyer       taken_down  5     taken_down    no     0     no   unavailable unavailable no   no  no     no
buyer       unlisted    0     -             no     4     yes  full        entitled    no   yes yes    no
buyer       unlisted    5     -             no     4     yes  full        entitled    no   yes yes    no
buyer       deleted     0     deleted       no     0     no   unavailable unavailable no   no  no     no
buyer       deleted     5     deleted       no     0     no   unavailable unavailable no   no  no     no
uploader    processing  0     -             no     4     yes  full        own         no   yes yes    yes
uploader    processing  5     -             no     4     yes  full        own         no   yes yes    yes
uploader    published   0     -             yes    4     yes  full        own         no   yes yes    yes
uploader    published   5     -             yes    4     yes  full        own         no   yes yes    yes
uploader    in_review   0     -             no     4     yes  full        own         no   yes yes    yes
uploader    in_review   5     -             no     4     yes  full        own         no   yes yes    yes
uploader    rejected    0     -             no     4     yes  full        own         no   yes yes    yes
uploader    rejected    5     -             no     4     yes  full        own         no   yes yes    yes
uploader    failed      0     -             no     4     yes  full        own         no   yes yes    yes
uploader    failed      5     -             no     4     yes  full        own         no   yes yes    yes
uploader    taken_down  0     taken_down    no     0     no   unavailable unavailable no   no  no     no
uploader    taken_down  5     taken_down    no     0     no   unavailable unavailable no   no  no     no
uploader    unlisted    0     -             no     4     yes  full        own         no   yes yes    yes
uploader    unlisted    5     -             no     4     yes  full        own         no   yes yes    yes
uploader    deleted     0     deleted       no     0     no   unavailable unavailable no   no  no     no
uploader    deleted     5     deleted       no     0     no   unavailable unavailable no   no  no     no
staff       processing  0     -             no     4     yes  full        free        no   yes yes    yes
staff       processing  5     -             no     4     yes  full        unavailable no   yes yes    yes
staff       published   0     -             yes    4     yes  full        free        no   yes yes    yes
staff       published   5     -             yes    4     yes  full        available   no   yes yes    yes
staff       in_review   0     -             no     4     yes  full        free        no   yes yes    yes
staff       in_review   5     -             no     4     yes  full        unavailable no   yes yes    yes
staff       rejected    0     -             no     4     yes  full        free        no   yes yes    yes
staff       rejected    5     -             no     4     yes  full        unavailable no   yes yes    yes
staff       failed      0     -             no     4     yes  full        free        no   yes yes    yes
staff       failed      5     -             no     4     yes  full        unavailable no   yes yes    yes
staff       taken_down  0     -             no     4     yes  full        free        no   yes yes    yes
staff       taken_down  5     -             no     4     yes  full        unavailable no   yes yes    yes
staff       unlisted    0     -             no     4     yes  full        free        no   yes yes    yes
staff       unlisted    5     -             no     4     yes  full        unavailable no   yes yes    yes
staff       deleted     0     deleted       no     0     no   unavailable unavailable no   no  no     no
staff       deleted     5     deleted       no     0     no   unavailable unavailable no   no  no     no
"""
COLUMNS = [
    "who",
    "status",
    "price",
    "hidden",
    "public",
    "pages",
    "text",
    "download",
    "buy",
    "rate",
    "favorite",
    "report",
    "edit",
]
ROWS = [
    dict(zip(COLUMNS, line.split(), strict=True)) for line in TABLE.split("\n") if line
]


def _yes(value: str) -> bool:
    return {"yes": True, "no": False}[value]


@pytest.fixture
def page_document(make_document):
    def _make(*, uploader):
        return make_document(
            uploader=uploader, pages=["一", "二", "三", "四"], free_pages=2, price=5
        )

    return _make


@pytest.fixture
def principal(make_user):
    """The user a row names, and the uploader of that row's document."""

    def _make(who: str):
        uploader = make_user("uploader")
        user = {
            "anonymous": AnonymousUser,
            "member": lambda: make_user("member"),
            "buyer": lambda: make_user("buyer"),
            "uploader": lambda: uploader,
            "staff": lambda: make_user("staff", is_staff=True),
        }[who]()
        return user, uploader

    return _make


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['who']}-{r['status']}-{r['price']}" for r in ROWS]
)
def test_access_table(row, principal, page_document):
    from wenku.wallet.services import purchase_create, wallet_grant

    user, uploader = principal(row["who"])
    document = page_document(uploader=uploader)
    if row["who"] == "buyer":
        wallet_grant(user=user, amount=5, reason="测试充值")
        purchase_create(buyer=user, document=document, idempotency_key="table")
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus(row["status"]), price=int(row["price"])
    )
    document.refresh_from_db()

    access = document_access(user=user, document=document)

    assert (
        access.hidden,
        access.view,
        access.public,
        access.readable_pages,
        access.public_pages,
        access.full_text,
        access.download,
        access.buy,
        access.rate,
        access.favorite,
        access.report,
        access.edit,
    ) == (
        None if row["hidden"] == "-" else Hidden(row["hidden"]),
        row["hidden"] == "-",
        _yes(row["public"]),
        int(row["pages"]),
        2 if _yes(row["public"]) else 0,
        _yes(row["text"]),
        Download(row["download"]),
        Buy(row["buy"]),
        _yes(row["rate"]),
        _yes(row["favorite"]),
        _yes(row["report"]),
        _yes(row["edit"]),
    )
    assert [access.may_view_page(n) for n in range(6)] == [
        1 <= n <= int(row["pages"]) for n in range(6)
    ]


def test_table_covers_every_principal_state_and_price():
    assert {(r["who"], r["status"], r["price"]) for r in ROWS} == {
        (who, status, price)
        for who in ("anonymous", "member", "buyer", "uploader", "staff")
        for status in DocumentStatus.values
        for price in ("0", "5")
    }
    assert len(ROWS) == 80


@pytest.mark.django_db
def test_missing_document(make_user):
    member = make_user()
    document, access = document_lookup(number=1, user=member)
    assert document is None
    assert access == document_access(user=member, document=None)
    assert (access.hidden, access.view, access.readable_pages, access.download) == (
        Hidden.MISSING,
        False,
        0,
        Download.UNAVAILABLE,
    )


@pytest.mark.django_db
def test_refund_ends_the_entitlement(make_user, page_document):
    from wenku.wallet.services import purchase_create, purchase_refund, wallet_grant

    buyer = make_user()
    document = page_document(uploader=make_user())
    wallet_grant(user=buyer, amount=5, reason="测试充值")
    purchase = purchase_create(buyer=buyer, document=document, idempotency_key="k")
    assert document_access(user=buyer, document=document).buy == Buy.ENTITLED
    purchase_refund(purchase=purchase.purchase, by=None, reason="测试")
    access = document_access(user=buyer, document=document)
    assert (access.readable_pages, access.download, access.buy) == (
        2,
        Download.BUY,
        Buy.AVAILABLE,
    )


@pytest.mark.django_db
def test_batch_answers_a_result_page_with_one_entitlement_query(
    make_user, page_document
):
    uploader, member = make_user(), make_user()
    documents = [page_document(uploader=uploader) for _ in range(12)]
    Document.objects.filter(pk=documents[0].pk).update(status=DocumentStatus.DELETED)
    documents[0].refresh_from_db()
    expected = {d.pk: document_access(user=member, document=d) for d in documents}
    staff, anonymous = make_user("staff", is_staff=True), AnonymousUser()
    for user, queries in ((member, 1), (uploader, 0), (staff, 0), (anonymous, 0)):
        with CaptureQueriesContext(connection) as context:
            found = document_access_many(user=user, documents=documents)
        assert len(context.captured_queries) == queries
        assert list(found) == [d.pk for d in documents]
    assert document_access_many(user=member, documents=documents) == expected


@pytest.mark.django_db
def test_document_page_runs_the_entitlement_query_once(
    client, make_user, page_document
):
    site_settings_get()  # created on first read, which would void the first render
    document = page_document(uploader=make_user())
    client.force_login(make_user())

    def entitlement_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(document.get_absolute_url()).status_code == 200
        return sum("wallet_purchase" in q["sql"] for q in context.captured_queries)

    assert entitlement_queries() == 1
    # Then remembered by this process until the member's holdings change.
    assert entitlement_queries() == 0


@pytest.mark.django_db
def test_only_staff_review_and_only_documents_in_review(make_user, make_document):
    staff = make_user("reviewer", is_staff=True)
    in_review = make_document(status=DocumentStatus.IN_REVIEW)
    assert may_review(staff) and not may_review(in_review.uploader)
    assert not may_review(AnonymousUser())
    assert document_access(user=staff, document=in_review).review is True
    assert document_access(user=in_review.uploader, document=in_review).review is False
    for status in DocumentStatus.values:
        if status != DocumentStatus.IN_REVIEW:
            other = make_document(status=status)
            assert document_access(user=staff, document=other).review is False
