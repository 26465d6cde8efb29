from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenku.moderation.models import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("举报原因"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("详细说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("侵权投诉请说明权利人、作品名称及权属证明"),
    )
    contact = forms.CharField(
        label=_("联系方式（邮箱或电话）"), max_length=120, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == ReportReason.COPYRIGHT and not data.get("contact"):
            self.add_error(
                "contact", _("侵权投诉需留下联系方式，以便核实 / Contact is required")
            )
        return data
