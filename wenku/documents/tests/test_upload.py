import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from wenku.core.demo_content import make_docx
from wenku.core.models import Category
from wenku.documents.models import Document

DOCX = make_docx(["工作总结", "今年以来，全县教育系统坚持立德树人根本任务。"])


def _post(client, files, **fields):
    data = {
        "title": "",
        "tags": "总结，教育, 总结",
        "description": "",
        "price": "0",
        "free_pages": "5",
        "agree": "on",
        **fields,
    }
    data["files"] = files
    return client.post("/upload/", data, HTTP_X_REQUESTED_WITH="fetch")


@pytest.mark.django_db
def test_upload_creates_processing_document_and_queues_conversion(
    client, make_user, categories, django_capture_on_commit_callbacks
):
    client.force_login(make_user("up"))
    category = Category.objects.get(slug="gongzuo-zongjie")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(
            client,
            [SimpleUploadedFile("2023年工作总结.docx", DOCX)],
            category=str(category.pk),
            price="3",
        )
    body = response.json()
    assert response.status_code == 200, body
    result = body["results"][0]
    document = Document.objects.get(number=result["number"])
    assert (document.title, document.file_type, document.status, document.price) == (
        "2023年工作总结",
        "docx",
        "processing",
        3,
    )
    assert document.tags == "总结,教育"
    assert document.category == category
    assert document.size == len(DOCX)
    assert result["status_url"] == f"/documents/{document.number}/status.json"
    # One conversion queued (the other callbacks invalidate cached pages).
    assert [c.__qualname__ for c in callbacks].count(
        "enqueue_on_commit.<locals>.<lambda>"
    ) == 1
    status = client.get(result["status_url"]).json()
    assert (status["status"], status["stage"]) == ("processing", "queued")


@pytest.mark.django_db
def test_uploading_the_same_file_twice_links_to_the_first(
    client, make_user, categories
):
    client.force_login(make_user("up"))
    first = _post(client, [SimpleUploadedFile("a.docx", DOCX)]).json()["results"][0]
    response = _post(client, [SimpleUploadedFile("b.docx", DOCX)])
    second = response.json()["results"][0]
    assert response.status_code == 400
    assert second["code"] == "duplicate"
    assert second["message"] == "本站已有相同文件 / This file is already on the site"
    assert second["existing_url"] == first["url"]
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_unsupported_and_empty_files_are_refused_with_reasons(
    client, make_user, categories
):
    client.force_login(make_user("up"))
    response = _post(
        client, [SimpleUploadedFile("evil.exe", b"MZ\x90\x00" + b"\x00" * 200)]
    )
    result = response.json()["results"][0]
    assert response.status_code == 400
    assert result["code"] == "unsupported"
    assert "不支持" in result["message"]
    response = _post(client, [SimpleUploadedFile("empty.docx", b"")])
    assert response.status_code == 400
    assert Document.objects.count() == 0


@pytest.mark.django_db
@override_settings(MAX_UPLOAD_BYTES=1024)
def test_too_large_upload_is_refused(client, make_user, categories):
    client.force_login(make_user("up"))
    response = _post(client, [SimpleUploadedFile("big.docx", DOCX)])
    result = response.json()["results"][0]
    assert result["code"] == "too_large"
    assert (
        result["message"] == "文件超过 0 MB 上限 / File is larger than 0 MB"
        or "上限" in result["message"]
    )
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_copyright_declaration_is_required(client, make_user, categories):
    client.force_login(make_user("up"))
    response = _post(client, [SimpleUploadedFile("a.docx", DOCX)], agree="")
    body = json.loads(response.content)
    assert response.status_code == 400
    assert (
        body["message"] == "请勾选版权声明 / Please confirm the copyright declaration"
    )
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_several_files_in_one_form_post_without_javascript(
    client, make_user, categories
):
    client.force_login(make_user("up"))
    other = make_docx(["另一份文档", "内容不同。"])
    response = client.post(
        "/upload/",
        {
            "files": [
                SimpleUploadedFile("一.docx", DOCX),
                SimpleUploadedFile("二.docx", other),
            ],
            "title": "忽略",
            "price": "0",
            "free_pages": "3",
            "agree": "on",
        },
    )
    assert response.status_code == 200
    assert sorted(Document.objects.values_list("title", flat=True)) == ["一", "二"]
    assert "已上传，正在转换" in response.content.decode()


@pytest.mark.django_db
def test_upload_page_requires_login(client):
    assert client.get("/upload/").status_code == 302
