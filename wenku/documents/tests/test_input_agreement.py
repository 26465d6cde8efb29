"""The web form and the JSON API refuse the same bad input with the same message.

Each case goes through both: a real POST of the upload (or edit, or rating) form with
the test client, and the API with a bearer token. Both must refuse, say exactly the
message the service raises, and write nothing (no document, no stored file, no
rating, no change).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from wenku.accounts.services import api_token_create
from wenku.core.demo_content import make_docx
from wenku.documents.models import Document, DocumentStatus, Rating
from wenku.wallet.models import DownloadRecord

pytestmark = pytest.mark.django_db

PRICE = "价格须为 0（免费）或 1–500 积分 / The price must be 0 (free) or 1–500 points"
FREE_PAGES = "免费预览页数须为 1–1000 页 / Free preview pages must be 1–1000"
COPYRIGHT = "请勾选版权声明 / Please confirm the copyright declaration"
STARS = "请选择 1 到 5 星 / Choose 1 to 5 stars"


def _file(text: str = "同一份内容") -> bytes:
    return make_docx(["输入规则", text])


# (what is wrong, fields posted to both, the one message both must give)
BAD_DETAILS = [
    ("price above the maximum", {"price": "501"}, PRICE),
    ("negative price", {"price": "-1"}, PRICE),
    ("no free pages", {"free_pages": "0"}, FREE_PAGES),
    ("too many free pages", {"free_pages": "1001"}, FREE_PAGES),
    (
        "title too long",
        {"title": "标" * 201},
        "标题不能超过 200 个字符 / The title must be at most 200 characters",
    ),
    (
        "description too long",
        {"description": "述" * 2001},
        "描述不能超过 2000 个字符 / The description must be at most 2000 characters",
    ),
    (
        "tags too long once normalised",
        {"tags": "，".join(f"标签{i:03d}" for i in range(40))},
        "标签合计不能超过 200 个字符 / Tags must be at most 200 characters in all",
    ),
    ("no copyright declaration", {"agree": ""}, COPYRIGHT),
]


@pytest.fixture
def member(make_user, categories):
    user = make_user("uploader")
    user.token = api_token_create(user=user)
    return user


def _stored_originals() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "originals"
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _form_upload(client, member, data: bytes, name: str = "a.docx", **fields):
    client.force_login(member)
    post = {"price": "0", "free_pages": "3", "agree": "on", **fields}
    post["files"] = [SimpleUploadedFile(name, data)]
    return client.post("/upload/", post)


def _api_upload(client, member, data: bytes, name: str = "a.docx", **fields):
    post = {"price": "0", "free_pages": "3", "agree": "true", **fields}
    if post["agree"] == "":
        post["agree"] = "false"
    post["file"] = SimpleUploadedFile(name, data)
    return client.post(
        "/api/documents", post, HTTP_AUTHORIZATION=f"Bearer {member.token}"
    )


def _form_messages(response) -> list[str]:
    """Errors shown on the re-rendered form, then each file's refusal."""
    form_errors = [
        str(message)
        for messages in response.context["form"].errors.values()
        for message in messages
    ]
    refusals = [r["message"] for r in response.context["results"] if not r["ok"]]
    return form_errors + refusals


@pytest.mark.parametrize(("case", "fields", "message"), BAD_DETAILS)
def test_upload_details_refused_alike(client, member, case, fields, message):
    before = _stored_originals()
    form = _form_upload(client, member, _file(), **fields)
    api = _api_upload(client, member, _file(), **fields)
    assert (form.status_code, _form_messages(form)) == (400, [message]), case
    assert (api.status_code, api.json()) == (400, {"message": message}), case
    assert Document.objects.count() == 0
    assert _stored_originals() == before


def test_several_files_with_a_bad_detail_are_refused_once(client, member):
    client.force_login(member)
    response = client.post(
        "/upload/",
        {
            "files": [
                SimpleUploadedFile("一.docx", _file("一")),
                SimpleUploadedFile("二.docx", _file("二")),
            ],
            "price": "501",
            "free_pages": "3",
            "agree": "on",
        },
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert (response.status_code, response.json()["message"]) == (400, PRICE)
    assert response.json()["errors"] == {"price": [PRICE]}
    assert Document.objects.count() == 0


@override_settings(MAX_UPLOAD_BYTES=1024)
def test_too_large_file_refused_alike(client, member):
    message = "文件超过 0 MB 上限 / File is larger than 0 MB"
    before = _stored_originals()
    form = _form_upload(client, member, _file())
    api = _api_upload(client, member, _file())
    assert (form.status_code, _form_messages(form)) == (400, [message])
    assert (api.status_code, api.json()) == (413, {"message": message})
    assert Document.objects.count() == 0
    assert _stored_originals() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.docx", b"", "文件是空的 / The file is empty"),
        ("note.docx", b"\x00\x01 not a document", None),
    ],
)
def test_bad_files_refused_alike(client, member, name, data, message):
    form = _form_upload(client, member, data, name=name)
    api = _api_upload(client, member, data, name=name)
    [form_message] = _form_messages(form)
    if message is not None:
        assert form_message == message
    assert (form.status_code, api.status_code) == (400, 400)
    assert api.json() == {"message": form_message}
    assert Document.objects.count() == 0


def test_tags_are_normalised_alike(client, member):
    """Long raw tags that normalise short are accepted by both, stored the same."""
    tags = "，".join(["总结", " 教育 ", "总结"] * 30)  # 300 characters raw
    assert len(tags) > 200
    form = _form_upload(client, member, _file("表单"), tags=tags)
    api = _api_upload(client, member, _file("接口"), name="b.docx", tags=tags)
    assert (form.status_code, api.status_code) == (200, 201)
    assert sorted(Document.objects.values_list("tags", flat=True)) == [
        "总结,教育",
        "总结,教育",
    ]


def test_nul_characters_are_refused_by_the_api_not_stored(client, member):
    """PostgreSQL cannot store NUL: the service refuses it (the form's own field
    parsing already does, in Django's words)."""
    api = _api_upload(client, member, _file(), title="标题\x00")
    assert api.status_code == 400
    assert api.json() == {
        "message": "标题不能包含空字符 / The title must not contain NUL characters"
    }
    assert Document.objects.count() == 0


# --- edit: the same rules as upload, the same messages ------------------------


@pytest.mark.parametrize(
    ("case", "fields", "message"), [c for c in BAD_DETAILS if "agree" not in c[1]]
)
def test_edit_refuses_what_the_upload_api_refuses(
    client, member, make_document, case, fields, message
):
    document = make_document(uploader=member, title="原标题", price=3, free_pages=2)
    client.force_login(member)
    post = {"title": "新标题", "price": "3", "free_pages": "2", **fields}
    form = client.post(f"/documents/{document.number}/edit/", post)
    api = _api_upload(client, member, _file(), **fields)
    form_messages = [str(m) for ms in form.context["form"].errors.values() for m in ms]
    assert (form.status_code, form_messages) == (400, [message]), case
    assert api.json() == {"message": message}, case
    document.refresh_from_db()
    assert (document.title, document.price, document.free_pages) == ("原标题", 3, 2)


# --- rating --------------------------------------------------------------------


def _form_rate(client, member, document, stars: str) -> list[str]:
    client.force_login(member)
    response = client.post(f"/documents/{document.number}/rate/", {"stars": stars})
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def _api_rate(client, member, document, stars: int):
    return client.post(
        f"/api/documents/{document.number}/rate",
        {"stars": stars},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {member.token}",
    )


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_rating_out_of_range_refused_alike(client, member, make_document, stars):
    document = make_document()
    assert _form_rate(client, member, document, str(stars)) == [STARS]
    api = _api_rate(client, member, document, stars)
    assert (api.status_code, api.json()) == (400, {"message": STARS})
    assert Rating.objects.count() == 0


@pytest.mark.parametrize(
    "status", [DocumentStatus.PROCESSING, DocumentStatus.IN_REVIEW]
)
def test_rating_an_unpublished_document_refused_alike(
    client, member, make_document, status
):
    """Its uploader sees it, but only a published document can be rated."""
    document = make_document(uploader=member, status=status)
    message = "文档尚未发布，不能评分 / Only a published document can be rated"
    assert _form_rate(client, member, document, "5") == [message]
    api = _api_rate(client, member, document, 5)
    assert (api.status_code, api.json()) == (400, {"message": message})
    assert Rating.objects.count() == 0
    document.refresh_from_db()
    assert (document.rating_sum, document.rating_count) == (0, 0)


def test_rating_without_buying_or_downloading_refused_alike(
    client, member, make_document
):
    document = make_document()
    message = "购买或下载后才能评分 / Buy or download the document to rate it"
    assert _form_rate(client, member, document, "1") == [message]
    api = _api_rate(client, member, document, 1)
    assert (api.status_code, api.json()) == (400, {"message": message})
    assert Rating.objects.count() == 0


def test_good_rating_accepted_alike(client, member, make_document):
    document = make_document()
    DownloadRecord.objects.create(user=member, document=document, day=date.today())
    assert _form_rate(client, member, document, "4") == ["感谢评分！"]
    api = _api_rate(client, member, document, 2)
    assert (api.status_code, api.json()["rating"]) == (200, 2.0)
    assert list(Rating.objects.values_list("stars", flat=True)) == [2]
