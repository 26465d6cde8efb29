"""Forms of the member center, the buy page and the admin grant page."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wenku.wallet.services.earning import GRANT_MAX


class RechargeForm(forms.Form):
    yuan = forms.IntegerField(label=_("充值金额（元）"), min_value=1, max_value=100_000)


class WithdrawalForm(forms.Form):
    points = forms.IntegerField(label=_("提现积分"), min_value=1, max_value=10_000_000)
    payee = forms.CharField(
        label=_("收款账户"),
        max_length=200,
        help_text=_("如：支付宝 138****0000 张三"),
    )


class BuyForm(forms.Form):
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    expected_price = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class GrantForm(forms.Form):
    username = forms.CharField(label=_("会员用户名"), max_length=150)
    amount = forms.IntegerField(
        label=_("积分（负数为扣减）"), min_value=-GRANT_MAX, max_value=GRANT_MAX
    )
    reason = forms.CharField(label=_("原因"), max_length=300)

    def clean_username(self) -> object:
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("没有这个会员"))
        return user

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("积分不能为 0"))
        return amount
