"""No form answers garbage with a 500 or a half-written row."""

from __future__ import annotations

import pytest

GARBAGE_VALUES = [
    "",
    " ",
    "\x00",
    "a" * 20000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "😀" * 50,
    "‮rtl",
    "-1",
    "1e309",
    "99999999999999999999999999",
    "NaN",
    "../../etc/passwd",
]
RAW_BODIES = [
    b"%ED%A0%80=%ED%A0%80",  # lone surrogate, invalid UTF-8 once decoded
    b"%FF%FE=%00%00",
    b"&&&===&&&",
    b"a=" + b"%" * 50,
]


def _forms(document_number: int) -> list[str]:
    return [
        "/accounts/register/",
        "/accounts/login/",
        "/accounts/password/",
        "/accounts/profile/",
        "/upload/",
        f"/documents/{document_number}/edit/",
        f"/documents/{document_number}/report/",
        f"/documents/{document_number}/rate/",
        f"/documents/{document_number}/favorite/",
        "/i18n/setlang/",
    ]


FIELDS = [
    "username",
    "password",
    "password1",
    "password2",
    "display_name",
    "old_password",
    "new_password1",
    "new_password2",
    "email",
    "bio",
    "title",
    "category",
    "tags",
    "description",
    "price",
    "free_pages",
    "agree",
    "reason",
    "contact",
    "stars",
    "language",
    "next",
    "files",
]


@pytest.mark.django_db
def test_every_form_survives_garbage(client, make_user, make_document, categories):
    user = make_user("fuzzer")
    doc = make_document(uploader=user)
    client.force_login(user)
    for url in _forms(doc.number):
        for value in GARBAGE_VALUES:
            response = client.post(url, {field: value for field in FIELDS})
            assert response.status_code < 500, (url, value[:20], response.status_code)
        for body in RAW_BODIES:
            response = client.generic(
                "POST", url, body, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code < 500, (url, body, response.status_code)
        response = client.post(
            url,
            {"files": "not a file"},
            content_type="multipart/form-data; boundary=xyz",
        )
        assert response.status_code < 500, (url, "bad multipart", response.status_code)
    user.refresh_from_db()
    assert user.check_password("Secret-pass-2024")
    assert user.documents.count() == 1


@pytest.mark.django_db
def test_garbage_query_strings_on_pages(client, make_document, categories):
    doc = make_document()
    for url in ["/", "/c/jiaoyu/", f"/documents/{doc.number}/pages/", "/me/"]:
        for value in GARBAGE_VALUES:
            response = client.get(
                url,
                {
                    "page": value,
                    "sort": value,
                    "format": value,
                    "pages": value,
                    "start": value,
                    "count": value,
                },
            )
            assert response.status_code < 500, (url, value[:20], response.status_code)
