"""Site-wide settings and the category tree."""

from __future__ import annotations

import copy

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


class ReviewMode(models.TextChoices):
    """Which uploads a moderator reviews before they are published."""

    OFF = "off", _("不审核，转换完成即发布")
    ALL = "all", _("审核所有会员的上传")
    NEW_MEMBERS = "new_members", _("只审核新会员的上传")


class NearCopyPolicy(models.TextChoices):
    """What happens to another member's near-copy of a document (docs/moderation.md)."""

    PUBLISH = "publish", _("发布，并归入原文档的相似文档组")
    REVIEW = "review", _("送发布前审核")
    REFUSE = "refuse", _("拒绝发布")


# The texts a new site starts with: shown in the reader's language while the admin
# keeps them (``SiteSettings.displayed``); an admin's own wording is shown as written.
DEFAULT_SITE_NAME = gettext_noop("文库")
DEFAULT_TAGLINE = gettext_noop("分享知识，共享文档")
DEFAULT_FOOTER_NOTICE = gettext_noop(
    "本站为文档C TO C交易模式，本站只提供存储空间，用户上传的文档直接被用户下载，"
    "本站只是中间服务平台，本站所有文档下载所得的收益归上传人（含作者）所有。"
    "若文档所含内容侵犯了您的版权或隐私，请立即举报，我们核实后立即给予删除！"
)
DEFAULT_TEXTS = {
    "site_name": DEFAULT_SITE_NAME,
    "tagline": DEFAULT_TAGLINE,
    "footer_notice": DEFAULT_FOOTER_NOTICE,
}


class SiteSettings(models.Model):
    """A single row of settings editable in the admin (see `site_settings_get`)."""

    site_name = models.CharField(
        _("站点名称"), max_length=100, default=DEFAULT_SITE_NAME
    )
    tagline = models.CharField(
        _("标语"), max_length=200, blank=True, default=DEFAULT_TAGLINE
    )
    footer_notice = models.TextField(_("页脚声明"), default=DEFAULT_FOOTER_NOTICE)
    contacts = models.CharField(_("联系方式"), max_length=300, blank=True, default="")
    icp_number = models.CharField(
        _("ICP备案号"), max_length=100, blank=True, default=""
    )
    default_free_pages = models.PositiveIntegerField(_("默认免费预览页数"), default=5)
    uploads_per_day = models.PositiveIntegerField(
        _("每位会员每日上传上限"),
        default=20,
        help_text=_("会员当天上传超过这个数的文档时被拒绝，次日零点恢复；0 表示不限。"),
    )
    review_mode = models.CharField(
        _("发布前审核"),
        max_length=20,
        choices=ReviewMode.choices,
        default=ReviewMode.OFF,
        help_text=_(
            "开启后，会员上传的文档转换完成后进入“审核中”，管理员通过后才发布；"
            "管理员上传的文档从不需要审核。"
        ),
    )
    review_trust_threshold = models.PositiveIntegerField(
        _("新会员门槛（已发布文档数）"),
        default=3,
        help_text=_("“只审核新会员”时，已发布文档少于这个数的会员的上传需要审核。"),
    )

    # Near-duplicates: thresholds in percent, checked at publication
    # (wenku/documents/services/near_duplicates.py); the defaults are chosen by
    # bench/dedup (docs/moderation.md: 10 % of characters edited keeps about 60 %
    # of a text's 5-character runs, a shared template or heading under 30 %).
    near_similarity = models.PositiveSmallIntegerField(
        _("近似副本：相似度阈值（%）"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("两份文档的文字（5 字片段）重合度达到这个比例即视为近似副本。"),
    )
    near_containment = models.PositiveSmallIntegerField(
        _("近似副本：包含度阈值（%）"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "一份文档的文字有这个比例出现在另一份中（节选、扩写）即视为近似副本。"
        ),
    )
    near_copy_priced = models.CharField(
        _("他人收费文档的近似副本"),
        max_length=20,
        choices=NearCopyPolicy.choices,
        default=NearCopyPolicy.REVIEW,
        help_text=_(
            "同一上传者的近似副本总是作为新版本发布；已下架文档的近似副本总是拒绝。"
        ),
    )
    near_copy_free = models.CharField(
        _("他人免费文档的近似副本"),
        max_length=20,
        choices=NearCopyPolicy.choices,
        default=NearCopyPolicy.PUBLISH,
    )

    class Meta:
        verbose_name = _("站点设置")
        verbose_name_plural = _("站点设置")

    def __str__(self) -> str:
        return self.site_name

    def displayed(self) -> SiteSettings:
        """This row as pages show it: the texts a new site starts with in the active
        language (the admin's own wording as written). A copy, for display only."""
        shown = copy.copy(self)
        for field, default in DEFAULT_TEXTS.items():
            if getattr(self, field) == default:
                setattr(shown, field, gettext(default))
        return shown


class Category(models.Model):
    """A node of the category tree (应用文书 > 汇报体会)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("名称"), max_length=60)
    # Site content in the reader's language: one name per language, edited in the
    # admin; English pages fall back to the Chinese name while this is empty.
    name_en = models.CharField(
        _("英文名称"),
        max_length=60,
        blank=True,
        default="",
        help_text=_("英文界面显示的名称；留空则显示中文名称。"),
    )
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    description = models.CharField(_("描述"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("分类")
        verbose_name_plural = _("分类")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_unique_name_in_parent"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.parent.shown_name} > {self.shown_name}"
            if self.parent is not None
            else self.shown_name
        )

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:category", kwargs={"slug": self.slug})

    @property
    def shown_name(self) -> str:
        """The name in the active language (the Chinese name when it has no other)."""
        language = get_language() or ""
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def ancestors(self) -> list[Category]:
        """Root-first chain ending with this category (for the breadcrumb)."""
        chain: list[Category] = []
        node: Category | None = self
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
