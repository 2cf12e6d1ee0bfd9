"""Forms of the centre staff's 三者連携 pages (the technical desk): an organisation, a login invited for it, a need
offered to an organisation and a job withdrawn. They read input; ops.partners.services and ops.staff.services
decide (a refusal comes back as PartnerRefused / StaffError and is shown at its field)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ops.partners.models import Capability, Organisation

WHOLE_NEED = "whole"


class OrganisationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("organisation", "団体名"), max_length=100)
    kind = forms.ChoiceField(label=_("種別"), choices=Organisation.Kind.choices, initial=Organisation.Kind.NPO)
    capabilities = forms.MultipleChoiceField(label=_("対応できる作業"), choices=Capability.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    contact_name = forms.CharField(label=pgettext_lazy("organisation", "担当者"), max_length=80, required=False)
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    notes = forms.CharField(label=_("備考"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label=pgettext_lazy("organisation", "活動中"), required=False, initial=True)

    @classmethod
    def initial_from(cls, org: Organisation) -> dict:
        return {name: getattr(org, name) for name in cls.base_fields}

    def organisation_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class LoginInviteForm(forms.Form):
    """A login for the organisation: the 協力団体 role at this centre, given with the organisation."""

    email = forms.EmailField(label=_("メールアドレス（任意）"), required=False,
                             help_text=_("入力すると招待リンクをメールで送ります。空欄ならリンクをこの画面に表示します。"))


class OfferForm(forms.Form):
    """Offer the need (or one of its work types) to an organisation. The choices are the need's: its work types
    and the centre's active organisations, those able to do the chosen work first."""

    work = forms.ChoiceField(label=_("依頼する作業"))
    organisation = forms.TypedChoiceField(label=_("協力団体"), coerce=int)
    note = forms.CharField(label=_("依頼内容（団体へ伝えること）"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, need, organisations, work_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.need = need
        self.work_types = {str(wt.pk): wt for wt in work_types}
        self.organisations = {org.pk: org for org in organisations}
        self.fields["work"].choices = [(key, str(wt)) for key, wt in self.work_types.items()] + [
            (WHOLE_NEED, _("ニーズ全体"))]
        self.fields["organisation"].choices = [("", "—")] + [(org.pk, org.name) for org in organisations]

    def chosen(self) -> tuple:
        """(organisation, work type or None for the whole need)."""
        work = self.cleaned_data["work"]
        return (self.organisations[self.cleaned_data["organisation"]],
                None if work == WHOLE_NEED else self.work_types[work])


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("取下げの理由"), max_length=300)
