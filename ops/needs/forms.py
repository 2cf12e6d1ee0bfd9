"""Forms of the needs area. They only read input; the services decide (and re-check) the rules."""
import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mapping.addresses import postal
from ops import normalise
from ops.needs.models import Closure, Household, Need, NeedStatus, Survey, WorkType
from ops.needs.services.fields import LAT_RANGE, LNG_RANGE


class PhoneField(forms.CharField):
    """Accepts full-width digits, hyphens and +81; checks the Japanese number format."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def validate(self, value):
        super().validate(value)
        if value:
            normalise.validate_phone(value)


class PostalCodeField(forms.CharField):
    """郵便番号 on a form only (not kept): needs/postal.js fills the address's start from it
    (mapping.addresses.postal). Typed with a dash, 〒 or full-width digits; blank is fine."""

    def __init__(self, *, autocomplete="off", **kwargs):
        super().__init__(label=_("郵便番号"), max_length=10, required=False,
                         help_text=_("7桁を入れると住所の町名までを入力します。"),
                         widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": autocomplete,
                                                       "class": "postal-code"}), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        digits = postal.digits_of(value)
        if digits is None:
            raise ValidationError(gettext("郵便番号は7桁の数字で入力してください。"))
        return digits


class WorkTypeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj) + (" " + str(_("（専門ボランティア）")) if obj.specialist_only else "")


# The position a resident's phone sends is used only when this close (metres, the browser's own estimate): a
# position from the network alone can be kilometres off, and a pin there would send a team to the wrong street.
POSITION_MAX_ERROR_M = 1000
_OUTSIDE_JAPAN_HERE = {
    "min_value": _("現在地が日本国内ではありません。取り消して、住所だけで送ってください。"),
    "max_value": _("現在地が日本国内ではありません。取り消して、住所だけで送ってください。"),
    "invalid": _("現在地を取得し直してください。"),
}
_OUTSIDE_JAPAN = {
    "min_value": _("地図で日本国内の位置を指定してください。"),
    "max_value": _("地図で日本国内の位置を指定してください。"),
    "invalid": _("地図で位置を指定し直してください。"),
}


class NeedForm(forms.Form):
    """The intake card (ニーズ受付票): staff at the phone bank or the counter."""

    channel = forms.ChoiceField(label=_("受付方法"), choices=Need.Channel.choices, initial=Need.Channel.PHONE)
    requester_type = forms.ChoiceField(label=_("依頼者"), choices=Need.RequesterType.choices,
                                       initial=Need.RequesterType.RESIDENT)
    requester_name = forms.CharField(label=_("氏名"), max_length=80,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))
    requester_kana = forms.CharField(label=_("フリガナ"), max_length=80, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = PhoneField(label=_("電話番号"), required=False, help_text=_("例: 090-1234-5678（全角・ハイフンも可）"))
    postal_code = PostalCodeField(autocomplete="off")
    address = forms.CharField(label=_("住所"), max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    district = forms.CharField(label=_("地区"), max_length=40, required=False,
                               widget=forms.TextInput(attrs={"list": "districts", "autocomplete": "off"}))
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=LAT_RANGE[0], max_value=LAT_RANGE[1],
                           error_messages=_OUTSIDE_JAPAN)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=LNG_RANGE[0], max_value=LNG_RANGE[1],
                           error_messages=_OUTSIDE_JAPAN)
    work_types = WorkTypeChoiceField(label=_("作業内容"), queryset=WorkType.objects.all(), required=False, to_field_name="code",
                                     widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("依頼内容"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    people_needed = forms.IntegerField(label=_("必要人数（見込み）"), min_value=1, max_value=200, initial=5)
    days_needed = forms.IntegerField(label=_("必要日数（見込み）"), min_value=1, max_value=60, initial=1)
    tools_needed = forms.CharField(label=_("必要資機材"), max_length=200, required=False)
    vehicle_needed = forms.BooleanField(label=_("車両が必要（軽トラック等）"), required=False)
    hazards = forms.CharField(label=_("危険箇所・注意事項"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    household = forms.MultipleChoiceField(label=_("世帯の状況"), choices=Household.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    welfare = forms.ChoiceField(label=_("福祉的支援"), choices=Need.Welfare.choices, initial=Need.Welfare.NONE,
                                widget=forms.RadioSelect,
                                help_text=_("危機介入: センター長に直ちに通知します。見守り: 福祉担当が継続して確認します。"))
    welfare_note = forms.CharField(label=_("福祉担当への申し送り"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    consent_share = forms.BooleanField(label=_("関係機関との情報共有に同意を得た"), required=False)
    priority = forms.TypedChoiceField(label=_("優先度"), choices=Need.Priority.choices, coerce=int,
                                      initial=Need.Priority.NORMAL)
    notes = forms.CharField(label=_("備考"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    # Set when staff have seen the possible duplicates: "different" or the pk of the need it repeats.
    duplicate_decision = forms.CharField(required=False, widget=forms.HiddenInput)

    NEED_FIELDS = ("channel", "requester_type", "requester_name", "requester_kana", "phone", "address", "district",
                   "lat", "lng", "work_types", "description", "people_needed", "days_needed", "tools_needed",
                   "vehicle_needed", "hazards", "household", "consent_share", "priority", "notes")

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None) and not self.has_error("lat"):
            self.add_error("lat", _("地図で位置を指定し直してください。"))
        return data

    def need_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.NEED_FIELDS}

    @classmethod
    def initial_from(cls, need: Need) -> dict:
        initial = {name: getattr(need, name) for name in cls.NEED_FIELDS if name != "work_types"}
        initial["work_types"] = list(need.work_types.all())
        initial["welfare"] = need.welfare
        return initial


class EditNeedForm(NeedForm):
    """Editing: the welfare flag has its own form (it records a referral), the decision field is unused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("welfare", "welfare_note", "duplicate_decision"):
            del self.fields[name]


class SurveyForm(forms.Form):
    damage_type = forms.ChoiceField(label=_("被害の種類"), choices=Survey.Damage.choices)
    work_class = forms.CharField(label=_("作業区分"), max_length=80, required=False,
                                 help_text=_("例: 床下の泥出し、家財搬出、消毒前の清掃"))
    people_needed = forms.IntegerField(label=_("必要人数"), min_value=1, max_value=200)
    days_needed = forms.IntegerField(label=_("必要日数"), min_value=1, max_value=60)
    estimate_reason = forms.CharField(label=_("人数・日数の根拠"), max_length=300, required=False,
                                      help_text=_("例: 6畳2間の床下、泥の深さ10cm"))
    tools = forms.CharField(label=_("必要資機材"), max_length=200, required=False)
    hazards = forms.CharField(label=_("危険箇所・注意事項"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    volunteer_ok = forms.TypedChoiceField(
        label=_("ボランティアで対応できるか"), coerce=lambda v: v == "yes", widget=forms.RadioSelect, initial="yes",
        choices=[("yes", _("対応できる")), ("no", _("対応できない（屋根・2階以上・構造に関わる作業など）"))],
    )
    # Work for a partner organisation (ops.partners): with "cannot" above the need waits for one (保留) instead
    # of closing as referred; with "can" it stays on the volunteers' way and shows on the technical desk too.
    technical = forms.BooleanField(label=_("技術系（協力団体へ依頼）"), required=False,
                                   help_text=_("屋根・重機・チェーンソー・床下など、協力団体に依頼する作業がある"))
    refusal_reason = forms.CharField(label=_("対応できない理由"), max_length=300, required=False)
    referred_to = forms.CharField(label=_("紹介先"), max_length=200, required=False,
                                  help_text=_("例: 専門業者、技術系NPO、市の建築担当"))
    welfare = forms.ChoiceField(label=_("福祉的支援"), choices=Need.Welfare.choices, widget=forms.RadioSelect)
    welfare_note = forms.CharField(label=_("福祉担当への申し送り"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("写真"), required=False, widget=forms.ClearableFileInput(attrs={
        "accept": "image/jpeg,image/png,image/webp", "capture": "environment"}))
    photo_consent = forms.BooleanField(label=_("撮影・保存について依頼者の同意を得た"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("volunteer_ok") is False and not (data.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("ボランティアで対応できない理由を入力してください。"))
        if data.get("photo") and not data.get("photo_consent"):
            self.add_error("photo_consent", _("撮影・保存について依頼者の同意を確認してください。"))
        return data


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("新しい状況"), choices=())
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)
    closure = forms.ChoiceField(label=_("終了の理由"), required=False,
                                choices=[("", "—")] + [c for c in Closure.choices if c[0] != Closure.DUPLICATE])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, NeedStatus(s).label) for s in targets]


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("写真"), widget=forms.ClearableFileInput(attrs={
        "accept": "image/jpeg,image/png,image/webp", "capture": "environment"}))
    caption = forms.CharField(label=_("説明"), max_length=200, required=False)
    consent = forms.BooleanField(label=_("撮影・保存について依頼者の同意を得た"), required=False)


class WelfareForm(forms.Form):
    kind = forms.ChoiceField(label=_("福祉的支援"), choices=Need.Welfare.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("申し送り"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("ファイル（CSV・Excel）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))


MIN_FILL_SECONDS = 3
FORM_MAX_AGE = 60 * 60 * 6
_STAMP_SALT = "needs.public_request"


def form_stamp() -> str:
    """A signed time the public form was shown: a bot posting at once, or an old copy replayed, is refused."""
    return signing.TimestampSigner(salt=_STAMP_SALT).sign("form")


def stamp_age(stamp: str) -> float | None:
    """Seconds since the form was shown, or None for a missing, forged or expired stamp."""
    try:
        signing.TimestampSigner(salt=_STAMP_SALT).unsign(stamp, max_age=FORM_MAX_AGE)
        return time.time() - signing.b62_decode(stamp.split(":")[-2])
    except (signing.BadSignature, IndexError, ValueError):
        return None


class PublicRequestForm(forms.Form):
    """The resident's short form (no login). `website` is a honeypot: hidden from people, filled by bots."""

    requester_name = forms.CharField(label=_("お名前"), max_length=80,
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}))
    requester_kana = forms.CharField(label=_("フリガナ"), max_length=80, required=False)
    phone = PhoneField(label=_("電話番号"), help_text=_("センターから確認のお電話をします。"))
    postal_code = PostalCodeField(autocomplete="postal-code")
    address = forms.CharField(label=_("住所（作業をする場所）"), max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    work_types = forms.ModelMultipleChoiceField(label=_("お手伝いが必要な作業"), required=False,
                                                queryset=WorkType.objects.filter(specialist_only=False),
                                                to_field_name="code",
                                                widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("困っていること"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("例: 1階が床上浸水。畳と家具を運び出し、泥をかき出してほしい。"))
    household = forms.MultipleChoiceField(label=_("ご家庭の状況（当てはまるもの）"), choices=Household.choices,
                                          required=False, widget=forms.CheckboxSelectMultiple)
    consent = forms.BooleanField(
        label=_("入力した内容を、支援のためにセンターと関係機関で利用することに同意します。"),
        error_messages={"required": _("同意いただけない場合は、お電話でご相談ください。")},
    )
    # The phone's own position, sent only when the resident presses 「現在地を送る」 (needs/geolocate.js): personal
    # data like the address (ops.privacy: exact for staff who see residents' data, about 100 m for others).
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=LAT_RANGE[0], max_value=LAT_RANGE[1],
                           error_messages=_OUTSIDE_JAPAN_HERE)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=LNG_RANGE[0], max_value=LNG_RANGE[1],
                           error_messages=_OUTSIDE_JAPAN_HERE)
    accuracy = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=0,
                                max_value=POSITION_MAX_ERROR_M, error_messages={
                                    "min_value": _("現在地を取得し直してください。"),
                                    "max_value": _("現在地の誤差が大きすぎるため使えません。取り消して、住所だけで送ってください。"),
                                    "invalid": _("現在地を取得し直してください。")})
    website = forms.CharField(required=False, label=_("この欄は空欄のままにしてください"),
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def is_bot(self) -> bool:
        """Honeypot filled, or sent faster than a person can type: dropped without a word."""
        if self.data.get("website"):
            return True
        age = stamp_age(self.data.get("stamp", ""))
        return age is not None and age < MIN_FILL_SECONDS

    def stamp_expired(self) -> bool:
        """No valid stamp (a page left open overnight, or a forged post): ask to send again, save nothing."""
        return stamp_age(self.data.get("stamp", "")) is None

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        if not value:
            raise ValidationError(_("この項目は必須です。"))
        return value

    def clean(self):
        data = super().clean()
        given = [data.get(name) is not None for name in ("lat", "lng", "accuracy")]
        if any(given) and not all(given) and not self.has_error("lat") and not self.has_error("accuracy"):
            self.add_error("lat", _("現在地を取得し直してください。"))
        return data

    max_error = POSITION_MAX_ERROR_M

    def position_errors(self) -> list[str]:
        return [e for name in ("lat", "lng", "accuracy") for e in self.errors.get(name, [])]

    def position(self) -> dict:
        """The need's lat and lng, and a line for staff on where the pin came from; empty without a position."""
        data = self.cleaned_data
        if data.get("lat") is None or data.get("lng") is None or data.get("accuracy") is None:
            return {}
        return {"lat": data["lat"], "lng": data["lng"],
                "notes": gettext("位置: 依頼者の端末の現在地（誤差 約%(m)d m）") % {"m": round(data["accuracy"])}}
