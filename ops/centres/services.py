"""What staff change about the centre as a whole: recruitment (募集状況), notices and what to bring, opening
status (the recruitment page), and the settings page's profile, hours, volunteer terms and alert addresses.
Each change is validated, saved, audited (one entry naming every changed field) and announced on both boards
(`centre.changed`) in one transaction, so the public board at the entrance changes the moment staff press save;
a refused change writes nothing."""
import math
from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ops import audit, normalise
from ops.centres import public
from ops.centres.models import Centre, Suspension
from ops.events import emit

MAX_CAPACITY = 100_000
MAX_LINES = 50


class CentreSettingError(Exception):
    """A rejected change; `message` is shown to the user as is, next to `field` when it names one."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def centre_state(centre: Centre) -> dict:
    """What every board may know of the centre: public information only (it is the public event's data)."""
    return {
        "name": centre.name,
        "activity_start": centre.activity_start.strftime("%H:%M"),
        "activity_end": centre.activity_end.strftime("%H:%M"),
        "status": centre.status,
        "recruitment_status": centre.recruitment_status,
        "recruitment_scope": centre.recruitment_scope,
        "daily_capacity": centre.daily_capacity,
        "what_to_bring": centre.what_to_bring,
        "notices": notices_of(centre),
        "suspensions": suspensions_of(centre),
        "info": public.public_info(centre),
        "changed": public.changed_times(centre),
        "updated_at": public.last_changed(centre),
        "drill": centre.is_drill,  # 訓練 (ops.drills): every board of a drill centre says it is practice
    }


def suspensions_of(centre: Centre) -> list[dict]:
    """活動中止 of today and the coming days, as anyone may know them (Suspension.public_state)."""
    return [s.public_state() for s in Suspension.objects.active().filter(centre=centre, date__gte=centre.today())]


def notices_of(centre: Centre) -> list[str]:
    """The notice field holds one notice per line."""
    return [line.strip() for line in centre.notice.splitlines() if line.strip()]


def set_recruitment(centre: Centre, *, status: str, scope: str, capacity: int, by=None) -> Centre:
    """Set who may come from tomorrow on (募集中 / 事前登録のみ / 募集なし), from how far, and how many a day."""
    if status not in Centre.Recruitment.values:
        raise CentreSettingError(_("募集状況の値が正しくありません。"))
    if scope not in Centre.Scope.values:
        raise CentreSettingError(_("募集範囲の値が正しくありません。"))
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        raise CentreSettingError(_("受入上限は数字で入力してください。")) from None
    if not 0 <= capacity <= MAX_CAPACITY:
        raise CentreSettingError(_("受入上限は0から100000の間で入力してください。"))
    return _update(centre, by=by, action="centre.recruitment",
                   recruitment_status=status, recruitment_scope=scope, daily_capacity=capacity)


def set_notices(centre: Centre, *, notice: str, what_to_bring: str, by=None) -> Centre:
    """お知らせ (one per line) and 持ち物, as shown on the public board and the public JSON."""
    notice, what_to_bring = (notice or "").strip(), (what_to_bring or "").strip()
    if len(notice) > 2000 or len(what_to_bring) > 1000:
        raise CentreSettingError(_("お知らせは2000文字、持ち物は1000文字までです。"))
    return _update(centre, by=by, action="centre.notices", notice=notice, what_to_bring=what_to_bring)


def set_status(centre: Centre, *, status: str, by=None) -> Centre:
    """開設中 / 準備中 / 終了, as announced on the public board."""
    if status not in Centre.Status.values:
        raise CentreSettingError(_("開設状況の値が正しくありません。"))
    return _update(centre, by=by, action="centre.status", status=status)


def set_public_info(centre: Centre, *, work_today: str, tomorrow_meeting_time: time | None,
                    tomorrow_meeting_place: str, tomorrow_plan: str, status_message: str, by=None) -> Centre:
    """本日の活動内容, 明日の予定 (meeting time and place, what is planned) and the short status message, as the
    public board, the public JSON and the council's widget show them."""
    work_today, tomorrow_plan = (work_today or "").strip(), (tomorrow_plan or "").strip()
    place, message = " ".join((tomorrow_meeting_place or "").split()), " ".join((status_message or "").split())
    if len(work_today) > 500:
        raise CentreSettingError(_("本日の活動内容は500文字までです。"), "work_today")
    if len(tomorrow_plan) > 500:
        raise CentreSettingError(_("明日の予定は500文字までです。"), "tomorrow_plan")
    if len(place) > 200:
        raise CentreSettingError(_("集合場所は200文字までです。"), "tomorrow_meeting_place")
    if len(message) > 200:
        raise CentreSettingError(_("状況メッセージは200文字までです。"), "status_message")
    if tomorrow_meeting_time is not None and not isinstance(tomorrow_meeting_time, time):
        raise CentreSettingError(_("時刻は 8:30 のように入力してください。"), "tomorrow_meeting_time")
    return _update(centre, by=by, action="centre.public_info", work_today=work_today,
                   tomorrow_meeting_time=tomorrow_meeting_time, tomorrow_meeting_place=place,
                   tomorrow_plan=tomorrow_plan, status_message=message)


def set_profile(centre: Centre, *, name: str, address: str, phone: str, lat, lng, by=None) -> Centre:
    """センター名, 所在地, 電話番号 and the map position (the pin; typed as latitude and longitude without tiles)."""
    name, address, phone = (name or "").strip(), (address or "").strip(), (phone or "").strip()
    if not name or len(name) > 120:
        raise CentreSettingError(_("センター名を120文字以内で入力してください。"), "name")
    if len(address) > 200:
        raise CentreSettingError(_("所在地は200文字までです。"), "address")
    phone = public_phone(phone)
    lat, lng = coordinate(lat, 90, "lat"), coordinate(lng, 180, "lng")
    return _update(centre, by=by, action="centre.profile", name=name, address=address, phone=phone,
                   lat=lat, lng=lng)


def public_phone(phone: str) -> str:
    """A centre's or a council's public phone, as typed (blank allowed), or CentreSettingError on `phone`."""
    if len(phone) > 20:
        raise CentreSettingError(_("電話番号は20文字までです。"), "phone")
    if phone:
        try:
            normalise.validate_phone(phone)
        except ValidationError as exc:
            raise CentreSettingError(exc.messages[0], "phone") from None
    return phone


def is_web_url(value: str, max_length: int = 200) -> bool:
    """An http(s) URL of at most `max_length` characters (a link shown on a public page)."""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return len(value) <= max_length


def coordinate(value, limit: int, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise CentreSettingError(_("緯度は-90〜90、経度は-180〜180の数値で入力してください（地図でピンを置くと入ります）。"),
                                 field)
    return round(number, 6)


def set_hours(centre: Centre, *, activity_start: time, activity_end: time, latest_return_time: time,
              report_time: time, by=None) -> Centre:
    """受付開始, 活動終了, 帰着期限 (every team back by then) and the 日報's time, on the centre's clock."""
    if not all(isinstance(t, time) for t in (activity_start, activity_end, latest_return_time, report_time)):
        raise CentreSettingError(_("時刻は 8:30 のように入力してください。"))
    if not activity_start < activity_end:
        raise CentreSettingError(_("活動終了は受付開始より後にしてください。"), "activity_end")
    if not activity_start < latest_return_time <= activity_end:
        raise CentreSettingError(_("帰着期限は受付開始より後、活動終了までにしてください。"), "latest_return_time")
    if report_time < activity_end:
        raise CentreSettingError(_("日報の送信時刻は活動終了以降にしてください。"), "report_time")
    return _update(centre, by=by, action="centre.hours", activity_start=activity_start, activity_end=activity_end,
                   latest_return_time=latest_return_time, report_time=report_time)


def set_volunteer_terms(centre: Centre, *, insurance_signup_url: str, neighbour_cities: str, by=None) -> Centre:
    """The insurance sign-up link shown to volunteers without insurance, and the municipalities that count as
    近隣 when the recruitment scope is 近隣 (one per line; Centre.within_scope reads them)."""
    url = (insurance_signup_url or "").strip()
    if url and not is_web_url(url, max_length=len(url)):
        raise CentreSettingError(_("保険加入案内URLは http:// または https:// で始まるURLを入力してください。"),
                                 "insurance_signup_url")
    if len(url) > 200:
        raise CentreSettingError(_("URLは200文字までです。"), "insurance_signup_url")
    cities = _lines(neighbour_cities)
    if len(cities) > MAX_LINES or any(len(c) > 40 for c in cities):
        raise CentreSettingError(_("近隣の市町村は1行に1つ、40文字以内で50件までです。"), "neighbour_cities")
    return _update(centre, by=by, action="centre.terms", insurance_signup_url=url,
                   neighbour_cities="\n".join(cities))


def set_alert_addresses(centre: Centre, *, crisis_alert_emails: str, by=None) -> Centre:
    """Addresses that receive the 危機介入 alert besides the centre's administrators and welfare staff."""
    emails = [e.lower() for e in _lines(crisis_alert_emails)]
    if len(emails) > 20:
        raise CentreSettingError(_("追加の通知先は20件までです。"), "crisis_alert_emails")
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            raise CentreSettingError(_("メールアドレスの形式が正しくありません: %(email)s") % {"email": email[:80]},
                                     "crisis_alert_emails") from None
    return _update(centre, by=by, action="centre.alerts", crisis_alert_emails="\n".join(emails))


def _lines(text: str) -> list[str]:
    """Non-empty lines, trimmed, each once, in the order typed."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def _update(centre: Centre, *, by, action: str, **values) -> Centre:
    with transaction.atomic():
        locked = Centre.objects.select_for_update().get(pk=centre.pk)
        changed = sorted(k for k, v in values.items() if getattr(locked, k) != v)
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, values[field])
        stamped = public.stamp(locked, public.groups_of(changed))
        locked.save(update_fields=changed + (["public_changed"] if stamped else []))
        audit.record(centre=locked, action=action, obj=locked, by=by, fields=changed)
        state = centre_state(locked)
        emit(locked, "centre.changed", {"centre": state}, public={"centre": state})
    for field in changed:
        setattr(centre, field, values[field])
    centre.public_changed = locked.public_changed
    return locked
