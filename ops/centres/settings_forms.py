"""Forms of the centre settings and bases pages: they parse input; ops.centres.services and ops.centres.bases
validate and save (the rules live there, once)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Base
from ops.centres.services import MAX_CAPACITY

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
POSITION = {"step": "any", "inputmode": "decimal"}


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("センター名"), max_length=120)
    address = forms.CharField(label=_("所在地"), max_length=200, required=False)
    phone = forms.CharField(label=_("センター電話番号"), max_length=20, required=False)
    lat = forms.FloatField(label=_("緯度"), min_value=-90, max_value=90, widget=forms.NumberInput(attrs=POSITION))
    lng = forms.FloatField(label=_("経度"), min_value=-180, max_value=180, widget=forms.NumberInput(attrs=POSITION))


class HoursForm(forms.Form):
    activity_start = forms.TimeField(label=_("受付開始"), widget=TIME)
    activity_end = forms.TimeField(label=_("活動終了"), widget=TIME)
    latest_return_time = forms.TimeField(label=_("帰着期限"), widget=TIME,
                                         help_text=_("すべての班がこの時刻までに戻ります。過ぎると状況ボードに表示されます。"))
    report_time = forms.TimeField(label=_("日報送信時刻"), widget=TIME)


class TermsForm(forms.Form):
    insurance_signup_url = forms.CharField(label=_("保険加入案内URL"), max_length=200, required=False,
                                           widget=forms.URLInput)
    neighbour_cities = forms.CharField(
        label=_("近隣として受け入れる市町村（1行に1つ）"), required=False, max_length=2500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("募集範囲が「近隣」のとき、センターの市町村とここに書いた市町村（同じ都道府県）の方を受け付けます。"))


class AlertsForm(forms.Form):
    crisis_alert_emails = forms.CharField(
        label=_("危機介入の通知を受け取る追加のメールアドレス（1行に1つ）"), required=False, max_length=2500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("管理者と福祉担当のスタッフには常に届きます。通知には個人情報を含みません。"))


class BaseForm(forms.Form):
    name = forms.CharField(label=_("拠点名"), max_length=80)
    kind = forms.ChoiceField(label=_("種別"), choices=Base.Kind.choices)
    address = forms.CharField(label=_("所在地"), max_length=200, required=False)
    lat = forms.FloatField(label=_("緯度"), min_value=-90, max_value=90, widget=forms.NumberInput(attrs=POSITION))
    lng = forms.FloatField(label=_("経度"), min_value=-180, max_value=180, widget=forms.NumberInput(attrs=POSITION))
    daily_capacity = forms.IntegerField(label=_("1日の受入上限（空欄: 上限なし）"), min_value=0,
                                        max_value=MAX_CAPACITY, required=False)


class CapacityDayForm(forms.Form):
    date = forms.DateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    base = forms.TypedChoiceField(label=_("対象"), coerce=int, required=False, empty_value=None)
    capacity = forms.IntegerField(label=_("受入上限（人）"), min_value=0, max_value=MAX_CAPACITY, required=False)
    closed = forms.BooleanField(label=_("休止日（受付しない）"), required=False)
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def __init__(self, *args, bases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].choices = [("", _("センター全体")), *[(b.pk, b.name) for b in bases]]

    def clean(self):
        data = super().clean()
        if not data.get("closed") and data.get("capacity") is None and "capacity" not in self.errors:
            self.add_error("capacity", _("受入上限を入力するか、休止日にしてください。"))
        return data
