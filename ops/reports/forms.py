"""Forms of the report pages: they only parse input; ops.reports.services validates and saves."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ops.reports.services import NOTES_MAX


class NotesForm(forms.Form):
    notes = forms.CharField(label=_("特記事項"), required=False, max_length=NOTES_MAX,
                            widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("重大な出来事、関係機関との調整、課題など。"))
    plan_tomorrow = forms.CharField(label=_("明日の予定"), required=False, max_length=NOTES_MAX,
                                    widget=forms.Textarea(attrs={"rows": 3}))


class RecipientForm(forms.Form):
    name = forms.CharField(label=_("宛名"), max_length=80)
    email = forms.EmailField(label=_("メールアドレス"))
