"""The notification centre: the service, the 消息 page, the header badge, the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wenku.accounts.services import api_token_create
from wenku.notifications.models import Notification
from wenku.notifications.selectors import notifications_for, unread_count
from wenku.notifications.services import notifications_mark_read, notify

pytestmark = pytest.mark.django_db


def _three(user):
    """Three notifications, the first oldest."""
    made = [
        notify(
            user=user,
            kind="takedown",
            title=f"消息{i}",
            body=f"正文{i}",
            link=f"/d/{i}/",
        )
        for i in range(1, 4)
    ]
    for age, notification in zip((3, 2, 1), made, strict=True):
        Notification.objects.filter(pk=notification.pk).update(
            created_at=timezone.now() - timedelta(minutes=age)
        )
    return made


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def test_notify_creates_an_unread_row(make_user):
    member = make_user()
    notification = notify(
        user=member,
        kind="review_rejected",
        title="文档未通过审核",
        body="原因：内容质量过低",
        link="/documents/12345678/",
    )
    row = Notification.objects.get()
    assert row.pk == notification.pk
    assert (row.user_id, row.kind, row.title, row.body, row.link, row.read_at) == (
        member.pk,
        "review_rejected",
        "文档未通过审核",
        "原因：内容质量过低",
        "/documents/12345678/",
        None,
    )
    assert unread_count(member) == 1


def test_notify_without_a_member_writes_nothing():
    assert notify(user=None, kind="complaint_received", title="x") is None
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    "link", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\x"]
)
def test_notify_keeps_only_links_on_this_site(make_user, link):
    notification = notify(user=make_user(), kind="strike", title="t", link=link)
    assert notification.link == ""


def test_notify_cuts_long_text_to_the_field_sizes(make_user):
    notification = notify(
        user=make_user(), kind="refund", title="标" * 250, body="文" * 2500
    )
    notification.refresh_from_db()
    assert (len(notification.title), len(notification.body)) == (200, 2000)


def test_notifications_for_is_newest_first_with_limit_and_offset(make_user):
    member = make_user()
    first, second, third = _three(member)
    notify(user=make_user(), kind="strike", title="别人的")
    assert [n.pk for n in notifications_for(member)] == [third.pk, second.pk, first.pk]
    assert [n.pk for n in notifications_for(member, limit=1, offset=1)] == [second.pk]


def test_mark_read_some_then_all(make_user):
    member = make_user()
    first, _second, _third = _three(member)
    assert notifications_mark_read(user=member, ids=[first.pk]) == 1
    assert notifications_mark_read(user=member, ids=[first.pk]) == 0
    assert unread_count(member) == 2
    assert notifications_mark_read(user=member) == 2
    assert unread_count(member) == 0


def test_mark_read_never_touches_another_members(make_user):
    owner, other = make_user(), make_user()
    theirs = notify(user=owner, kind="takedown", title="t")
    assert notifications_mark_read(user=other, ids=[theirs.pk]) == 0
    assert notifications_mark_read(user=other) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_header_shows_the_unread_count_with_one_query(client, make_user):
    member = make_user()
    _three(member)
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert (
        'href="/notifications/" data-notifications>消息 <span class="badge" data-unread-count>3</span></a>'
        in page
    )
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "notifications_notification" in q["sql"]
    ]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


def test_header_without_unread_shows_no_badge(client, make_user):
    member = make_user()
    client.force_login(member)
    page = client.get("/").content.decode()
    assert 'href="/notifications/" data-notifications>消息</a>' in page
    assert "data-unread-count" not in page


def test_visitors_cost_no_notification_query(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert "data-notifications" not in page
    assert not [
        q for q in queries.captured_queries if "notifications_notification" in q["sql"]
    ]


def test_page_needs_an_account(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_lists_own_notifications_newest_first_unread_marked(client, make_user):
    member, other = make_user(), make_user()
    first, _second, third = _three(member)
    notify(user=other, kind="strike", title="别人的消息")
    notifications_mark_read(user=member, ids=[first.pk])
    client.force_login(member)
    page = client.get("/notifications/").content.decode()
    assert "别人的消息" not in page
    assert page.index("消息3") < page.index("消息2") < page.index("消息1")
    assert f'class="unread" data-notification="{third.pk}"' in page
    assert f'class="read" data-notification="{first.pk}"' in page
    assert "正文3" in page and 'href="/d/3/"' in page
    assert "2 条未读" in page and "全部标为已读" in page
    assert "<script>" not in page and " onclick=" not in page and "style=" not in page


def test_page_is_paginated(client, make_user):
    member = make_user()
    Notification.objects.bulk_create(
        Notification(user=member, kind="refund", title=f"第{i}条") for i in range(25)
    )
    client.force_login(member)
    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()
    assert first.count("data-notification=") == 20
    assert second.count("data-notification=") == 5
    assert "第 1 / 2 页" in first


def test_page_in_english(client, make_user):
    member = make_user()
    notify(user=member, kind="refund", title="退款")
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/notifications/").content.decode()
    assert "Notifications" in page and "Mark all as read" in page and "1 unread" in page


def test_page_mark_one_then_all(client, make_user):
    member = make_user()
    first, _second, _third = _three(member)
    client.force_login(member)
    response = client.post("/notifications/read/", {"id": first.pk, "page": "1"})
    assert (response.status_code, response["Location"]) == (
        302,
        "/notifications/?page=1",
    )
    assert unread_count(member) == 2
    client.post("/notifications/read/")
    assert unread_count(member) == 0


def test_page_cannot_mark_another_members(client, make_user):
    owner, other = make_user(), make_user()
    theirs = notify(user=owner, kind="takedown", title="t")
    client.force_login(other)
    client.post("/notifications/read/", {"id": theirs.pk})
    client.post("/notifications/read/")
    assert unread_count(owner) == 1


def test_page_mark_read_ignores_a_bad_id(client, make_user):
    member = make_user()
    notify(user=member, kind="takedown", title="t")
    client.force_login(member)
    assert client.post("/notifications/read/", {"id": "9" * 40}).status_code == 302
    assert client.get("/notifications/read/").status_code == 405
    assert unread_count(member) == 1


def test_api_needs_a_token(client):
    assert client.get("/api/notifications").status_code == 401
    assert (
        client.post(
            "/api/notifications/read", {}, content_type="application/json"
        ).status_code
        == 401
    )


def test_api_lists_own_notifications(make_user):
    member = make_user()
    first, second, third = _three(member)
    notify(user=make_user(), kind="strike", title="别人的")
    notifications_mark_read(user=member, ids=[first.pk])
    body = _api(member).get("/api/notifications", {"limit": 2}).json()
    assert body["unread"] == 2
    assert [
        {k: v for k, v in item.items() if k != "created_at"} for item in body["items"]
    ] == [
        {
            "id": third.pk,
            "kind": "takedown",
            "title": "消息3",
            "body": "正文3",
            "link": "/d/3/",
            "read": False,
        },
        {
            "id": second.pk,
            "kind": "takedown",
            "title": "消息2",
            "body": "正文2",
            "link": "/d/2/",
            "read": False,
        },
    ]
    page = _api(member).get("/api/notifications", {"limit": 2, "offset": 2}).json()
    assert [item["id"] for item in page["items"]] == [first.pk]
    assert page["items"][0]["read"] is True


@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 10**9}, {"limit": "x"}],
)
def test_api_bounds_limit_and_offset(make_user, query):
    response = _api(make_user()).get("/api/notifications", query)
    assert response.status_code == 422


def test_api_mark_some_then_all(make_user):
    member = make_user()
    first, second, _third = _three(member)
    api = _api(member)
    marked = api.post(
        "/api/notifications/read",
        {"ids": [first.pk, second.pk]},
        content_type="application/json",
    )
    assert marked.json() == {"marked": 2}
    assert api.post(
        "/api/notifications/read", {}, content_type="application/json"
    ).json() == {"marked": 1}
    assert unread_count(member) == 0


def test_api_cannot_read_or_mark_another_members(make_user):
    owner, other = make_user(), make_user()
    theirs = notify(user=owner, kind="takedown", title="他人消息")
    api = _api(other)
    assert api.get("/api/notifications").json() == {"unread": 0, "items": []}
    body = {"ids": [theirs.pk]}
    assert api.post(
        "/api/notifications/read", body, content_type="application/json"
    ).json() == {"marked": 0}
    assert api.post(
        "/api/notifications/read", {}, content_type="application/json"
    ).json() == {"marked": 0}
    assert unread_count(owner) == 1


@pytest.mark.parametrize("ids", [[0], [2**64], ["x"], list(range(1, 502))])
def test_api_refuses_bad_ids(make_user, ids):
    response = _api(make_user()).post(
        "/api/notifications/read", {"ids": ids}, content_type="application/json"
    )
    assert response.status_code == 422
