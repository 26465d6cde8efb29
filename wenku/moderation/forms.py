"""Moderation forms: they only parse; the services hold the rules and messages."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from wenku.moderation.models import COMMENT_REASONS, DOCUMENT_REASONS, ReportReason
from wenku.moderation.services import CONTACT_MAX, DESCRIPTION_MAX

REPORT_REASONS = [c for c in ReportReason.choices if c[0] in DOCUMENT_REASONS]
COMMENT_REPORT_REASONS = [
    (reason.value, reason.label) for reason in map(ReportReason, COMMENT_REASONS)
]

# Reason templates moderators pick from (the text stays editable).
REASON_TEMPLATES = [
    ("", _("— 选择理由模板 —")),
    ("权利人投诉成立：文档未经授权传播受版权保护的作品", _("侵权成立")),
    ("投诉材料不足以证明权属或侵权", _("证据不足")),
    ("文档含色情或低俗内容", _("色情低俗")),
    ("文档含违法内容", _("违法内容")),
    ("文档为广告或垃圾信息", _("广告垃圾")),
    ("文档内容与标题不符", _("文不对题")),
    ("评论含人身攻击、辱骂或广告", _("违规评论")),
    ("经核实未发现违规", _("未发现违规")),
]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("举报原因"), choices=REPORT_REASONS, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("详细说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
    )
    contact = forms.CharField(
        label=_("联系方式（邮箱或电话）"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": CONTACT_MAX}),
    )


class CommentReportForm(ReportForm):
    reason = forms.ChoiceField(
        label=_("举报原因"), choices=COMMENT_REPORT_REASONS, widget=forms.RadioSelect
    )


def document_numbers(text: str) -> list[str]:
    """Document numbers from what a person pastes: numbers or page addresses."""
    found = []
    for token in re.split(r"[\s,，;；、]+", text or ""):
        match = re.search(r"/documents/(\d+)", token)
        found.append(match.group(1) if match else token)
    return [token for token in found if token]


class ComplaintForm(forms.Form):
    """Every field optional here: complaint_file lists all that is missing at once."""

    name = forms.CharField(label=_("权利人姓名或名称"), required=False, max_length=100)
    contact = forms.CharField(
        label=_("联系方式（邮箱或电话）"), required=False, max_length=CONTACT_MAX
    )
    address = forms.CharField(label=_("通信地址"), required=False, max_length=300)
    agent_for = forms.CharField(
        label=_("代理的权利人（代理人投诉时填写）"), required=False, max_length=100
    )
    authorisation = forms.FileField(label=_("授权委托书"), required=False)
    work = forms.CharField(label=_("被侵权作品名称"), required=False, max_length=300)
    documents = forms.CharField(
        label=_("被投诉的文档（编号或网址，多个用空格或逗号分隔）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    proof = forms.CharField(
        label=_("权属证明与侵权说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
    )
    proof_file = forms.FileField(label=_("权属证明文件"), required=False)
    good_faith = forms.BooleanField(
        label=_("我善意地相信，被投诉的使用未经权利人、其代理人或法律许可"),
        required=False,
    )
    accurate = forms.BooleanField(
        label=_("我保证本通知内容真实、准确，并承担不实投诉的法律责任"),
        required=False,
    )
    signature = forms.CharField(
        label=_("签名（输入姓名）"), required=False, max_length=100
    )


class CounterNoticeForm(forms.Form):
    name = forms.CharField(label=_("姓名或名称"), required=False, max_length=100)
    contact = forms.CharField(label=_("联系方式"), required=False, max_length=120)
    address = forms.CharField(label=_("通信地址"), required=False, max_length=300)
    statement = forms.CharField(
        label=_("不侵权的说明与初步证明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
    )
    proof_file = forms.FileField(label=_("证明文件"), required=False)
    signature = forms.CharField(
        label=_("签名（输入姓名）"), required=False, max_length=100
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("take_down", _("成立：下架")), ("reject", _("驳回"))],
        widget=forms.RadioSelect,
        label=_("处理"),
    )
    template = forms.ChoiceField(
        label=_("理由模板"), choices=REASON_TEMPLATES, required=False
    )
    reason = forms.CharField(
        label=_("理由（上传者与投诉人可见）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )

    def reason_text(self) -> str:
        return (
            self.cleaned_data.get("reason") or self.cleaned_data.get("template") or ""
        )
