"""What a desk's scan (or a typed number) names: the one reader of every QR the centre prints.

- a volunteer: their personal link (/v/<token>/, the QR on their phone and on the registration mail), or their
  whole phone number typed when the phone has died; only a volunteer checked in at this centre today counts;
- a need: its staff page or card (/c/<centre>/needs/<pk>/, the QR on the printed need card), or N-0012 / 12;
- a team: its leader's slip (/s/<token>/), or T-03 / 3 typed at the tool desk;
- a tool: a numbered item's label (/c/<centre>/tools/i/<code>/) or a kind's label (/c/<centre>/tools/k/<code>/,
  ?n=5 for a bundle of five).

Labels are URLs so that an ordinary phone camera opens something useful (for staff: the need or the tool's
page); the desk never follows them, it only reads them here. Whatever the text, `read` answers a Scan or
raises ScanError with words for the desk; it never says whether a token exists at another centre.
"""
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from ops import normalise
from ops.centres.models import Centre
from ops.volunteers.qr import absolute

MAX_TEXT = 400  # a scan longer than any of our QR codes is not one of them
MAX_BUNDLE = 200  # ?n= on a kind's label


class ScanError(Exception):
    pass


@dataclass(frozen=True)
class Scan:
    kind: str  # "volunteer" | "need" | "team" | "item" | "tool"
    obj: object  # Attendance (today's, here) | Need | Team | EquipmentItem | EquipmentKind
    count: int = 1  # a kind's label with ?n=: how many the bundle holds


# --- labels the centre prints --------------------------------------------------------------------------------

def need_code(need) -> str:
    return absolute(reverse("needs:detail", kwargs={"centre": need.centre.slug, "pk": need.pk}))


def item_code(item) -> str:
    return absolute(reverse("dispatch:tool_item_label", kwargs={"centre": item.kind.centre.slug, "code": item.code}))


def kind_code(kind, count: int = 1) -> str:
    url = absolute(reverse("dispatch:tool_kind_label", kwargs={"centre": kind.centre.slug, "code": kind.code}))
    return f"{url}?n={count}" if count > 1 else url


# --- reading a scan ------------------------------------------------------------------------------------------

_NEED_TYPED = re.compile(r"^(?:N-?)?0*(\d{1,6})$", re.IGNORECASE)
_TEAM_TYPED = re.compile(r"^T-?0*(\d{1,3})$", re.IGNORECASE)


def read(centre: Centre, text: str, *, expect: frozenset[str] | None = None) -> Scan:
    """The thing `text` names at `centre` today. `expect`: the kinds this step of the desk takes (a typed
    "12" is a need's number at the matching desk and a team's at the tool desk: {"team"})."""
    text = normalise._nfkc(text)[:MAX_TEXT + 1]
    if not text:
        raise ScanError(_("コードが読み取れませんでした。"))
    if len(text) > MAX_TEXT:
        raise ScanError(_("このセンターのコードではありません。"))
    scan = _read_url(centre, text) if "/" in text else _read_typed(centre, text, expect)
    if expect is not None and scan.kind not in expect:
        raise ScanError(_("ここでは読み取れないコードです（%(kind)s）。") % {"kind": KIND_WORDS()[scan.kind]})
    return scan


def KIND_WORDS() -> dict[str, str]:  # noqa: N802 (a table, translated when asked)
    return {"volunteer": _("ボランティア"), "need": _("ニーズ"), "team": _("班"), "item": _("資機材"),
            "tool": _("資機材")}


def _read_url(centre, text) -> Scan:
    parts = urlsplit(text)
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise ScanError(_("このセンターのコードではありません。")) from None
    name, kwargs = match.view_name, match.kwargs
    if "centre" in kwargs and kwargs["centre"] != centre.slug:
        raise ScanError(_("別のセンターのコードです。"))
    if name == "volunteers:personal":
        return Scan("volunteer", _attendance_of_token(centre, kwargs["token"]))
    if name in ("needs:detail", "needs:card"):
        return Scan("need", _need(centre, pk=kwargs["pk"]))
    if name in ("dispatch:slip", "dispatch:slip_print"):
        return Scan("team", _team_of_slip(centre, kwargs["token"]))
    if name == "dispatch:tool_item_label":
        return Scan("item", _item(centre, kwargs["code"]))
    if name == "dispatch:tool_kind_label":
        count = parse_qs(parts.query).get("n", ["1"])[0]
        try:
            count = int(count)
        except ValueError:
            count = 0
        if not 1 <= count <= MAX_BUNDLE:
            raise ScanError(_("ラベルの数量が読み取れません。"))
        return Scan("tool", _kind(centre, kwargs["code"]), count)
    raise ScanError(_("このセンターのコードではありません。"))


def _read_typed(centre, text, expect) -> Scan:
    compact = text.replace(" ", "")
    team = _TEAM_TYPED.match(compact)
    if team or (expect == frozenset({"team"}) and compact.isdigit() and len(compact) <= 3):
        return Scan("team", _team_number(centre, int((team or re.match(r"0*(\d+)", compact)).group(1))))
    if normalise.looks_like_phone(compact) and len(normalise.phone_key(compact)) >= 10:
        return Scan("volunteer", _attendance_of_phone(centre, normalise.phone_key(compact)))
    need = _NEED_TYPED.match(compact)
    if need:
        return Scan("need", _need(centre, number=int(need.group(1))))
    raise ScanError(_("番号が読み取れません。ニーズは N-0012、班は T-03、ボランティアは電話番号で入力してください。"))


def _today_attendance(centre, volunteers):
    from ops.volunteers.models import Attendance

    rows = list(Attendance.objects.filter(centre=centre, date=centre.today(), volunteer__in=volunteers)
                .select_related("volunteer", "volunteer__group")[:2])
    if not rows:
        raise ScanError(_("この方は今日このセンターで受付していません。先に受付をしてください。"))
    if len(rows) > 1:  # one phone, two people (a family): the personal QR tells them apart
        raise ScanError(_("この電話番号の方が複数います。個人のQRコードを読み取ってください。"))
    return rows[0]


def _attendance_of_token(centre, token):
    from ops.volunteers.models import Volunteer

    return _today_attendance(centre, Volunteer.objects.filter(token=token, personal_data_erased_at__isnull=True))


def _attendance_of_phone(centre, phone):
    from ops.volunteers.models import Volunteer

    return _today_attendance(centre, Volunteer.objects.filter(phone_normalised=phone,
                                                              personal_data_erased_at__isnull=True))


def _need(centre, **lookup):
    from ops.needs.models import Need

    need = Need.objects.filter(centre=centre, **lookup).first()
    if need is None:
        raise ScanError(_("このセンターのニーズが見つかりません。"))
    return need


def _team_of_slip(centre, token):
    from ops.dispatch.models import Dispatch

    record = Dispatch.objects.filter(centre=centre, slip_token=token).select_related("team").first()
    if record is None or record.team.date != centre.today():
        raise ScanError(_("今日の班の控えではありません。"))
    return record.team


def _team_number(centre, number):
    from ops.dispatch.models import Team

    team = Team.objects.filter(centre=centre, date=centre.today(), number=number).first()
    if team is None:
        raise ScanError(_("今日の班 T-%(n)02d は見つかりません。") % {"n": number})
    return team


def _item(centre, code):
    from ops.dispatch.models import EquipmentItem

    item = EquipmentItem.objects.filter(kind__centre=centre, code=code).select_related("kind").first()
    if item is None:
        raise ScanError(_("このセンターの資機材ではありません。"))
    return item


def _kind(centre, code):
    from ops.dispatch.models import EquipmentKind

    kind = EquipmentKind.objects.filter(centre=centre, code=code).first()
    if kind is None:
        raise ScanError(_("このセンターの資機材ではありません。"))
    return kind
