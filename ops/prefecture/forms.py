"""The prefecture pages' forms: they read and check input; ops.prefecture.services decides and writes."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre
from ops.prefecture.services.recruitment import UNCHANGED


class RecruitmentForm(forms.Form):
    """募集状況 (and 募集範囲) for several centres of the disaster at once."""

    centres = forms.ModelMultipleChoiceField(
        label=_("センター"), queryset=Centre.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("センターを1つ以上選んでください。"),
                        "invalid_choice": _("選べないセンターです。"), "invalid_pk_value": _("選べないセンターです。")})
    status = forms.ChoiceField(label=_("募集状況"), choices=Centre.Recruitment.choices)
    scope = forms.ChoiceField(label=_("募集範囲"), required=False,
                              choices=[(UNCHANGED, _("変更しない")), *Centre.Scope.choices])

    def __init__(self, *args, disaster, **kwargs):
        super().__init__(*args, **kwargs)
        # Every centre of the disaster that has not closed; a closed one is refused by the service too.
        self.fields["centres"].queryset = (Centre.objects.filter(disaster=disaster)
                                           .exclude(status=Centre.Status.CLOSED).order_by("id"))
        self.fields["centres"].label_from_instance = lambda c: f"{c.name}（{c.get_recruitment_status_display()}）"


class AddMemberForm(forms.Form):
    username = forms.CharField(label=_("ログイン名"), max_length=150)
