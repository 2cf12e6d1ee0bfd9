"""One reading of a phone number and of a kana reading for every part: a need and a volunteer typed the same
way store the same keys, and the needs search, the duplicate check, registration and the reception search
find them however the number or the reading is written (ops/normalise.py)."""
import pytest

from ops.needs.duplicates import find_duplicates
from ops.needs.selectors import needs_list
from ops.permissions import Cap
from ops.privacy import Sight
from ops.volunteers import selectors as volunteer_selectors
from ops.volunteers.services import register_volunteer
from tests import factories
from tests.volunteers.conftest import details

pytestmark = pytest.mark.django_db

MOBILE = "09012345678"
MOBILE_SPELLINGS = [
    "090-1234-5678",
    "09012345678",
    "０９０１２３４５６７８",  # full-width digits
    "０９０－１２３４－５６７８",  # full-width hyphen-minus
    "090 1234 5678",
    "090　1234　5678",  # ideographic space
    "090‐1234‐5678",  # U+2010 hyphen
    "090‑1234‑5678",  # U+2011 non-breaking hyphen
    "090‒1234‒5678",  # U+2012 figure dash
    "090–1234–5678",  # en dash
    "090—1234—5678",  # em dash
    "090―1234―5678",  # horizontal bar
    "090−1234−5678",  # minus sign
    "090ー1234ー5678",  # long-vowel mark (what a kana keyboard gives for "-")
    "090ｰ1234ｰ5678",  # half-width long-vowel mark
    "090─1234─5678",  # box-drawing line
    "(090)1234-5678",
    "０９０（１２３４）５６７８",
    "090.1234.5678",
    "+81 90 1234 5678",
    "+81-90-1234-5678",
    "+819012345678",
    "+81 (0)90-1234-5678",  # the trunk 0 kept in brackets
    "+81 090 1234 5678",
    "＋８１ ９０ １２３４ ５６７８",
    "0081 90 1234 5678",
    "0081-90-1234-5678",
    "0081 (0)90 1234 5678",
    "0081-090-1234-5678",
]
LANDLINE = "0262345678"
LANDLINE_SPELLINGS = ["026-234-5678", "026(234)5678", "+81 26 234 5678", "+81 (0)26-234-5678", "0081-26-234-5678"]

KANA = "ヤマダハナコ"
KANA_SPELLINGS = [
    "ヤマダ ハナコ",
    "ヤマダハナコ",
    "ヤマダ　ハナコ",  # ideographic space
    "ヤマダ・ハナコ",
    "ヤマダ･ハナコ",  # half-width middle dot
    "やまだ はなこ",  # hiragana
    "やまだ　はなこ",
    "やまだ・はなこ",
    "ﾔﾏﾀﾞ ﾊﾅｺ",  # half-width katakana
    "ﾔﾏﾀﾞﾊﾅｺ",
    "ヤマダ.ハナコ",
    "やまだハナコ",  # mixed
]


@pytest.mark.parametrize(("typed", "key"), [*((s, MOBILE) for s in MOBILE_SPELLINGS),
                                           *((s, LANDLINE) for s in LANDLINE_SPELLINGS)])
def test_a_phone_in_any_spelling_is_one_key_for_needs_and_volunteers(centre, typed, key):
    need = factories.make_need(centre, phone=typed)
    volunteer = factories.make_volunteer(phone=typed)
    assert (need.phone_normalised, volunteer.phone_normalised) == (key, key)


@pytest.mark.parametrize("typed", KANA_SPELLINGS)
def test_a_reading_in_any_spelling_is_one_key_for_needs_and_volunteers(centre, typed):
    need = factories.make_need(centre, requester_kana=typed)
    volunteer = factories.make_volunteer(kana=typed)
    assert (need.kana_key, volunteer.kana_key) == (KANA, KANA)


# the intake desk's sight: every capability, residents' data included
STAFF = Sight(set(Cap))


@pytest.mark.parametrize("typed", MOBILE_SPELLINGS)
def test_staff_find_a_need_by_its_phone_in_any_spelling(centre, typed):
    need = factories.make_need(centre, phone="090-1234-5678")
    factories.make_need(centre, phone="080-9999-0000")
    assert list(needs_list(centre, q=typed, sight=STAFF)) == [need]


@pytest.mark.parametrize("typed", KANA_SPELLINGS)
def test_staff_find_a_need_by_its_reading_in_any_spelling(centre, typed):
    need = factories.make_need(centre, requester_kana="ヤマダ ハナコ")
    factories.make_need(centre, requester_kana="スズキ イチロウ")
    assert list(needs_list(centre, q=typed, sight=STAFF)) == [need]


@pytest.mark.parametrize("typed", MOBILE_SPELLINGS)
def test_the_duplicate_check_meets_a_phone_in_any_spelling(centre, typed):
    need = factories.make_need(centre, phone="090-1234-5678")
    matches = find_duplicates(centre, phone=typed, name="別人", address="別の町9-9-9")
    assert [(m.need, "phone" in m.reasons) for m in matches] == [(need, True)]


@pytest.mark.parametrize("typed", KANA_SPELLINGS)
def test_the_duplicate_check_meets_a_reading_in_any_spelling(centre, typed):
    need = factories.make_need(centre, requester_kana="ヤマダ ハナコ", address="テスト市中央1-2-3")
    matches = find_duplicates(centre, kana=typed, address="テスト市中央1-2-3")
    assert [(m.need, "kana" in m.reasons) for m in matches] == [(need, True)]


@pytest.mark.parametrize("typed", MOBILE_SPELLINGS)
def test_reception_finds_a_volunteer_by_phone_in_any_spelling(centre, typed):
    volunteer = register_volunteer(centre=centre, **details(phone="090-1234-5678"))
    assert list(volunteer_selectors.search(centre, typed)) == [volunteer]


@pytest.mark.parametrize("typed", KANA_SPELLINGS)
def test_reception_finds_a_volunteer_by_reading_in_any_spelling(centre, typed):
    volunteer = register_volunteer(centre=centre, **details(name="山田 花子", kana="ヤマダ ハナコ"))
    register_volunteer(centre=centre, **details(name="鈴木 一郎", kana="スズキ イチロウ", phone="080-1111-2222"))
    assert list(volunteer_selectors.search(centre, typed)) == [volunteer]


@pytest.mark.parametrize("typed", MOBILE_SPELLINGS)
def test_a_volunteer_registering_again_with_the_phone_in_another_spelling_is_recognised(centre, typed):
    from ops.centres.models import Role
    from tests import factories

    first = register_volunteer(centre=centre, **details(phone="090-1234-5678", kana="ヤマダ タロウ"))
    # at the desk: an anonymous form that matches is refused and mails the link (tests/volunteers/test_takeover.py)
    again = register_volunteer(centre=centre, by=factories.make_user(Role.RECEPTION, centre),
                               **details(phone=typed, kana="やまだ たろう"))
    assert again.pk == first.pk


def _migration(app: str, name: str):
    import importlib

    return importlib.import_module(f"ops.{app}.migrations.{name}")


def test_the_migrations_recompute_keys_stored_under_the_old_readings(centre):
    from django.apps import apps

    from ops.needs.models import Need
    from ops.volunteers.models import Volunteer

    need = factories.make_need(centre, phone="+81 (0)90-1234-5678", requester_kana="やまだ はなこ")
    volunteer = factories.make_volunteer(phone="0081-90-1234-5678", kana="やまだ はなこ")
    # as the two old modules stored them
    Need.objects.filter(pk=need.pk).update(phone_normalised=MOBILE, kana_key="やまだはなこ", name_key="山田花子")
    Volunteer.objects.filter(pk=volunteer.pk).update(phone_normalised="00819012345678", kana_key=KANA)
    _migration("needs", "0004_recompute_normalised_keys").recompute_keys(apps, None)
    _migration("volunteers", "0003_recompute_normalised_keys").recompute_keys(apps, None)
    need.refresh_from_db()
    volunteer.refresh_from_db()
    assert (need.phone_normalised, need.kana_key) == (volunteer.phone_normalised, volunteer.kana_key) == (MOBILE, KANA)


def test_the_migration_leaves_a_second_registration_of_one_person_its_stored_key(centre):
    """Registered twice under the old readings (090… and 0081 90…): one row takes the new key, the other keeps
    its own, and the unique phone-and-kana constraint holds."""
    from django.apps import apps

    from ops.volunteers.models import Volunteer

    first = factories.make_volunteer(phone="090-1234-5678", kana="ヤマダ ハナコ")
    second = factories.make_volunteer(phone="080-0000-0000", kana="ヤマダ ハナコ")
    Volunteer.objects.filter(pk=second.pk).update(phone="0081 90 1234 5678", phone_normalised="00819012345678")
    _migration("volunteers", "0003_recompute_normalised_keys").recompute_keys(apps, None)
    keys = dict(Volunteer.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "phone_normalised"))
    assert keys == {first.pk: MOBILE, second.pk: "00819012345678"}
