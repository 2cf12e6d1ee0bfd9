"""Registering volunteers and groups (ボランティア登録・団体登録). A person is registered once: a returning
volunteer is recognised by phone and name or kana (or by e-mail and name or kana) and keeps the same record
and history.

Recognising someone is not proof that it is them: anyone can type a name and a phone number. So only the
volunteer themself (a phone holding their link) or reception (a staff account, the person at the desk) may
bring a recognised volunteer's details up to date; an anonymous form that matches a registered person changes
nothing and raises AlreadyRegistered, and their link goes to the address they registered
(ops.volunteers.services.links)."""
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit, normalise
from ops.centres.models import Centre
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.volunteers.models import Group, Volunteer
from ops.volunteers.qr import absolute
from ops.volunteers.rules import VolunteerError, check_age, check_insurance, check_open, check_scope


class AlreadyRegistered(VolunteerError):
    """An anonymous registration matched a registered volunteer: nothing was saved (a group's registration
    rolled back with it). `volunteer` is who it matched, for the caller to mail their link to them; never show
    the caller anything of theirs."""

    def __init__(self, volunteer: Volunteer):
        super().__init__(_("すでに登録があります。"), code="already_registered")
        self.volunteer = volunteer

# Details a returning volunteer may bring up to date by registering again (never name, kana or phone:
# those are what recognised them).
UPDATABLE = ("email", "age_band", "guardian_consent", "guardian_name", "prefecture", "city", "emergency_name",
             "emergency_phone", "insurance", "skills", "wants_calls", "available_weekdays")


def find_returning(*, name: str, kana: str, phone: str = "", email: str = "") -> Volunteer | None:
    """The registered volunteer these details belong to, if any.

    Phone or e-mail alone is not enough: families share both, so the name or the kana must match too.
    """
    phone_k, kana_k, name_k = normalise.phone_key(phone), normalise.kana_key(kana), normalise.name_key(name)
    match = Q()
    if phone_k:
        match |= Q(phone_normalised=phone_k)
    if email:
        match |= Q(email__iexact=email.strip())
    if not match:
        return None
    for candidate in Volunteer.objects.filter(match, personal_data_erased_at__isnull=True).order_by("pk"):
        if (kana_k and candidate.kana_key == kana_k) or normalise.name_key(candidate.name) == name_k:
            return candidate
    return None


def register_volunteer(*, name: str, kana: str, age_band: str, prefecture: str, city: str, phone: str = "",
                       email: str = "", guardian_consent: bool = False, guardian_name: str = "",
                       emergency_name: str = "", emergency_phone: str = "",
                       insurance: str = Volunteer.Insurance.NONE, skills=(), group: Group | None = None,
                       centre: Centre | None = None, by=None, as_volunteer: Volunteer | None = None,
                       wants_calls: bool = True, available_weekdays=(), disaster=None) -> Volunteer:
    """Register a volunteer, or recognise a returning one and bring their details up to date.

    Only reception (`by`, a staff user) or the volunteer themself (`as_volunteer`: the volunteer whose link
    this phone holds) may update a recognised volunteer; anyone else raises AlreadyRegistered, nothing saved.
    With `centre`, its rules (minimum age, guardian consent, insurance) are enforced first, and (unless
    reception registers them) its recruitment scope. With `disaster` instead (the prefecture's one registration
    point, ops.prefecture), no centre's rules yet: each centre's are asked when they apply there. Returns the
    volunteer with `.created` telling whether the record is new.
    """
    name, kana = name.strip(), kana.strip()
    if not name or not kana:
        raise VolunteerError(_("氏名とフリガナを入力してください。"), code="name")
    if centre is not None:
        check_open(centre)
        check_age(centre, age_band=age_band, guardian_consent=guardian_consent)
        check_insurance(centre, insurance=insurance)
    details = {
        "email": email.strip(), "age_band": age_band, "guardian_consent": guardian_consent,
        "guardian_name": guardian_name.strip(), "prefecture": prefecture, "city": city.strip(),
        "emergency_name": emergency_name.strip(), "emergency_phone": emergency_phone.strip(),
        "insurance": insurance, "skills": sorted(set(skills)),
        "wants_calls": bool(wants_calls), "available_weekdays": sorted({int(d) for d in available_weekdays if 0 <= int(d) <= 6}),
    }
    with transaction.atomic():
        volunteer = find_returning(name=name, kana=kana, phone=phone, email=email)
        _may_update(volunteer, by=by, as_volunteer=as_volunteer, again=(name, kana, phone, details))
        if centre is not None and not getattr(by, "is_authenticated", False):
            check_scope(centre, prefecture=prefecture, city=city)  # reception may accept a walk-in from afar
        created = volunteer is None
        with audit.operation("volunteer.register" if created else "volunteer.update", by=by, centre=centre):
            volunteer, created = _save_volunteer(volunteer, name=name, kana=kana, phone=phone, email=email,
                                                 group=group, centre=centre, details=details, disaster=disaster)
            if not created:  # another request inserted them meanwhile (rolled back if it may not update them)
                _may_update(volunteer, by=by, as_volunteer=as_volunteer, again=(name, kana, phone, details))
    volunteer.created = created
    return volunteer


def _may_update(volunteer: Volunteer | None, *, by, as_volunteer: Volunteer | None, again) -> None:
    """A recognised volunteer's record is theirs: reception or the volunteer may update it, nobody else
    (AlreadyRegistered). One exception, which changes nothing: a double tap, the very same form again within
    DOUBLE_TAP of the registration, is the same registration (or the phone would get the refusal page in
    place of the personal page it just registered for)."""
    if volunteer is None or getattr(by, "is_authenticated", False):
        return
    if as_volunteer is not None and as_volunteer.pk == volunteer.pk:
        return
    if _double_tap(volunteer, *again):
        return
    raise AlreadyRegistered(volunteer)


DOUBLE_TAP = timedelta(seconds=60)


def _double_tap(volunteer: Volunteer, name: str, kana: str, phone: str, details: dict) -> bool:
    """The same form sent twice: registered within DOUBLE_TAP, and every detail typed equals the one stored."""
    if volunteer.created_at is None or volunteer.created_at < timezone.now() - DOUBLE_TAP:
        return False
    return (volunteer.name == name and volunteer.kana == kana and volunteer.phone == phone.strip()
            and all(getattr(volunteer, field) == value for field, value in details.items()))


def _save_volunteer(volunteer, *, name, kana, phone, email, group, centre, details,
                    disaster=None) -> tuple[Volunteer, bool]:
    """Insert the new volunteer, or bring a returning one's details up to date; (volunteer, created)."""
    created = volunteer is None
    if created:
        volunteer = Volunteer(name=name, kana=kana, phone=phone.strip(), group=group, registered_centre=centre,
                              registered_disaster=disaster if centre is None else None, **details)
        try:
            with transaction.atomic():  # a double tap: the other request inserted the same person
                volunteer.save()
        except IntegrityError:
            volunteer = find_returning(name=name, kana=kana, phone=phone, email=email)
            if volunteer is None:
                raise
            created = False
    if not created:
        changed = [f for f in UPDATABLE if details[f] not in ("", None, []) and getattr(volunteer, f) != details[f]]
        if group is not None and volunteer.group_id != group.pk:
            volunteer.group = group
            changed.append("group")
        for field in changed:
            if field != "group":
                setattr(volunteer, field, details[field])
        if changed:
            volunteer.save(update_fields=changed)
    return volunteer, created


def mail_personal_link(volunteer: Volunteer, centre: Centre | None, *, disaster=None) -> OutboundMail | None:
    """Mail a newly registered volunteer their personal link (in the language they registered in). Queued:
    the worker sends it, so registration never waits on the mail server, and stands if the mail fails. Without
    a centre, they registered at the disaster's one registration point (ops.prefecture): its name is said."""
    if not volunteer.email:
        return None
    link = absolute(reverse("volunteers:personal", kwargs={"token": volunteer.token}))
    where = centre.name if centre is not None else disaster.name
    body = _("%(name)s 様\n\n%(centre)sへのボランティア登録ありがとうございます。\n"
             "受付のときは、このリンクを開いてからセンターのQRコードを読み取ってください。\n\n%(link)s\n") % {
        "name": volunteer.name, "centre": where, "link": link}
    return queue_mail(kind=OutboundMail.Kind.VOLUNTEER_LINK, centre=centre, about=volunteer, to=[volunteer.email],
                      subject=_("【%(centre)s】ボランティア登録のご案内") % {"centre": where}, body=body)


def register_group(*, centre: Centre, name: str, leader_name: str, leader_kana: str, phone: str,
                   member_count: int, age_band: str, prefecture: str, city: str, email: str = "",
                   insurance: str = Volunteer.Insurance.ENROLLED, on=None, by=None,
                   as_volunteer: Volunteer | None = None, wants_calls: bool = True, available_weekdays=()) -> Group:
    """A group leader registers the group (団体) with its head count and contact. The leader becomes a
    volunteer of the group and checks the group in as one attendance; `on` books a day for all of them.
    A leader already registered is recognised as register_volunteer does (AlreadyRegistered, the group not
    saved, unless it is reception or the leader's own phone)."""
    from ops.volunteers.services.booking import book

    if member_count < 1:
        raise VolunteerError(_("人数を入力してください。"), code="head_count")
    with transaction.atomic(), audit.operation("group.register", by=by, centre=centre):
        group = Group.objects.create(centre=centre, name=name.strip(), leader_name=leader_name.strip(),
                                     phone=phone.strip(), email=email.strip(), member_count=member_count,
                                     prefecture=prefecture, city=city.strip())
        leader = register_volunteer(name=leader_name, kana=leader_kana, phone=phone, email=email,
                                    age_band=age_band, prefecture=prefecture, city=city, insurance=insurance,
                                    group=group, centre=centre, by=by, as_volunteer=as_volunteer,
                                    wants_calls=wants_calls, available_weekdays=available_weekdays)
        group.leader = leader
        group.save(update_fields=["leader"])
        if on is not None:
            book(leader, centre, on=on, head_count=member_count, by=by)
    return group

