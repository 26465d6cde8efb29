"""Where files live and how they leave: the S3 storage class, the bucket check, and
responses that hand a stored file to nginx or to the bucket instead of Python.

With `WENKU_STORAGE=s3`, presigned URLs are Signature V4, signed for the endpoint
readers reach (`WENKU_S3_PUBLIC_ENDPOINT_URL`, default the internal endpoint), since
the host is part of what is signed. With local storage and `WENKU_X_ACCEL_REDIRECT`,
nginx sends the file; otherwise Python streams it (the embedded shape).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any
from urllib.parse import quote, urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from storages.backends.s3 import S3Storage


class BucketStorage(S3Storage):
    """django-storages' S3 storage, with presigned URLs for the public endpoint."""

    def __init__(self, *, public_endpoint_url: str | None = None, **options: Any):
        super().__init__(**options)
        self.public_endpoint_url = public_endpoint_url or self.endpoint_url

    @cached_property
    def _public_client(self) -> Any:
        return _signing_client(
            endpoint_url=self.public_endpoint_url,
            access_key=self.access_key,
            secret_key=self.secret_key,
            region_name=self.region_name,
            addressing_style=self.addressing_style,
        )

    def url(
        self,
        name: str,
        parameters: dict[str, Any] | None = None,
        expire: int | None = None,
        http_method: str | None = None,
    ) -> str:
        params = dict(parameters or {})
        params["Bucket"] = self.bucket_name
        params["Key"] = self._normalize_name(name)
        url: str = self._public_client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=expire or self.querystring_expire,
            HttpMethod=http_method,
        )
        return url


def _signing_client(
    *,
    endpoint_url: str | None,
    access_key: str,
    secret_key: str,
    region_name: str,
    addressing_style: str | None,
) -> Any:
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name=region_name,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": addressing_style or "auto"},
        ),
    )


def presigned_url_origin(
    *,
    bucket_name: str,
    public_endpoint_url: str | None,
    region_name: str,
    addressing_style: str | None,
) -> str:
    """scheme://host[:port] of the presigned URLs readers are redirected to (the
    bucket's host for virtual addressing), for the Content-Security-Policy."""
    # Signing is local: placeholder keys give the same host as the real ones.
    url = _signing_client(
        endpoint_url=public_endpoint_url,
        access_key="origin",
        secret_key="origin",  # noqa: S106
        region_name=region_name,
        addressing_style=addressing_style,
    ).generate_presigned_url(
        "get_object", Params={"Bucket": bucket_name, "Key": "origin"}
    )
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def bucket_status(storage: Any = None) -> tuple[bool, str]:
    """(ok, what) for the configured bucket; local storage is always ok."""
    storage = storage or default_storage
    if not isinstance(storage, S3Storage):
        return True, f"local folder {settings.MEDIA_ROOT}"
    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("404", "NoSuchBucket", "NotFound"):
            return False, f"bucket {storage.bucket_name!r} does not exist"
        return False, f"bucket {storage.bucket_name!r}: {code or exc}"
    except BotoCoreError as exc:
        return False, f"S3 endpoint unreachable: {exc}"
    return True, f"bucket {storage.bucket_name!r}"


def bucket_ensure(storage: Any = None) -> str:
    """Create the configured bucket when it is missing (wenku setup); returns what
    was done. Errors other than "missing" propagate."""
    storage = storage or default_storage
    if not isinstance(storage, S3Storage):
        return "local storage"
    ok, what = bucket_status(storage)
    if ok:
        return what
    client = storage.connection.meta.client
    region = storage.region_name or "us-east-1"
    options: dict[str, Any] = {"Bucket": storage.bucket_name}
    if region != "us-east-1":
        options["CreateBucketConfiguration"] = {"LocationConstraint": region}
    client.create_bucket(**options)
    return f"created bucket {storage.bucket_name!r}"


def stored_file_response(
    name: str,
    *,
    content_type: str,
    cache_control: str,
    link_ttl: int = 3600,
    in_memory: bool = False,
) -> HttpResponseBase:
    """A stored file, access already checked: X-Accel-Redirect to nginx, a redirect to
    a presigned URL, or streamed from the local folder (read whole with
    ``in_memory``, for a small file the page cache keeps)."""
    response: HttpResponseBase
    prefix = settings.X_ACCEL_REDIRECT_PREFIX
    if settings.STORAGE_BACKEND == "s3":
        bucket: Any = default_storage  # BucketStorage.url takes parameters and expire
        response = HttpResponseRedirect(
            bucket.url(
                name, parameters={"ResponseContentType": content_type}, expire=link_ttl
            )
        )
        # The redirect must not outlive the signature it carries.
        response["Cache-Control"] = f"private, max-age={max(0, link_ttl - 60)}"
        return response
    if in_memory:  # the bytes themselves, so the page cache and nginx's can keep them
        with default_storage.open(name, "rb") as handle:
            response = HttpResponse(handle.read(), content_type=content_type)
    elif prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(
            default_storage.open(name, "rb"), content_type=content_type
        )
    response["Cache-Control"] = cache_control
    return response
