"""The moderation API: the same services and messages as the site, JSON field names
as the contract says."""

from __future__ import annotations

import pytest
from django.test import Client

from wenku.accounts.services import api_token_create
from wenku.moderation.models import Case, Report

pytestmark = pytest.mark.django_db

NOTICE = {
    "name": "某某出版社",
    "contact": "legal@example.cn",
    "address": "北京市海淀区某路 1 号",
    "work": "《讲话汇编》",
    "proof": "版权页与出版合同",
    "good_faith": True,
    "accurate": True,
    "signature": "张三",
}


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}


def _post(path: str, body: dict, **headers):
    return Client().post(path, body, content_type="application/json", **headers)


def test_complaint_decision_counter_notice_and_transparency(make_user, make_document):
    uploader, moderator = make_user(), make_user(is_staff=True)
    document = make_document(uploader=uploader)
    incomplete = _post("/api/complaints", NOTICE | {"signature": "", "documents": []})
    assert incomplete.status_code == 400
    assert incomplete.json()["missing"] == ["signature", "documents"]
    filed = _post("/api/complaints", NOTICE | {"documents": [document.number]})
    assert filed.status_code == 201
    body = filed.json()
    case = Case.objects.get()
    assert body == {
        "id": case.complaint_id,
        "status": "received",
        "cases": [{"id": case.pk, "document": document.number}],
    }
    again = _post("/api/complaints", NOTICE | {"documents": [document.number]})
    assert again.status_code == 409
    # Staff only.
    assert Client().get("/api/moderation/queue", **_bearer(uploader)).status_code == 403
    queue = Client().get("/api/moderation/queue", **_bearer(moderator)).json()
    assert [(row["id"], row["kind"], row["document"]) for row in queue] == [
        (case.pk, "copyright", document.number)
    ]
    path = f"/api/moderation/cases/{case.pk}/decision"
    assert _post(path, {"action": "ban"}, **_bearer(moderator)).status_code == 400
    decided = _post(
        path, {"action": "take_down", "reason": "侵权成立"}, **_bearer(moderator)
    )
    assert decided.json() == {
        "id": case.pk,
        "status": "taken_down",
        "document": document.number,
        "refunded": 0,
    }
    assert (
        _post(
            path, {"action": "reject", "reason": "x"}, **_bearer(moderator)
        ).status_code
        == 409
    )
    notices = Client().get("/api/notifications", **_bearer(uploader)).json()
    assert [n["kind"] for n in notices["items"]] == [
        "takedown",
        "strike",
        "complaint_received",
    ]
    assert notices["unread"] == 3
    answered = _post(
        f"/api/documents/{document.number}/counter-notice",
        {
            "name": "李四",
            "contact": "li@x.cn",
            "address": "上海",
            "statement": "原创",
            "signature": "李四",
        },
        **_bearer(uploader),
    )
    assert answered.status_code == 201
    assert answered.json()["status"] == "restored"
    record = Client().get("/api/transparency").json()
    assert record["totals"][0]["received"] == 1
    assert record["totals"][0]["upheld"] == 1
    assert record["totals"][0]["restored"] == 1
    row = record["notices"][0]
    assert (row["case"], row["document"], row["status"]) == (
        case.pk,
        document.number,
        "restored",
    )
    text = str(record)
    for personal in ("legal@example.cn", "张三", "北京市", "李四", "li@x.cn"):
        assert personal not in text
    marked = _post("/api/notifications/read", {}, **_bearer(uploader)).json()
    assert marked["marked"] >= 3


def test_reports_are_deduplicated_per_reporter_and_document(make_user, make_document):
    document, member = make_document(), make_user()
    path = f"/api/documents/{document.number}/reports"
    first = _post(path, {"reason": "ad", "description": "广告"}, **_bearer(member))
    assert first.status_code == 201
    again = _post(path, {"reason": "porn"}, **_bearer(member))
    assert again.json()["id"] == first.json()["id"]
    anonymous = _post(path, {"reason": "ad"})
    assert anonymous.status_code == 201
    assert _post(path, {"reason": "ad"}).json()["id"] == anonymous.json()["id"]
    assert Report.objects.count() == 2
    assert _post(path, {"reason": "copyright"}).status_code == 400
    assert _post(path, {"reason": "spam"}).json()["message"] == (
        "请选择举报原因 / Choose a reason"
    )
    assert _post("/api/documents/99999999/reports", {"reason": "ad"}).status_code == 404
