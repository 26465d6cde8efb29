"""The report form: it only parses; report_create holds the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenku.moderation.models import ReportReason
from wenku.moderation.services import CONTACT_MAX, DESCRIPTION_MAX


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("举报原因"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("详细说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
        help_text=_("侵权投诉请说明权利人、作品名称及权属证明"),
    )
    contact = forms.CharField(
        label=_("联系方式（邮箱或电话）"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": CONTACT_MAX}),
    )
