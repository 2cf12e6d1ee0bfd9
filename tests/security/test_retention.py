"""Retention: personal data of long-closed centres is anonymised; figures and open centres are untouched."""
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from ops.centres.models import AuditEntry, Centre
from ops.needs.models import Need
from ops.privacy import ERASED, FIELDS, NOT_PERSONAL, PERSONAL_HINTS
from ops.volunteers.models import Volunteer
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _closed_centre(days_ago):
    return factories.make_centre(status=Centre.Status.CLOSED, closed_on=timezone.localdate() - timedelta(days_ago))


def _old_volunteer(**kw):
    volunteer = factories.make_volunteer(**kw)
    Volunteer.objects.filter(pk=volunteer.pk).update(created_at=timezone.now() - timedelta(days=400))
    return volunteer


def test_needs_of_a_long_closed_centre_lose_personal_data_but_keep_figures():
    centre = _closed_centre(200)
    need = factories.make_need(centre, requester_name="消去 対象", phone="090-9999-0000",
                               address="テスト市北町9-9", district="北町", status="completed",
                               description="玄関で転倒しやすい母と二人暮らし", lat=36.123456, lng=138.654321)
    call_command("erase_personal_data", days=90)
    need.refresh_from_db()
    assert need.requester_name == ERASED
    assert need.phone == "" and need.requester_kana == ""
    assert need.address == "北町"
    assert need.description == ""
    assert (need.lat, need.lng) == (36.123, 138.654)
    assert need.personal_data_erased_at is not None
    # what the reports count is still there
    assert Need.objects.filter(centre=centre, status="completed", district="北町").count() == 1
    assert list(need.work_types.values_list("code", flat=True)) == ["mud"]
    assert AuditEntry.objects.filter(action="erase_personal", object_id=str(need.pk)).exists()


def test_recently_closed_and_open_centres_are_untouched(centre):
    recent = _closed_centre(10)
    kept = [factories.make_need(recent, requester_name="保持 一"), factories.make_need(centre, requester_name="保持 二")]
    call_command("erase_personal_data", days=90)
    assert [Need.objects.get(pk=n.pk).requester_name for n in kept] == ["保持 一", "保持 二"]


def test_volunteers_are_erased_only_when_no_kept_centre_knows_them(centre):
    old = _closed_centre(200)
    served_old_only = _old_volunteer(name="古い 方")
    factories.make_attendance(old, served_old_only, date=old.closed_on)
    served_both = _old_volunteer(name="両方 さん")
    factories.make_attendance(old, served_both, date=old.closed_on)
    factories.make_attendance(centre, served_both)
    call_command("erase_personal_data", days=90)
    served_old_only.refresh_from_db()
    served_both.refresh_from_db()
    assert served_old_only.name == ERASED and served_old_only.phone == ""
    assert served_old_only.prefecture == "長野県"  # residence split of the reports stays
    assert served_both.name == "両方 さん"


def test_mail_of_a_long_closed_centre_keeps_no_addresses_or_text():
    from ops.messages.models import OutboundMail
    from ops.messages.services import queue_mail

    closed, open_centre = _closed_centre(200), factories.make_centre()
    for centre in (closed, open_centre):
        queue_mail(kind="volunteer_link", centre=centre, to=["taro@example.jp"], subject="ご案内",
                   body="山田 太郎 様 https://example.jp/v/secret/")
    call_command("erase_personal_data", days=90)
    erased = OutboundMail.objects.get(centre=closed)
    assert (erased.to, erased.body, erased.subject, erased.kind) == ([], "", "ご案内", "volunteer_link")
    assert OutboundMail.objects.get(centre=open_centre).to == ["taro@example.jp"]


def test_dry_run_changes_nothing():
    centre = _closed_centre(200)
    need = factories.make_need(centre, requester_name="そのまま")
    call_command("erase_personal_data", days=90, dry_run=True)
    need.refresh_from_db()
    assert need.requester_name == "そのまま"


def test_every_personal_looking_field_is_in_the_registry():
    unlisted = []
    for label in ("needs", "volunteers", "dispatch", "reports", "centres"):
        for model in apps.get_app_config(label).get_models():
            listed = FIELDS.get(model._meta.label, {})
            for field in model._meta.get_fields():
                if not getattr(field, "concrete", False) or field.is_relation:
                    continue
                full = f"{model._meta.label}.{field.name}"
                if any(h in field.name for h in PERSONAL_HINTS) and field.name not in listed \
                        and full not in NOT_PERSONAL:
                    unlisted.append(full)
    assert unlisted == [], "add these to the registry (ops.privacy.registry.FIELDS) or NOT_PERSONAL"


def test_what_staff_and_teams_wrote_about_the_household_is_erased_with_the_need(media_root):
    """Free text lives on the need's surveys, referrals, status history, dispatches and return reports too;
    the registry marks it, and retention erases it there as well. A near miss stays counted."""
    from ops.dispatch.models import Dispatch, ReturnReport
    from ops.needs.models import NeedStatusChange, Survey
    from ops.reports.figures import daily_figures
    from ops.welfare.models import Case, Contact, Household, Referral
    from tests.security.conftest import build_world

    world = build_world()
    world.centre.status, world.centre.closed_on = Centre.Status.CLOSED, world.centre.today() - timedelta(200)
    world.centre.save()
    before = daily_figures(world.centre, world.today)
    call_command("erase_personal_data", days=90)
    written = [
        *Survey.objects.filter(need__centre=world.centre).values_list("estimate_reason", "refusal_reason",
                                                                     "referred_to"),
        *Contact.objects.filter(case__centre=world.centre).values_list("found", "agreed"),
        *Case.objects.filter(centre=world.centre).values_list("summary", "close_note"),
        *Referral.objects.filter(case__centre=world.centre).values_list("reason", "urgent_reason", "outcome_note"),
        *Household.objects.filter(centre=world.centre).values_list("phone", "kana"),
        *NeedStatusChange.objects.filter(need__centre=world.centre).values_list("reason"),
        *Dispatch.objects.filter(centre=world.centre).values_list("cancel_reason"),
        *ReturnReport.objects.filter(dispatch__centre=world.centre).values_list("work_done"),
    ]
    assert [text for row in written for text in row if text] == []
    assert set(ReturnReport.objects.filter(dispatch__centre=world.centre).values_list("near_miss", flat=True)) \
        == {ERASED}
    assert daily_figures(world.centre, world.today)["safety"] == before["safety"]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
