"""Each centre's categories and its council desk; every need flagged 危機介入 / 見守り (or with a referral)
becomes its household's case, its referral notes the case's contacts (nothing typed is lost)."""
from django.db import migrations
from django.db.models import Q

SEED = [("8050", "8050（高齢の親と中年の子のみ）"), ("hikikomori", "ひきこもり"), ("elderly_alone", "独居高齢"),
        ("disability", "障害"), ("dementia", "認知症の疑い"), ("poverty", "生活困窮"),
        ("housing_loss", "住まいの喪失"), ("health", "心身の不調"), ("abuse", "虐待の疑い")]


def forwards(apps, schema_editor):
    Centre = apps.get_model("centres", "Centre")
    Need = apps.get_model("needs", "Need")
    OldReferral = apps.get_model("needs", "Referral")
    Category = apps.get_model("welfare", "Category")
    Agency = apps.get_model("welfare", "Agency")
    Household = apps.get_model("welfare", "Household")
    Case = apps.get_model("welfare", "Case")
    Contact = apps.get_model("welfare", "Contact")
    Referral = apps.get_model("welfare", "Referral")
    for centre in Centre.objects.all():
        for order, (code, name) in enumerate(SEED):
            Category.objects.get_or_create(centre=centre, code=code, defaults={"name": name, "order": order * 10})
        desk = Agency.objects.filter(centre=centre, internal=True).first() or Agency.objects.create(
            centre=centre, kind="council", name="総合相談", internal=True)
        number = 0
        flagged = Need.objects.filter(centre=centre).exclude(welfare="none", referrals__isnull=True).distinct()
        for need in flagged.order_by("received_at", "pk"):
            referrals = list(OldReferral.objects.filter(need=need).order_by("created_at", "pk"))
            same = Household.objects.filter(centre=centre)
            household = None
            if need.phone_normalised:
                household = same.filter(phone_key=need.phone_normalised).filter(
                    Q(name_key=need.name_key) | Q(address_key=need.address_key)).first()
            if household is None and need.name_key and need.address_key:
                household = same.filter(name_key=need.name_key, address_key=need.address_key).first()
            if household is None:
                household = Household.objects.create(
                    centre=centre, name=need.requester_name, kana=need.requester_kana, phone=need.phone,
                    address=need.address, district=need.district, phone_key=need.phone_normalised,
                    name_key=need.name_key, address_key=need.address_key,
                    personal_data_erased_at=need.personal_data_erased_at)
            household.needs.add(need)
            still_open = need.welfare != "none" or any(r.closed_at is None for r in referrals)
            level = need.welfare if need.welfare != "none" else (referrals[-1].kind if referrals else "watch")
            level = level if level in ("watch", "crisis") else "watch"
            case = Case.objects.filter(household=household, status="open").first() if still_open else None
            if case is not None and level == "crisis" and case.level != "crisis":
                # the household's other need was 危機介入: its case is, as open_case raises it today
                Case.objects.filter(pk=case.pk).update(level="crisis", priority=1)
            if case is None:
                number += 1
                opened = referrals[0].created_at if referrals else need.received_at
                closed = None if still_open else max((r.closed_at for r in referrals if r.closed_at), default=None)
                case = Case.objects.create(
                    centre=centre, number=number, household=household, need=need, source="intake", level=level,
                    priority=1 if level == "crisis" else 3, opened_at=opened,
                    opened_by_id=referrals[0].created_by_id if referrals else None,
                    status="open" if still_open else "closed", closed_at=closed,
                    close_note="" if still_open else "（旧「紹介」の終了から移行）",
                    personal_data_erased_at=need.personal_data_erased_at)
            for r in referrals:
                if r.note.strip():
                    Contact.objects.create(case=case, at=r.created_at, method="other", with_whom=[],
                                           found=r.note, by_id=r.created_by_id)
                Referral.objects.create(case=case, agency=desk, referred_on=r.created_at.date(),
                                        outcome="done" if r.closed_at else "pending", by_id=r.created_by_id)


class Migration(migrations.Migration):
    dependencies = [
        ("welfare", "0001_initial"),
        ("needs", "0004_recompute_normalised_keys"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
