"""The centre's rules for who may volunteer (minimum age, guardian consent, insurance), in one place:
registration, booking and check-in all ask here."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops.centres.models import Centre, Suspension
from ops.centres.prefectures import prefecture_label
from ops.volunteers.models import Volunteer

# The youngest age in each band: a band passes a minimum age only if everyone in it does.
AGE_BAND_FROM = {
    Volunteer.AgeBand.UNDER_15: 0,
    Volunteer.AgeBand.AGE_15: 15,
    Volunteer.AgeBand.AGE_16_17: 16,
    Volunteer.AgeBand.AGE_18_19: 18,
    Volunteer.AgeBand.TWENTIES: 20,
    Volunteer.AgeBand.THIRTIES: 30,
    Volunteer.AgeBand.FORTIES: 40,
    Volunteer.AgeBand.FIFTIES: 50,
    Volunteer.AgeBand.SIXTIES: 60,
    Volunteer.AgeBand.SEVENTY_PLUS: 70,
}


class VolunteerError(Exception):
    """A refusal the volunteer or the receptionist reads: `message` is translated, `code` says which rule,
    `link` is where to fix it (the insurance sign-up page)."""

    def __init__(self, message: str, *, code: str, link: str = ""):
        super().__init__(message)
        self.message, self.code, self.link = message, code, link

    def __str__(self):
        return str(self.message)


def needs_guardian_consent(centre: Centre, age_band: str) -> bool:
    return AGE_BAND_FROM.get(age_band, 0) < centre.guardian_consent_under


def check_age(centre: Centre, *, age_band: str, guardian_consent: bool) -> None:
    if AGE_BAND_FROM.get(age_band, 0) < centre.min_age:
        raise VolunteerError(
            _("このセンターでは%(age)d歳以上の方に活動をお願いしています。") % {"age": centre.min_age},
            code="too_young")
    if needs_guardian_consent(centre, age_band) and not guardian_consent:
        raise VolunteerError(
            _("%(age)d歳未満の方は保護者の同意が必要です。") % {"age": centre.guardian_consent_under},
            code="guardian_consent")


def insurance_missing_error(centre: Centre) -> VolunteerError:
    if centre.insurance_signup_url:
        message = _("ボランティア活動保険への加入が必要です。下のリンクからその場で加入手続きができます。")
    else:
        message = _("ボランティア活動保険への加入が必要です。受付でご相談ください。")
    return VolunteerError(message, code="insurance", link=centre.insurance_signup_url)


def check_insurance(centre: Centre, *, insurance: str, confirmed: bool = True) -> None:
    if centre.insurance_required and (insurance == Volunteer.Insurance.NONE or not confirmed):
        raise insurance_missing_error(centre)


def check_open(centre: Centre) -> None:
    if centre.status == Centre.Status.CLOSED:
        raise closed_error()


def check_not_suspended(centre: Centre, moment) -> None:
    """No check-in while the centre's activity is suspended (活動中止, ops.centres.suspension)."""
    suspension = Suspension.objects.in_force(centre, moment)
    if suspension is not None:
        raise VolunteerError(
            _("本日は%(when)s活動中止です（%(reason)s）。受付はできません。ご安全にお帰りください。") % {
                "when": suspension.when_label(), "reason": suspension.get_reason_display()},
            code="suspended")


def closed_error() -> VolunteerError:
    return VolunteerError(_("このセンターは閉所しました。ご協力ありがとうございました。"), code="closed")


def scope_refusal(centre: Centre, *, prefecture: str, city: str) -> VolunteerError | None:
    """The refusal for someone living outside the recruitment scope (募集範囲, Centre.within_scope), or None.
    Registration and booking on the volunteer's own phone (and the API) raise it; reception may accept a
    walk-in anyway and is shown it as a note."""
    if centre.within_scope(prefecture=prefecture, city=city):
        return None
    return VolunteerError(
        _("現在、%(where)sにお住まいの方を募集しています。募集範囲が広がるまでお待ちください。") % {
            "where": scope_where(centre)}, code="out_of_scope")


def scope_where(centre: Centre) -> str:
    """Where the centre recruits from, in words (市内, 近隣 with its towns, 県内); also the prefecture's pages."""
    if centre.recruitment_scope == Centre.Scope.CITY:
        return _("%(city)s内") % {"city": centre.municipality}
    if centre.recruitment_scope == Centre.Scope.NEIGHBOURS:
        return _("%(city)sと近隣（%(cities)s）") % {
            "city": centre.municipality, "cities": "、".join(centre.neighbours()[1:]) or "-"}
    return _("%(prefecture)s内") % {"prefecture": prefecture_label(centre.prefecture)}


def outside_scope_note(centre: Centre, volunteer: Volunteer) -> str:
    """Reception's note on a volunteer living outside the scope (the desk may accept them: a relative staying
    in town, a specialist asked for by name; the volunteer's own phone is refused instead)."""
    return _("募集範囲（%(scope)s）の外にお住まいの方です（%(home)s）。受付の判断で受け入れる場合は、理由を確認してください。") % {
        "scope": centre.get_recruitment_scope_display(),
        "home": f"{prefecture_label(volunteer.prefecture)} {volunteer.city}".strip()}


def check_scope(centre: Centre, *, prefecture: str, city: str) -> None:
    refusal = scope_refusal(centre, prefecture=prefecture, city=city)
    if refusal is not None:
        raise refusal


def check_volunteer(centre: Centre, volunteer: Volunteer, *, insurance: str | None = None,
                    insurance_confirmed: bool = True) -> None:
    """Every rule a registered volunteer must meet to take part at this centre."""
    check_open(centre)
    check_age(centre, age_band=volunteer.age_band, guardian_consent=volunteer.guardian_consent)
    check_insurance(centre, insurance=insurance or volunteer.insurance, confirmed=insurance_confirmed)


# The morning health check (体調確認). Every answer must be "yes"; other keys (e.g. tetanus shot) are notes.
HEALTH_ITEMS = [
    ("no_fever", gettext_lazy("37.5℃以上の発熱はありません")),
    ("feeling_well", gettext_lazy("せき・だるさ・頭痛など体調の異常はありません")),
    ("rested", gettext_lazy("睡眠と食事を十分にとりました")),
]


def check_health(health: dict) -> None:
    if not health or any(value is False for value in health.values()):
        raise VolunteerError(
            _("体調がすぐれない方は、今日の活動はお控えください。無理をせず、受付スタッフに声をかけてください。"),
            code="health")
