"""Registration, login and profile forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordMixin, UsernameField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wenku.accounts.models import User

# Service arguments shown under a form field of another name.
_REGISTER_FIELD_OF_ARGUMENT = {"password": "password1"}


class RegisterForm(SetPasswordMixin, forms.Form):
    """Parses the sign-up form; user_create holds the rules on name, nickname and
    password. Only the typing check (both passwords alike) is the form's own."""

    username = UsernameField(
        label=User._meta.get_field("username").verbose_name,
        required=False,
        help_text=User._meta.get_field("username").help_text,
    )
    display_name = forms.CharField(label=_("昵称"), required=False)
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("password1", "password2"):
            self.fields[name].required = False

    def clean(self) -> dict[str, object]:
        self.validate_passwords()
        return self.cleaned_data

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show user_create's refusals under the fields they are about."""
        for argument, messages in exc.message_dict.items():
            field = _REGISTER_FIELD_OF_ARGUMENT.get(argument, argument)
            self.add_error(field if field in self.fields else None, messages)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name", "bio", "email")
