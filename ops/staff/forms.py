"""Forms of the staff pages. They read input; ops.staff.services decides (passwords are checked there, with the
installation's validators, so every path that makes an account checks the same)."""
from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Role


class AccountForm(forms.Form):
    """One person's own account: what the first administrator and every invited person choose."""

    username = forms.CharField(label=_("ユーザー名（ログインID）"), max_length=150,
                               validators=[UnicodeUsernameValidator()],
                               help_text=_("半角英数字と @ . + - _ が使えます。例: yamada"),
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}))
    name = forms.CharField(label=_("表示名（氏名）"), max_length=150, help_text=_("画面や記録に表示されます。例: 山田 太郎"),
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("メールアドレス"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("パスワード"), strip=False, max_length=128,
                               help_text=_("10文字以上。よく使われるもの、数字だけのもの、ユーザー名に似たものは使えません。"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("パスワード（確認）"), strip=False, max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = email_required

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("確認用のパスワードが一致しません。"))
        return data

    def account(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("username", "name", "email", "password")}

    def add_errors(self, error) -> None:
        """A service's ValidationError (on username or password) shown at its field."""
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


# The 協力団体 role is given only with its organisation (the organisation's page invites its logins), never here.
STAFF_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value != Role.PARTNER]


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=STAFF_ROLE_CHOICES, initial=Role.RECEPTION)
    email = forms.EmailField(label=_("メールアドレス（任意）"), required=False,
                             help_text=_("入力すると招待リンクをメールで送ります。空欄ならリンクをこの画面に表示します"
                                         "（メールのないスマートフォンなど）。"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=STAFF_ROLE_CHOICES)
