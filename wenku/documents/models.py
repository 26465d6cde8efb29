"""Documents, their rendered pages, members' favorites and ratings, and the
near-duplicate index (MinHash signatures, LSH bands, clusters and their audit)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenku.core import pagecache
from wenku.core.bilingual import in_reader_language


class DocumentStatus(models.TextChoices):
    PROCESSING = "processing", _("转换中")
    PUBLISHED = "published", _("已发布")
    IN_REVIEW = "in_review", _("审核中")
    # A moderator refused it in review; the reason is in failure_reason.
    REJECTED = "rejected", _("未通过审核")
    FAILED = "failed", _("转换失败")
    TAKEN_DOWN = "taken_down", _("已下架")
    # The uploader withdrew it: gone from the site and search, but every buyer
    # keeps reading and downloading it (purchases last).
    UNLISTED = "unlisted", _("已撤下")
    DELETED = "deleted", _("已删除")


class DocumentQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        """Every bulk write to documents invalidates their cached pages (the signals
        cover ``save()``): leases, progress, statuses alike; listings and searches
        too when a published document changes or a status does."""
        rows = list(self.values_list("pk", "status"))
        count = super().update(**kwargs)
        if rows:
            listed = "status" in kwargs or any(
                status == DocumentStatus.PUBLISHED for _pk, status in rows
            )
            pagecache.invalidate(
                *((pagecache.DOCUMENTS,) if listed else ()),
                *(pagecache.document_tag(pk) for pk, _status in rows),
            )
        return count

    def count_quietly(self, **counters: object) -> int:
        """Add to counters (views) without invalidating cached pages: the count a
        page shows may lag by the page cache's lifetime."""
        return super().update(**counters)


class Document(models.Model):
    number = models.PositiveBigIntegerField(_("文档编号"), unique=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("描述"), blank=True, default="")
    tags = models.CharField(_("标签"), max_length=200, blank=True, default="")
    category = models.ForeignKey(
        "core.Category",
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # The original file: stored under its content hash, its real type decided by sniffing.
    original = models.FileField(_("原始文件"), max_length=300)
    original_name = models.CharField(_("原始文件名"), max_length=255)
    file_type = models.CharField(_("格式"), max_length=10)
    sha256 = models.CharField(max_length=64, db_index=True)
    # search.tokenize.content_fingerprint of the text: one per live document, so a
    # re-saved, converted or padded copy is refused as a duplicate at publication.
    text_sha256 = models.CharField(max_length=64, blank=True, default="", db_index=True)
    size = models.PositiveBigIntegerField(_("大小"))
    # Near-duplicates (services/near_duplicates.py): the documents of a cluster
    # share most of their text; its original is the earliest published member.
    cluster = models.ForeignKey(
        "Cluster",
        verbose_name=_("相似文档组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    price = models.PositiveIntegerField(_("价格（积分）"), default=0)
    free_pages = models.PositiveIntegerField(_("免费预览页数"), default=5)

    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.PROCESSING,
    )
    failure_code = models.CharField(max_length=40, blank=True, default="")
    failure_reason = models.CharField(
        _("失败原因"), max_length=500, blank=True, default=""
    )
    progress_stage = models.CharField(max_length=40, blank=True, default="queued")
    progress_current = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    conversion_attempts = models.PositiveIntegerField(default=0)
    # The worker converting the document, and until when its claim holds (renewed
    # while it works); an expired claim means the worker died and the job runs again.
    lease_owner = models.CharField(max_length=120, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    page_count = models.PositiveIntegerField(_("页数"), default=0)
    rendered_pages = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True, default="")
    keywords = models.JSONField(default=list, blank=True)
    # The table of contents (an e-book's, a PDF's bookmarks): [level, title, page]
    # rows, level 0 top, page from 1; the reader's 目录 links to the pages.
    outline = models.JSONField(default=list, blank=True)
    # Published as soon as its first pages were rendered while the rest still are
    # (a worker holds the lease); text, keywords and the index entry come at the end.
    rendering = models.BooleanField(default=False)
    cover = models.FileField(max_length=300, blank=True, default="")

    views = models.PositiveIntegerField(_("浏览"), default=0)
    downloads = models.PositiveIntegerField(_("下载"), default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()
    loaded_status: str | None = None  # see from_db

    class Meta:
        verbose_name = _("文档")
        verbose_name_plural = _("文档")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "-published_at"], name="doc_status_published"
            ),
            models.Index(fields=["status", "-downloads"], name="doc_status_downloads"),
            models.Index(fields=["category", "status"], name="doc_category_status"),
        ]
        constraints = [
            # One live copy of each file, even when two uploads of it race; a
            # deleted or failed one may be uploaded again (see document_upload).
            models.UniqueConstraint(
                fields=["sha256"],
                condition=~models.Q(
                    status__in=[DocumentStatus.DELETED, DocumentStatus.FAILED]
                ),
                name="doc_live_sha256_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Document:
        document = super().from_db(*args, **kwargs)
        # The status it was read with (None when deferred): whether a save may
        # change what listings show (documents.apps, the page cache).
        document.loaded_status = document.__dict__.get("status")
        return document

    @property
    def listed_change(self) -> bool:
        """Whether saving this row may change listings and searches: it is, or was
        when read, published (or it is new, or its old status is unknown)."""
        loaded = self.loaded_status
        return loaded is None or DocumentStatus.PUBLISHED in (self.status, loaded)

    @property
    def display_title(self) -> str:
        """Title with the original format's extension, as on the seed page."""
        suffix = f".{self.file_type}"
        return (
            self.title
            if self.title.lower().endswith(suffix)
            else f"{self.title}{suffix}"
        )

    @property
    def failure_reason_shown(self) -> str:
        """Why it failed, in the reader's language (the site stores its own reasons
        as "中文 / English"; a moderator's words are shown as written)."""
        return in_reader_language(self.failure_reason)

    @property
    def is_public(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def tag_list(self) -> list[str]:
        """The tags, in the order typed (stored comma-separated, normalised)."""
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def visible_free_pages(self) -> int:
        """Pages anyone may view: the free limit, capped by what was rendered."""
        return min(self.free_pages, self.rendered_pages)

    @property
    def rating(self) -> float:
        return (
            round(self.rating_sum / self.rating_count, 1) if self.rating_count else 0.0
        )

    def get_absolute_url(self) -> str:  # noqa: DJ012
        from django.urls import reverse

        return reverse("documents:detail", kwargs={"number": self.number})


class Page(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="pages"
    )
    number = models.PositiveIntegerField()
    image = models.FileField(max_length=300, blank=True, default="")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="page_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.number}"


class Favorite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites"
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="favorited_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document"], name="favorite_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.document_id}"


class Rating(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="rating_unique"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1) & models.Q(stars__lte=5),
                name="rating_stars_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} rates {self.document_id}: {self.stars}"


class Cluster(models.Model):
    """Documents that are near-copies of one another (docs/moderation.md). Which
    member is the original is read, not stored: the earliest published one
    (``documents.selectors.cluster_of``), so a takedown or an unlisting never
    leaves a stale original."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("相似文档组")
        verbose_name_plural = _("相似文档组")

    def __str__(self) -> str:
        return f"cluster {self.pk}"


class NearFingerprint(models.Model):
    """A document's MinHash signature (``search.minhash``): what a candidate found
    through the bands is verified against."""

    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="near_fingerprint",
    )
    # NUM_PERM little-endian uint32 values.
    signature = models.BinaryField(max_length=512)
    chars = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"minhash #{self.document_id}"


class NearBand(models.Model):
    """One LSH band of a document's signature: documents sharing a (band, hash)
    are near-duplicate candidates, found by the ``nearband_lookup`` index (which
    holds the document as well, so a lookup reads the index alone)."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="near_bands"
    )
    band = models.PositiveSmallIntegerField()
    hash = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["band", "hash", "document"], name="nearband_lookup")
        ]

    def __str__(self) -> str:
        return f"#{self.document_id} band {self.band}"


class ClusterAction(models.TextChoices):
    VERSION = "version", _("同一上传者的新版本")
    JOINED = "joined", _("加入相似文档组")
    REVIEW = "review", _("近似副本，送审核")
    LEFT = "left", _("离开相似文档组")
    BACKFILL = "backfill", _("补算时归组")
    MERGED = "merged", _("并入相似文档组（与另一组相连）")
    REFUSED = "refused", _("近似副本，按规则拒绝发布")
    BANNED = "banned", _("已下架文档的近似副本，拒绝发布")


class ClusterEvent(models.Model):
    """Append-only audit row of every near-duplicate decision: which document
    matched, how closely, and what the rules did."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="cluster_events"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    match = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ClusterAction.choices)
    similarity = models.FloatField(default=0.0)
    containment = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("相似文档记录")
        verbose_name_plural = _("相似文档记录")

    def __str__(self) -> str:
        return f"{self.action} #{self.document_id}"

    @property
    def percent(self) -> int:
        """How alike, for people: the larger of similarity and containment."""
        return round(max(self.similarity, self.containment) * 100)
