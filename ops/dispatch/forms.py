"""Forms render and parse; the rules themselves are checked by the services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ops.dispatch.models import ReturnReport
from ops.welfare.concerns import Concern


class ReturnReportForm(forms.Form):
    outcome = forms.ChoiceField(label=_("結果"), choices=ReturnReport.Outcome.choices, widget=forms.RadioSelect)
    people = forms.IntegerField(label=_("活動人数"), min_value=0, max_value=99)
    hours = forms.DecimalField(label=_("作業時間（1人あたり・時間）"), min_value=0, max_value=12, decimal_places=2,
                               widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}))
    work_done = forms.CharField(label=_("活動内容"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    injuries = forms.IntegerField(label=_("けが人"), min_value=0, max_value=99, initial=0, required=False)
    heat_illness = forms.IntegerField(label=_("熱中症（疑いを含む）"), min_value=0, max_value=99, initial=0,
                                      required=False)
    near_miss = forms.CharField(label=_("ヒヤリハット（危なかったこと）"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    tools_returned = forms.BooleanField(label=_("貸し出した資機材はすべて資機材受付に戻った"), required=False)
    # 気になったこと: passed to the welfare staff (ops.welfare.services.raise_concern), never kept on the report.
    concerns = forms.MultipleChoiceField(label=_("気になったこと（福祉担当に伝えます）"), choices=Concern.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple)
    concern_note = forms.CharField(label=_("気になったことのメモ"), required=False, max_length=500,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        for name in ("injuries", "heat_illness"):  # a cleared field on a phone means none
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class LeaderReportForm(ReturnReportForm):
    """The leader's report from the slip: tools are handed back at the centre's tool desk, not ticked off here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["tools_returned"]


class FormTeamForm(forms.Form):
    members = forms.TypedMultipleChoiceField(label=_("メンバー"), coerce=int, widget=forms.CheckboxSelectMultiple)
    leader = forms.TypedChoiceField(label=_("リーダー"), coerce=int)
    base = forms.TypedChoiceField(label=_("拠点"), coerce=int, required=False, empty_value=None)
    vehicle = forms.CharField(label=_("車両"), required=False, max_length=80)

    def __init__(self, *args, attendances=(), bases=(), label=str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.pk, label(a)) for a in attendances]
        self.fields["members"].choices = choices
        self.fields["leader"].choices = choices
        self.fields["base"].choices = [("", "—")] + [(b.pk, b.name) for b in bases]


class LendForm(forms.Form):
    kind = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=999)


class ToolKindForm(forms.Form):
    name = forms.CharField(label=_("名前"), max_length=60)
    unit = forms.CharField(label=_("単位"), max_length=10, required=False)
    quantity = forms.IntegerField(label=_("最初の数量"), min_value=0, max_value=100_000, required=False)


class MovementForm(forms.Form):
    reason = forms.ChoiceField(label=_("理由"))
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=100_000)
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reasons


class HandOutForm(forms.Form):
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=100_000)
    team = forms.TypedChoiceField(label=_("渡した先"), coerce=int, required=False, empty_value=None)
    on = forms.DateField(label=_("日付"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("受付で配布"))] + [(t.pk, t.label) for t in teams]
