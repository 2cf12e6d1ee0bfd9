"""Registering volunteers and groups (ボランティア登録・団体登録). A person is registered once: a returning
volunteer is recognised by phone and name or kana (or by e-mail and name or kana) and gets the same record,
their personal link and history."""
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ops import audit, normalise
from ops.centres.models import Centre
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.volunteers.models import Group, Volunteer
from ops.volunteers.qr import absolute
from ops.volunteers.rules import VolunteerError, check_age, check_insurance, check_open

# Details a returning volunteer may bring up to date by registering again (never name, kana or phone:
# those are what recognised them).
UPDATABLE = ("email", "age_band", "guardian_consent", "guardian_name", "prefecture", "city", "emergency_name",
             "emergency_phone", "insurance", "skills")


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
                       centre: Centre | None = None, by=None) -> Volunteer:
    """Register a volunteer, or recognise a returning one and bring their details up to date.

    With `centre`, its rules (minimum age, guardian consent, insurance) are enforced first. Returns the
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
    }
    with transaction.atomic():
        volunteer = find_returning(name=name, kana=kana, phone=phone, email=email)
        created = volunteer is None
        with audit.operation("volunteer.register" if created else "volunteer.update", by=by, centre=centre):
            volunteer, created = _save_volunteer(volunteer, name=name, kana=kana, phone=phone, email=email,
                                                 group=group, centre=centre, details=details)
    volunteer.created = created
    return volunteer


def _save_volunteer(volunteer, *, name, kana, phone, email, group, centre, details) -> tuple[Volunteer, bool]:
    """Insert the new volunteer, or bring a returning one's details up to date; (volunteer, created)."""
    created = volunteer is None
    if created:
        volunteer = Volunteer(name=name, kana=kana, phone=phone.strip(), group=group, registered_centre=centre,
                              **details)
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


def mail_personal_link(volunteer: Volunteer, centre: Centre) -> OutboundMail | None:
    """Mail a newly registered volunteer their personal link (in the language they registered in). Queued:
    the worker sends it, so registration never waits on the mail server, and stands if the mail fails."""
    if not volunteer.email:
        return None
    link = absolute(reverse("volunteers:personal", kwargs={"token": volunteer.token}))
    body = _("%(name)s 様\n\n%(centre)sへのボランティア登録ありがとうございます。\n"
             "受付のときは、このリンクを開いてからセンターのQRコードを読み取ってください。\n\n%(link)s\n") % {
        "name": volunteer.name, "centre": centre.name, "link": link}
    return queue_mail(kind=OutboundMail.Kind.VOLUNTEER_LINK, centre=centre, about=volunteer, to=[volunteer.email],
                      subject=_("【%(centre)s】ボランティア登録のご案内") % {"centre": centre.name}, body=body)


def register_group(*, centre: Centre, name: str, leader_name: str, leader_kana: str, phone: str,
                   member_count: int, age_band: str, prefecture: str, city: str, email: str = "",
                   insurance: str = Volunteer.Insurance.ENROLLED, on=None, by=None) -> Group:
    """A group leader registers the group (団体) with its head count and contact. The leader becomes a
    volunteer of the group and checks the group in as one attendance; `on` books a day for all of them."""
    from ops.volunteers.services.booking import book

    if member_count < 1:
        raise VolunteerError(_("人数を入力してください。"), code="head_count")
    with transaction.atomic(), audit.operation("group.register", by=by, centre=centre):
        group = Group.objects.create(centre=centre, name=name.strip(), leader_name=leader_name.strip(),
                                     phone=phone.strip(), email=email.strip(), member_count=member_count,
                                     prefecture=prefecture, city=city.strip())
        leader = register_volunteer(name=leader_name, kana=leader_kana, phone=phone, email=email,
                                    age_band=age_band, prefecture=prefecture, city=city, insurance=insurance,
                                    group=group, centre=centre, by=by)
        group.leader = leader
        group.save(update_fields=["leader"])
        if on is not None:
            book(leader, centre, on=on, head_count=member_count)
    return group

