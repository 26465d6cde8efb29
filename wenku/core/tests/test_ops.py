"""Operations: `wenku check` verdicts, presigned URLs for the public endpoint, page
images handed to nginx."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from wenku.storage import BucketStorage


def _check(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("WENKU_")
    }
    environment.update(WENKU_DATA_DIR=str(tmp_path), **env)
    subprocess.run(
        [sys.executable, "-m", "wenku.cli", "setup"],
        env=environment,
        check=True,
        capture_output=True,
    )
    return subprocess.run(
        [sys.executable, "-m", "wenku.cli", "check", "--role", "web"],
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_passes_on_the_embedded_default(tmp_path):
    done = _check(tmp_path)
    assert done.returncode == 0, done.stdout
    assert [line.split()[:2] for line in done.stdout.splitlines()] == [
        ["ok", "settings"],
        ["ok", "database"],
        ["ok", "broker"],
        ["ok", "storage"],
    ]


def test_check_names_what_is_wrong(tmp_path):
    done = _check(tmp_path, WENKU_BROKER_URL="redis://127.0.0.1:1/0")
    assert done.returncode == 1
    lines = {line.split()[1]: line for line in done.stdout.splitlines()}
    assert lines["broker"].startswith("FAIL")
    assert "Connection refused" in lines["broker"]
    # A shared broker with a per-machine secret key breaks sessions across machines.
    assert lines["settings"].startswith("FAIL")
    assert "WENKU_SECRET_KEY" in lines["settings"]


def test_presigned_urls_are_v4_for_the_public_endpoint():
    storage = BucketStorage(
        bucket_name="wenku",
        endpoint_url="http://s3.internal:9000",
        public_endpoint_url="https://files.example.org",
        access_key="key",
        secret_key="secret",
        region_name="us-east-1",
        signature_version="s3v4",
        addressing_style="path",
    )
    url = storage.url(
        "pages/1/a/1.webp",
        parameters={"ResponseContentType": "image/webp"},
        expire=600,
    )
    assert url.startswith("https://files.example.org/wenku/pages/1/a/1.webp?")
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url
    assert "X-Amz-Expires=600" in url
    assert "us-east-1" in url
    assert "s3.internal" not in url


@pytest.mark.django_db
def test_page_images_go_through_nginx_when_configured(
    client, make_document, make_user, settings
):
    from wenku.wallet.services import purchase_create, wallet_grant

    settings.X_ACCEL_REDIRECT_PREFIX = "/protected/"
    document = make_document(pages=["一", "二", "三"], free_pages=2, price=3)
    # A free page is the same for every visitor: its bytes, which nginx's cache keeps
    # (deploy/nginx/wenku.conf), so nginx answers the next visitors by itself.
    free = document.pages.get(number=1).image
    response = client.get(f"/documents/{document.number}/page/1.webp")
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert response.content == free.open("rb").read()
    assert response["Cache-Control"] == "public, max-age=86400"
    assert client.get(f"/documents/{document.number}/page/3.webp").status_code == 403
    # A page the member bought: access checked, then nginx sends the file.
    buyer = make_user()
    wallet_grant(user=buyer, amount=3, reason="测试", by=make_user(is_staff=True))
    purchase_create(buyer=buyer, document=document, idempotency_key="ops-1")
    client.force_login(buyer)
    response = client.get(f"/documents/{document.number}/page/3.webp")
    image = document.pages.get(number=3).image.name
    assert response["X-Accel-Redirect"] == f"/protected/{image}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, max-age=3600"


@pytest.mark.django_db
def test_api_docs_load_swagger_ui_from_the_site_itself(client):
    import re

    html = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(src.endswith("swagger-ui-bundle.js") for src in sources), sources
    assert [src for src in sources if "//" in src] == []  # nothing from another origin
    from django.contrib.staticfiles import finders

    for src in sources:
        if src.startswith("/static/"):  # collected by `wenku setup`
            assert finders.find(src.removeprefix("/static/")), src
