"""Forms of the member center, the buy page and the admin grant page.

The member forms only parse (text to whole numbers); the amounts, payee and key rules
are the services' (recharge_order_create, withdrawal_request, purchase_create), whose
WalletError the views show.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wenku.wallet.services.earning import GRANT_MAX
from wenku.wallet.services.withdrawals import PAYEE_MAX


class RechargeForm(forms.Form):
    yuan = forms.IntegerField(label=_("充值金额（元）"))


class WithdrawalForm(forms.Form):
    points = forms.IntegerField(label=_("提现积分"))
    payee = forms.CharField(
        label=_("收款账户"),
        required=False,  # withdrawal_request asks for it
        help_text=_("如：支付宝 138****0000 张三"),
        widget=forms.TextInput(attrs={"maxlength": PAYEE_MAX}),
    )


class BuyForm(forms.Form):
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)
    expected_price = forms.IntegerField(widget=forms.HiddenInput)


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
