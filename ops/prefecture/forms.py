"""The prefecture staff's forms: opening an offering (受入枠), adding a bus and changing its running status,
recruitment across centres, adding a member. They parse input only; the rules are the services' (ops.prefecture.services), whose refusals come back on
the field they name."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre
from ops.prefecture.models import BusDeparture, Offering
from ops.prefecture.services.recruitment import UNCHANGED


def centres_of(disaster):
    return Centre.objects.filter(disaster=disaster).exclude(status=Centre.Status.CLOSED).order_by("name")


def refused(form: forms.Form, err) -> None:
    """A service's refusal on the field it names (or the whole form), the input kept."""
    form.add_error(err.field if err.field in form.fields else None, err.message)


class OfferingForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("センター"), queryset=Centre.objects.none())
    date = forms.DateField(label=_("活動日"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    places = forms.IntegerField(label=_("受入人数"), min_value=1, max_value=10000)
    method = forms.ChoiceField(label=_("定員超過時の決め方"), choices=Offering.Method.choices,
                               initial=Offering.Method.DRAW, widget=forms.RadioSelect)
    closes_at = forms.DateTimeField(label=_("応募締切（任意）"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    note = forms.CharField(label=_("お知らせ（任意）"), required=False, max_length=200)

    def __init__(self, *args, disaster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres_of(disaster)


class BusForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("行き先のセンター"), queryset=Centre.objects.none())
    date = forms.DateField(label=_("運行日"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hub = forms.CharField(label=_("出発地（拠点）"), max_length=120)
    departs_at = forms.TimeField(label=_("出発時刻"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    seats = forms.IntegerField(label=_("座席数"), min_value=1, max_value=99)
    operator = forms.CharField(label=_("運行会社"), required=False, max_length=120)

    def __init__(self, *args, disaster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres_of(disaster)


class BusStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("運行状況"), widget=forms.RadioSelect, choices=[
        (BusDeparture.Status.SCHEDULED, _("予定どおり")), (BusDeparture.Status.DELAYED, _("遅延")),
        (BusDeparture.Status.CANCELLED, _("運休"))])
    delay_minutes = forms.IntegerField(label=_("遅れ（分）"), required=False, min_value=1, max_value=600)
    note = forms.CharField(label=_("お知らせ（任意・乗車する方へのメールに載ります）"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


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


class OfferingCallForm(forms.Form):
    """募集のお知らせ for an offered date: the centre's recruitment call (ops.volunteers.services.calls), sent from
    the prefecture's page; `nonce` makes a send once."""

    message = forms.CharField(label=_("お知らせ（ボランティアへのひとこと）"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              initial=_("人手が足りていません。ご都合のつく方はぜひご協力をお願いします。"))
    nonce = forms.CharField(max_length=43, widget=forms.HiddenInput)
