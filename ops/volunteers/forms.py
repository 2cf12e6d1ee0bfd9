"""Forms of the phone pages and the reception desk. They parse input; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ops.centres.prefectures import PREFECTURES
from ops.volunteers.mailing import WEEKDAYS
from ops.volunteers.models import Volunteer
from ops.volunteers.rules import HEALTH_ITEMS

WEEKDAY_CHOICES = list(enumerate(WEEKDAYS))


def _wants_calls():
    return forms.BooleanField(label=_("募集のお知らせをメールで受け取る"), required=False, initial=True,
                              help_text=_("人手が足りない日に、センターからお知らせが届きます。メールのリンクからいつでも停止できます。"))


def _weekdays():
    return forms.TypedMultipleChoiceField(
        label=_("活動できる曜日"), choices=WEEKDAY_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければ、どの曜日でもお知らせします。"))


class CallPreferencesForm(forms.Form):
    """On the personal page: whether to get recruitment calls, and on which weekdays one can come."""

    wants_calls = _wants_calls()
    available_weekdays = _weekdays()


TETANUS = [("yes", _("接種済み")), ("no", _("未接種")), ("unknown", _("わからない"))]


def _text(label, *, required=True, max_length=80, **attrs):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.TextInput(attrs=attrs))


class RegistrationForm(forms.Form):
    name = _text(_("氏名"), autocomplete="name")
    kana = _text(_("フリガナ"), placeholder=_("ヤマダ タロウ"))
    phone = forms.CharField(label=_("携帯電話番号"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("メールアドレス（任意）"), required=False,
                             help_text=_("個人リンクをお送りします。機種変更のときも安心です。"))
    age_band = forms.ChoiceField(label=_("年齢"), choices=[("", "---------"), *Volunteer.AgeBand.choices])
    guardian_consent = forms.BooleanField(label=_("保護者の同意を得ています"), required=False)
    guardian_name = _text(_("保護者氏名（未成年の方）"), required=False)
    prefecture = forms.ChoiceField(label=_("お住まいの都道府県"), choices=PREFECTURES)
    city = _text(_("お住まいの市区町村"), max_length=40)
    emergency_name = _text(_("緊急連絡先（氏名・続柄）"))
    emergency_phone = forms.CharField(label=_("緊急連絡先（電話）"), max_length=20,
                                      widget=forms.TextInput(attrs={"type": "tel"}))
    insurance = forms.ChoiceField(label=_("ボランティア活動保険"), choices=Volunteer.Insurance.choices)
    skills = forms.MultipleChoiceField(label=_("資格・技能（あれば）"), choices=Volunteer.Skill.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)
    wants_calls = _wants_calls()
    available_weekdays = _weekdays()
    privacy = forms.BooleanField(label=_("個人情報は災害ボランティア活動の運営と安全管理のためだけに使われることに同意します"))

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centre is not None and not self.is_bound:
            self.initial.setdefault("prefecture", centre.prefecture)


class WalkInForm(RegistrationForm):
    """At the desk: the receptionist types from the paper form; no phone needed, consent given on paper."""

    phone = forms.CharField(label=_("電話番号（任意）"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel"}))
    emergency_name = _text(_("緊急連絡先（氏名・続柄）"), required=False)
    emergency_phone = forms.CharField(label=_("緊急連絡先（電話）"), max_length=20, required=False)
    privacy = forms.BooleanField(label=_("受付票で個人情報の取扱いへの同意を確認しました"))
    check_in_now = forms.BooleanField(label=_("登録後すぐに受付する（健康チェック・保険確認済み）"),
                                      required=False, initial=True)


class CheckInForm(forms.Form):
    """The volunteer's own morning check: every health answer and the insurance confirmation."""

    insurance = forms.ChoiceField(label=_("ボランティア活動保険"), choices=Volunteer.Insurance.choices,
                                  required=False)
    insurance_confirmed = forms.BooleanField(label=_("ボランティア活動保険に加入していることを確認しました"),
                                             required=False)
    tetanus = forms.ChoiceField(label=_("破傷風の予防接種"), choices=TETANUS, required=False,
                                widget=forms.RadioSelect)
    head_count = forms.IntegerField(label=_("本日の参加人数（団体）"), min_value=1, max_value=999, required=False)
    base = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in HEALTH_ITEMS:
            self.fields[key] = forms.BooleanField(label=label, required=False)

    def health_fields(self):
        return [self[key] for key, _label in HEALTH_ITEMS]

    def health(self) -> dict:
        answers = {key: bool(self.cleaned_data.get(key)) for key, _label in HEALTH_ITEMS}
        if self.cleaned_data.get("tetanus"):
            answers["tetanus"] = self.cleaned_data["tetanus"]
        return answers


class StaffCheckInForm(forms.Form):
    health_checked = forms.BooleanField(label=_("健康チェック済み"), required=False)
    insurance_confirmed = forms.BooleanField(label=_("保険加入を確認"), required=False)
    head_count = forms.IntegerField(label=_("人数"), min_value=1, max_value=999, required=False)

    def health(self) -> dict:
        ok = bool(self.cleaned_data.get("health_checked"))
        return {key: ok for key, _label in HEALTH_ITEMS} | {"by_staff": True}

    @staticmethod
    def all_well() -> dict:
        return {key: True for key, _label in HEALTH_ITEMS} | {"by_staff": True}


class SignInForm(forms.Form):
    """For a phone that lost its link: the phone number and kana given at registration."""

    phone = forms.CharField(label=_("登録した携帯電話番号"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    kana = _text(_("フリガナ"))


class GroupForm(forms.Form):
    name = _text(_("団体名"), max_length=120)
    leader_name = _text(_("代表者氏名"))
    leader_kana = _text(_("代表者フリガナ"))
    phone = forms.CharField(label=_("代表者携帯電話番号"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    member_count = forms.IntegerField(label=_("人数（代表者を含む）"), min_value=1, max_value=999)
    age_band = forms.ChoiceField(label=_("代表者の年齢"), choices=[("", "---------"), *Volunteer.AgeBand.choices])
    prefecture = forms.ChoiceField(label=_("所在地の都道府県"), choices=PREFECTURES)
    city = _text(_("所在地の市区町村"), max_length=40)
    date = forms.TypedChoiceField(label=_("活動希望日（予約）"), required=False, empty_value=None)
    insured = forms.BooleanField(label=_("参加者全員がボランティア活動保険に加入しています"), required=False)
    wants_calls = _wants_calls()
    available_weekdays = _weekdays()
    privacy = forms.BooleanField(label=_("個人情報は災害ボランティア活動の運営と安全管理のためだけに使われることに同意します"))

    def __init__(self, *args, days=(), centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = [("", _("当日受付（予約なし）"))] + [(d.isoformat(), d.isoformat()) for d in days]
        if centre is not None and not self.is_bound:
            self.initial.setdefault("prefecture", centre.prefecture)

    def clean_date(self):
        from datetime import date

        value = self.cleaned_data.get("date")
        return date.fromisoformat(value) if value else None


class BookingForm(forms.Form):
    date = forms.ChoiceField(label=_("活動日"))
    base = forms.TypedChoiceField(label=_("拠点"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, days=(), bases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = [(d.isoformat(), label) for d, label in days]
        if len(bases) > 1:
            self.fields["base"].choices = [("", _("指定なし"))] + [(b.pk, b.name) for b in bases]
        else:
            del self.fields["base"]


class CallForm(forms.Form):
    """募集のお知らせ: the coming days staff need people on, and a short message. `nonce` makes a send once."""

    days = forms.MultipleChoiceField(label=_("募集する日"), widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(label=_("お知らせ（ボランティアへのひとこと）"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              initial=_("人手が足りていません。ご都合のつく方はぜひご協力をお願いします。"))
    nonce = forms.CharField(max_length=43, widget=forms.HiddenInput)

    def __init__(self, *args, days=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(d.isoformat(), label) for d, label in days]

    def clean_days(self):
        from datetime import date

        return sorted(date.fromisoformat(value) for value in self.cleaned_data["days"])
