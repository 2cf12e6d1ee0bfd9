import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ops.centres.models import AuditEntry, Event, Role
from ops.needs.models import Need, NeedStatus
from ops.needs.services import NeedError, record_need, update_need
from ops.welfare.models import Case
from tests import factories
from tests.needs.conftest import intake_fields

pytestmark = pytest.mark.django_db


def test_numbers_count_up_per_centre(centre, other_centre, record):
    first, second = record(), record(phone="090-3333-4444")
    elsewhere = record_need(centre=other_centre, **intake_fields())
    assert (first.label, second.label, elsewhere.label) == ("N-0001", "N-0002", "N-0001")


def test_a_new_need_is_new_with_a_history_line_and_normalised_keys(centre, record):
    user = factories.make_user(Role.INTAKE, centre)
    need = record(by=user, phone="０９０ー１１１１ー２２２２", requester_kana="ナガノ　イチロウ")
    assert need.status == NeedStatus.NEW
    assert need.phone == "090-1111-2222" and need.phone_normalised == "09011112222"
    assert need.kana_key == "ナガノイチロウ"
    assert sorted(need.work_types.values_list("code", flat=True)) == ["furniture", "mud"]
    line = need.history.get()
    assert (line.from_status, line.to_status, line.by) == ("", NeedStatus.NEW, user)
    assert need.created_by == user


def test_need_created_event_carries_state_without_personal_data(centre, record):
    need = record()
    event = Event.objects.get(centre=centre, kind="need.created")
    assert event.payload["need"]["id"] == need.pk
    assert event.payload["need"]["label"] == "N-0001"
    assert event.payload["need"]["work_types"] == ["furniture", "mud"]
    assert event.public == {"needs_received": 1}
    flat = str(event.payload) + str(event.public)
    for secret in ("長野", "090", "川端町"):
        assert secret not in flat


@pytest.mark.parametrize(("field", "value", "message"), [
    ("requester_name", "", "必須"),
    ("address", "  ", "必須"),
    ("phone", "090-1234", "桁数"),
    ("lat", 10.0, "日本国内"),
    ("lng", 200.0, "日本国内"),
    ("people_needed", 0, "1から200"),
    ("work_types", ["nope"], "不明な作業内容"),
])
def test_invalid_fields_are_refused_per_field_and_nothing_is_saved(centre, field, value, message):
    with pytest.raises(ValidationError) as err:
        record_need(centre=centre, **intake_fields(**{field: value}))
    assert message in " ".join(err.value.message_dict[field])
    assert not Need.objects.exists()
    assert not Event.objects.exists()


def test_half_a_coordinate_is_refused(centre):
    with pytest.raises(ValidationError) as err:
        record_need(centre=centre, **intake_fields(lng=None))
    assert "lat" in err.value.message_dict


def test_crisis_flag_mails_the_centre_head_and_opens_a_case(centre, django_capture_on_commit_callbacks,
                                                                   eager):
    head = factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    factories.make_user(Role.INTAKE, centre, email="intake@example.jp")
    factories.make_user(Role.ADMIN, factories.make_centre(), email="other-centre@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        need = record_need(centre=centre, welfare="crisis", welfare_note="独居・持病", **intake_fields())
    assert need.welfare == "crisis"
    case = Case.objects.of_need(need).get()
    assert (case.level, case.source, case.status) == ("crisis", "intake", "open")
    assert [c.found for c in case.contacts.all()] == ["独居・持病"]  # the note typed at intake is kept
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [head.email]
    assert "危機介入" in message.subject and need.label in message.subject
    assert f"/c/{centre.slug}/needs/{need.pk}/" in message.body
    assert "長野" not in message.body and "090" not in message.body  # no personal data in mail


def test_no_mail_when_the_intake_rolls_back(centre, django_capture_on_commit_callbacks, eager):
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        record_need(centre=centre, welfare="crisis", **intake_fields(phone="12"))
    assert mail.outbox == []


def test_watch_flag_opens_a_case_without_mail(centre, django_capture_on_commit_callbacks, eager):
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        need = record_need(centre=centre, welfare="watch", **intake_fields())
    assert Case.objects.of_need(need).filter(level="watch").count() == 1
    assert mail.outbox == []


def test_linking_as_duplicate_keeps_the_call_but_closes_it(centre, record):
    original = record()
    repeat = record_need(centre=centre, duplicate_of=original, **intake_fields())
    repeat.refresh_from_db()
    assert repeat.status == NeedStatus.CANCELLED and repeat.closure == "duplicate"
    assert repeat.duplicate_of == original
    assert Event.objects.filter(kind="need.created").last().public is None  # not a new household


def test_duplicate_of_another_centre_is_refused(centre, other_centre):
    foreign = record_need(centre=other_centre, **intake_fields())
    with pytest.raises(NeedError):
        record_need(centre=centre, duplicate_of=foreign, **intake_fields())
    assert not Need.objects.filter(centre=centre).exists()


def test_update_need_bumps_version_audits_personal_fields_and_emits(centre, record):
    user = factories.make_user(Role.INTAKE, centre)
    need = record()
    update_need(need, by=user, phone="080-9999-0000", people_needed=9)
    need.refresh_from_db()
    assert need.phone_normalised == "08099990000" and need.people_needed == 9 and need.version == 2
    audit = AuditEntry.objects.get(action="need.update")
    assert audit.fields == ["people_needed", "phone"] and audit.user == user
    assert "080" not in str(audit.__dict__)
    event = Event.objects.filter(kind="need.changed").last()
    assert event.payload["need"]["people_needed"] == 9
    assert event.payload["fields"] == ["people_needed"]  # personal field names are not broadcast either


def test_update_need_without_changes_writes_nothing(centre, record):
    need = record()
    update_need(need, people_needed=6)
    assert Need.objects.get(pk=need.pk).version == 1
    assert not Event.objects.filter(kind="need.changed").exists()


def test_update_need_refuses_bad_values_and_keeps_the_old_ones(centre, record):
    need = record()
    with pytest.raises(ValidationError):
        update_need(need, address="", people_needed=3)
    need.refresh_from_db()
    assert need.address == "テスト市川端町3-4-5" and need.people_needed == 6


def test_update_need_cannot_touch_status(centre, record):
    need = record()
    with pytest.raises(TypeError):
        update_need(need, status="completed")
