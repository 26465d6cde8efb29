"""Ratings come only from readers who got the document: a buyer, or a member who
downloaded it free; the page shows the average with its count, in both languages."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from wenku.accounts.services import api_token_create
from wenku.documents.access import RateRefusal, document_access
from wenku.documents.models import Rating
from wenku.documents.services import DocumentRejected, document_rate
from wenku.wallet.services import purchase_create, wallet_grant

pytestmark = pytest.mark.django_db

NOT_READER = "购买或下载后才能评分 / Buy or download the document to rate it"


def _rate(client, document, stars: int) -> list[str]:
    """The messages the rating form leaves (the page they lead to shows them)."""
    response = client.post(f"/documents/{document.number}/rate/", {"stars": stars})
    assert response.status_code == 302
    messages = [m.message for m in get_messages(response.wsgi_request)]
    client.get(response.url)  # shown there, and so used up
    return messages


def _english(client) -> None:
    client.get("/lang/", {"language": "en", "next": "/"})


def test_a_buyer_rates_a_member_who_did_not_buy_is_refused(
    client, make_user, make_document
):
    document = make_document(price=5)
    buyer, other = make_user("buyer"), make_user("other")
    wallet_grant(user=buyer, amount=5, reason="测试")
    purchase_create(buyer=buyer, document=document, idempotency_key="r1")

    client.force_login(other)
    assert document_access(user=other, document=document).rate_refusal == (
        RateRefusal.NOT_READER
    )
    assert _rate(client, document, 2) == [NOT_READER]
    client.force_login(buyer)
    assert _rate(client, document, 4) == ["感谢评分！"]
    document.refresh_from_db()
    assert (document.rating_sum, document.rating_count) == (4, 1)
    assert list(Rating.objects.values_list("user__username", "stars")) == [("buyer", 4)]


def test_a_free_document_is_rated_after_downloading_it(
    client, make_user, make_document
):
    document = make_document(price=0)
    member = make_user("reader")
    client.force_login(member)
    assert _rate(client, document, 5) == [NOT_READER]
    assert client.get(f"/documents/{document.number}/download/").status_code == 302
    assert document_access(user=member, document=document).rate is True
    assert _rate(client, document, 5) == ["感谢评分！"]
    document.refresh_from_db()
    assert (document.rating_sum, document.rating_count) == (5, 1)


def test_the_uploader_may_not_rate_their_own_document(make_user, make_document):
    uploader = make_user("owner")
    document = make_document(uploader=uploader)
    with pytest.raises(DocumentRejected) as refused:
        document_rate(user=uploader, document=document, stars=5)
    assert refused.value.message == (
        "不能给自己上传的文档评分 / You can't rate your own document"
    )
    document.refresh_from_db()
    assert document.rating_count == 0


def test_the_refusal_is_in_english_in_english_mode(client, make_user, make_document):
    document = make_document(price=5)
    member = make_user()
    client.force_login(member)
    _english(client)
    assert _rate(client, document, 3) == ["Buy or download the document to rate it"]
    response = client.post(
        f"/api/documents/{document.number}/rate",
        {"stars": 3},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=member)}",
    )
    assert response.status_code == 400
    assert response.json() == {"message": "Buy or download the document to rate it"}


def _rated(make_user, document, *stars: int) -> None:
    for index, value in enumerate(stars):
        member = make_user(f"rater{index}")
        wallet_grant(user=member, amount=document.price, reason="测试")
        purchase_create(buyer=member, document=document, idempotency_key=f"k{index}")
        document_rate(user=member, document=document, stars=value)


def test_the_page_shows_the_average_with_its_count(client, make_user, make_document):
    document = make_document(price=3)
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<span data-rating>暂无评价</span>" in html
    _rated(make_user, document, 4, 5)
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<span data-rating>4.5 分 · 2 人评价</span>" in html
    _english(client)
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<span data-rating>4.5 / 5 · 2 ratings</span>" in html


def test_one_rating_in_english_is_singular(client, make_user, make_document):
    document = make_document(price=3)
    _rated(make_user, document, 5)
    _english(client)
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<span data-rating>5.0 / 5 · 1 rating</span>" in html


def test_members_who_may_not_rate_are_told_how(client, make_user, make_document):
    document = make_document(price=3)
    client.force_login(make_user())
    html = client.get(document.get_absolute_url()).content.decode()
    assert "购买或下载后可以评分" in html
    assert 'name="stars"' not in html
    client.logout()
    html = client.get(document.get_absolute_url()).content.decode()
    assert "购买或下载后可以评分" not in html
