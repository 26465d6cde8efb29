"""Upload and edit forms for documents.

They only parse (text to numbers, an id to a Category); every rule on the details
and the copyright declaration is the upload and edit services' (details.py), whose
refusals `form_add_rejection` shows next to the input they are about.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wenku.core.models import Category
from wenku.documents.services import DocumentRejected
from wenku.documents.services.details import DESCRIPTION_MAX, TAGS_MAX, TITLE_MAX


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
    # maxlength is a hint to the browser; the limits themselves are the services'.
    title = forms.CharField(
        label=_("标题"),
        required=False,
        help_text=_("留空则使用文件名"),
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
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
        label=_("标签"),
        required=False,
        help_text=_("用逗号分隔"),
        widget=forms.TextInput(attrs={"maxlength": TAGS_MAX}),
    )
    description = forms.CharField(
        label=_("描述"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX}),
    )
    # Blank price means free and blank free pages the site default, as in the API.
    price = forms.IntegerField(
        label=_("价格（积分，0 为免费）"), initial=0, required=False
    )
    free_pages = forms.IntegerField(label=_("免费预览页数"), required=False)

    def clean_price(self) -> int:
        price = self.cleaned_data["price"]
        return 0 if price is None else price


class UploadForm(DocumentMetaForm):
    # An empty file reaches document_upload, which says so as it does for the API.
    files = MultipleFileField(label=_("选择文件"), allow_empty_file=True)
    agree = forms.BooleanField(
        label=_("我声明上传的文档为本人原创或已获授权，不侵犯他人版权"),
        required=False,  # document_upload refuses an upload without it
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


# Service arguments shown under a form field of another name.
_FIELD_OF_ARGUMENT = {"copyright_declared": "agree"}


def form_add_rejection(form: forms.Form, exc: DocumentRejected) -> None:
    """Show a service's refusal next to the input it is about (else above the form)."""
    field = _FIELD_OF_ARGUMENT.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
