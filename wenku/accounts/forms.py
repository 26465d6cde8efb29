"""Registration, login and profile forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from wenku.accounts.models import User


class RegisterForm(UserCreationForm):
    display_name = forms.CharField(label=_("昵称"), max_length=40, required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name", "bio", "email")
