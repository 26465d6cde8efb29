import pytest

from wenku.accounts.models import User


@pytest.mark.django_db
def test_register_token_and_document_metadata(client, make_document, categories):
    response = client.post(
        "/api/auth/register",
        {"username": "apiuser", "password": "Api-pass-2024!"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["username"] == "apiuser"
    response = client.post(
        "/api/auth/register",
        {"username": "apiuser", "password": "Api-pass-2024!"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "已存在一位使用该名字的用户。"
    response = client.post(
        "/api/auth/token",
        {"username": "apiuser", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 401
    token = client.post(
        "/api/auth/token",
        {"username": "apiuser", "password": "Api-pass-2024!"},
        content_type="application/json",
    ).json()["token"]
    doc = make_document(
        title="接口文档", pages=["一", "二", "三"], free_pages=2, price=4
    )
    data = client.get(
        f"/api/documents/{doc.number}", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert {
        k: data[k]
        for k in (
            "number",
            "status",
            "pages",
            "free_pages",
            "price",
            "readable_pages",
            "display_title",
        )
    } == {
        "number": doc.number,
        "status": "published",
        "pages": 3,
        "free_pages": 2,
        "price": 4,
        "readable_pages": 2,
        "display_title": "接口文档.docx",
    }
    assert client.get("/api/documents/1").status_code == 404
    assert (
        client.get(
            f"/api/documents/{doc.number}", HTTP_AUTHORIZATION="Bearer nope"
        ).status_code
        == 401
    )
    assert User.objects.get(username="apiuser").password.startswith("argon2")


@pytest.mark.django_db
def test_api_errors_are_json(client):
    response = client.post("/api/documents", {})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "message" in response.json()
    response = client.post(
        "/api/auth/token", "not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "message" in response.json()


@pytest.mark.django_db
def test_categories_api(client, categories):
    data = client.get("/api/categories").json()
    names = {c["slug"]: c for c in data}
    assert names["huibao-tihui"]["parent"] == "yingyong-wenshu"
    assert names["yingyong-wenshu"]["parent"] is None


@pytest.mark.django_db
def test_openapi_schema_lists_member_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/auth/register",
        "/api/auth/token",
        "/api/documents",
        "/api/documents/{number}",
        "/api/categories",
    ):
        assert path in paths
