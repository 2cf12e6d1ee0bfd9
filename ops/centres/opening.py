"""Opening a centre (センター開設): the disaster it serves (a new one, or one already open elsewhere) and the
centre itself with its headquarters (本部) at the centre's pin. The first-run setup and the administrators'
"open another centre" page both fill `OpeningForm` and call `open_centre`: one home for what a new centre needs.
"""
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ops import audit, days
from ops.centres.models import Base, Centre, Council, Disaster, Membership, Role
from ops.centres.prefectures import PREFECTURES
from ops.needs.services.fields import LAT_RANGE, LNG_RANGE

_OUTSIDE_JAPAN = {
    "min_value": _("地図で日本国内の位置を指定してください。"),
    "max_value": _("地図で日本国内の位置を指定してください。"),
    "invalid": _("地図で位置を指定し直してください。"),
    "required": _("地図をタップしてセンターの位置を指定してください。"),
}
PREFECTURE_CHOICES = [("", "---------"), *PREFECTURES]


def _position(label, limits):
    return forms.FloatField(label=label, min_value=limits[0], max_value=limits[1], error_messages=_OUTSIDE_JAPAN,
                            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))


class OpeningForm(forms.Form):
    """What a new centre needs on its first morning; everything else is on the centre's settings page."""

    disaster = forms.ModelChoiceField(label=_("災害"), queryset=Disaster.objects.real().order_by("-started_on", "-pk"),
                                      required=False, empty_label=_("新しい災害を登録する"),
                                      help_text=_("同じ災害で既にセンターを開設している場合は選んでください。"))
    disaster_name = forms.CharField(label=_("災害名"), max_length=120, required=False,
                                    help_text=_("例: 令和8年7月豪雨"))
    disaster_prefecture = forms.ChoiceField(label=_("被災都道府県"), choices=PREFECTURE_CHOICES, required=False)
    started_on = forms.DateField(label=_("発生日"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("センター名"), max_length=120, help_text=_("例: 長野市災害ボランティアセンター"))
    slug = forms.SlugField(label=_("識別子（URL）"), max_length=50,
                           help_text=_("半角英小文字・数字・ハイフン。URLに使われ、後から変えられません。例: nagano-city"))
    prefecture = forms.ChoiceField(label=_("都道府県"), choices=PREFECTURE_CHOICES)
    municipality = forms.CharField(label=_("市町村"), max_length=60)
    address = forms.CharField(label=_("所在地"), max_length=200, required=False)
    phone = forms.CharField(label=_("センター電話番号"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    lat = _position(_("緯度"), LAT_RANGE)
    lng = _position(_("経度"), LNG_RANGE)
    council = forms.ModelChoiceField(label=_("社会福祉協議会"), queryset=Council.objects.order_by("prefecture", "name"),
                                     required=False, empty_label=_("（選ばない）"),
                                     help_text=_("選ぶと、その社会福祉協議会のページに開設中のセンターとして載ります。"))

    def __init__(self, *args, new_disaster_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not Council.objects.exists():  # the first run, or an installation that keeps no council
            del self.fields["council"]
        if new_disaster_only or not Disaster.objects.real().exists():
            del self.fields["disaster"]
            for name in ("disaster_name", "disaster_prefecture", "started_on"):
                self.fields[name].required = True

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if Centre.objects.filter(slug=slug).exists():
            raise ValidationError(_("この識別子は別のセンターが使っています。"))
        return slug

    def clean_started_on(self):
        day = self.cleaned_data.get("started_on")
        if day is not None and not days.in_range(day):
            raise ValidationError(_("発生日を確認してください。"))
        return day

    def clean(self):
        data = super().clean()
        if "disaster" in self.fields and data.get("disaster") is None:
            for name in ("disaster_name", "disaster_prefecture", "started_on"):
                if not data.get(name) and not self.has_error(name):
                    self.add_error(name, _("新しい災害の場合は入力してください。"))
        return data

    def map_view(self) -> dict:
        """Where the pin map starts: the pin typed or placed so far, else the installation's default centre."""
        lat, lng = (self.data.get(self.add_prefix(name)) for name in ("lat", "lng"))
        try:
            lat, lng = float(lat), float(lng)
            if LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]:
                return {"map_lat": lat, "map_lng": lng, "map_zoom": 15}
        except (TypeError, ValueError):
            pass
        lat, lng = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
        return {"map_lat": lat, "map_lng": lng, "map_zoom": 9}

    def opening(self) -> dict:
        """The cleaned fields as `open_centre` takes them."""
        data = self.cleaned_data
        disaster = data.get("disaster") or {
            "name": data["disaster_name"], "prefecture": data["disaster_prefecture"], "started_on": data["started_on"]}
        centre = {name: data[name] for name in ("name", "slug", "prefecture", "municipality", "address", "phone",
                                                "lat", "lng")}
        if data.get("council") is not None:
            centre["council"] = data["council"]
        return {"disaster": disaster, "centre": centre}


def make_headquarters(centre: Centre) -> Base:
    """The 本部 an opening gives a centre, at its pin (a drill's reset gives it again: ops.drills.reset)."""
    return Base.objects.create(centre=centre, name="本部", kind=Base.Kind.HQ, lat=centre.lat, lng=centre.lng,
                               address=centre.address)


def open_centre(*, disaster: Disaster | dict, centre: dict, by) -> Centre:
    """Open a centre (準備中, with its 本部 at the pin) for `disaster` (an existing one, or the fields of a new
    one), and make `by` its administrator. Call it inside the caller's transaction when more goes with it.
    Raises ValidationError (on `slug`) when the slug was taken since the form was checked."""
    with transaction.atomic():
        if isinstance(disaster, dict):
            disaster = Disaster.objects.create(**disaster)
        try:
            with transaction.atomic():
                opened = Centre.objects.create(disaster=disaster, status=Centre.Status.PREPARING, **centre)
        except IntegrityError:  # the same slug taken a moment ago by another opening
            raise ValidationError({"slug": _("この識別子は別のセンターが使っています。")}) from None
        with audit.operation("centre.opened", by=by, centre=opened):
            make_headquarters(opened)
            membership = Membership.objects.create(user=by, centre=opened, role=Role.ADMIN)
            audit.changed(opened, created=True, fields=sorted(centre))
            audit.changed(membership, created=True, fields=["user", "role"], centre=opened)
    return opened
