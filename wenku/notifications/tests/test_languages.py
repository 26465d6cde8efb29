"""A notification is kept as message ids and values, so each reader sees it in their
own language; what a member or moderator wrote stays as written."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_noop

from wenku.accounts.services import api_token_create
from wenku.moderation.models import Report
from wenku.moderation.services import case_decide, report_create
from wenku.notifications.models import Notification
from wenku.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_a_notification_is_shown_in_the_readers_language(client, make_user):
    member = make_user()
    notify(
        user=member,
        kind="takedown",
        title=gettext_noop("《%(title)s》已被下架"),
        body=gettext_noop("原因：%(reason)s。"),
        params={"title": "讲话稿", "reason": "抄袭 100%"},
        link="/documents/1/",
    )
    row = Notification.objects.get()
    # The words as written then, in Chinese; the ids and values to say it again.
    assert (row.title, row.body) == ("《讲话稿》已被下架", "原因：抄袭 100%。")
    assert row.message == {
        "title": "《%(title)s》已被下架",
        "body": "原因：%(reason)s。",
        "params": {"title": "讲话稿", "reason": "抄袭 100%"},
    }
    with translation.override("en"):
        assert row.title_shown == "“讲话稿” was removed"
        assert row.body_shown == "Reason: 抄袭 100%."
    client.force_login(member)
    client.get("/lang/", {"language": "en", "next": "/"})
    html = client.get("/notifications/").content.decode()
    assert "“讲话稿” was removed" in html and "已被下架" not in html
    api = Client(
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=member)}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    api.cookies["django_language"] = "en"
    item = api.get("/api/notifications").json()["items"][0]
    assert (item["title"], item["body"]) == (
        "“讲话稿” was removed",
        "Reason: 抄袭 100%.",
    )


def test_rows_written_before_message_ids_show_their_words(make_user):
    member = make_user()
    row = Notification.objects.create(
        user=member, kind="takedown", title="旧消息 50%", body="旧正文"
    )
    with translation.override("en"):
        assert (row.title_shown, row.body_shown) == ("旧消息 50%", "旧正文")


def test_a_decided_report_tells_the_reporter_in_english(make_user, make_document):
    reporter, moderator = make_user(), make_user(is_staff=True)
    document = make_document(title="Speech")
    report = report_create(
        document=document,
        reporter=reporter,
        reason="mismatch",
        description="标题与内容不符",
        contact="",
    )
    case_decide(case=report.case, by=moderator, action="reject", reason="内容相符")
    told = Notification.objects.get(user=reporter, kind="case_decided")
    assert told.title == (
        f"案件 #{report.case.pk}（文档 {document.number}）未成立，已驳回"
    )
    with translation.override("en"):
        assert told.title_shown == (
            f"Case #{report.case.pk} (document {document.number}) not upheld: dismissed"
        )
        assert told.body_shown == "Reason: 内容相符"
    assert Report.objects.count() == 1
