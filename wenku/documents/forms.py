"""Upload and edit forms for documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wenku.core.models import Category
from wenku.wallet.selectors import price_bounds


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return str(obj)


class DocumentMetaForm(forms.Form):
    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        required=False,
        help_text=_("留空则使用文件名"),
    )
    category = CategoryChoiceField(
        label=_("分类"),
        queryset=Category.objects.select_related("parent").order_by(
            "parent__position", "parent_id", "position"
        ),
        required=False,
        empty_label=_("请选择分类"),
    )
    tags = forms.CharField(
        label=_("标签"), max_length=200, required=False, help_text=_("用逗号分隔")
    )
    description = forms.CharField(
        label=_("描述"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    price = forms.IntegerField(label=_("价格（积分，0 为免费）"), initial=0)
    free_pages = forms.IntegerField(
        label=_("免费预览页数"), min_value=1, max_value=1000
    )

    def clean_price(self) -> int:
        price = self.cleaned_data["price"]
        bounds = price_bounds()
        if price < 0:
            raise forms.ValidationError(_("价格不能为负数"))
        if not bounds.allows(price):
            raise forms.ValidationError(
                _("价格须为 0（免费）或 %(low)s–%(high)s 积分之间"),
                params={"low": max(bounds.minimum, 1), "high": bounds.maximum},
            )
        return price

    def clean_tags(self) -> str:
        raw = self.cleaned_data["tags"].replace("，", ",")
        tags = [t.strip() for t in raw.split(",") if t.strip()]
        return ",".join(dict.fromkeys(tags))[:200]


class UploadForm(DocumentMetaForm):
    files = MultipleFileField(label=_("选择文件"))
    agree = forms.BooleanField(
        label=_("我声明上传的文档为本人原创或已获授权，不侵犯他人版权"),
        error_messages={
            "required": _("请勾选版权声明 / Please confirm the copyright declaration")
        },
    )
    field_order = [
        "files",
        "title",
        "category",
        "tags",
        "description",
        "price",
        "free_pages",
        "agree",
    ]


class EditForm(DocumentMetaForm):
    pass
