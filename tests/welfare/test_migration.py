"""The data migration welfare 0002: the old one-line referrals on needs (needs.Referral) become households and
cases, nothing typed is lost. Run on the test database from the schema before it to the latest and back."""
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ops import normalise

# centres too: a later centres migration (0006, public information) adds a column this historical Centre lacks.
BEFORE = [("needs", "0004_recompute_normalised_keys"), ("welfare", "0001_initial"), ("centres", "0005_callable_hour_defaults")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def before(transactional_db):
    """The historical apps at the schema before the migration; the database is taken back to the latest after."""
    try:
        yield migrate(BEFORE)
    finally:
        migrate(latest())


def old_world(apps):
    Disaster, Centre = apps.get_model("centres", "Disaster"), apps.get_model("centres", "Centre")
    Need, Referral = apps.get_model("needs", "Need"), apps.get_model("needs", "Referral")
    User = apps.get_model("auth", "User")
    worker = User.objects.create(username="welfare-old")
    disaster = Disaster.objects.create(name="旧災害", prefecture="長野県", started_on=timezone.localdate())
    centre = Centre.objects.create(disaster=disaster, name="旧センター", slug="old-centre", municipality="旧市",
                                   prefecture="長野県", lat=36.65, lng=138.18, status="open")
    start = timezone.now() - timedelta(days=10)

    def need(n, name, phone, address, welfare="none"):
        return Need.objects.create(
            centre=centre, number=n, received_at=start + timedelta(hours=n), requester_name=name, phone=phone,
            address=address, district="北町", lat=36.65, lng=138.18, welfare=welfare,
            phone_normalised=normalise.phone_key(phone), name_key=normalise.name_key(name),
            address_key=normalise.address_key(address))

    def referral(need, kind, note, *, hours, closed=False):
        made = Referral.objects.create(need=need, kind=kind, note=note, created_by=worker)
        at = start + timedelta(hours=hours)
        Referral.objects.filter(pk=made.pk).update(created_at=at, closed_at=at + timedelta(days=1) if closed else None)

    same_a = need(1, "同一 世帯", "090-5555-0001", "旧市北町1-1", welfare="watch")
    same_b = need(2, "同一 世帯", "090-5555-0001", "旧市北町1-1", welfare="crisis")
    ended = need(3, "終了 済", "090-5555-0003", "旧市北町3-3")
    need(4, "対象外 者", "090-5555-0004", "旧市北町4-4")
    referral(same_a, "watch", "一人暮らしの母と息子。", hours=1)
    referral(same_b, "crisis", "連絡が取れない。", hours=3)
    referral(ended, "watch", "見守り終了済み。", hours=4, closed=True)
    return centre.pk


def test_old_referrals_become_cases_with_their_notes(before):
    centre_id = old_world(before)
    after = migrate(latest())
    Case, Contact = after.get_model("welfare", "Case"), after.get_model("welfare", "Contact")
    Household, Referral = after.get_model("welfare", "Household"), after.get_model("welfare", "Referral")
    Category, Need = after.get_model("welfare", "Category"), after.get_model("needs", "Need")

    cases = list(Case.objects.filter(centre_id=centre_id).order_by("number"))
    assert [(c.number, c.status, c.level) for c in cases] == [(1, "open", "crisis"), (2, "closed", "watch")]
    shared, ended = cases
    # two needs of one household: one household, one case (危機介入 as its second need), both notes on its log
    assert shared.priority == 1
    assert sorted(Need.objects.filter(welfare_households=shared.household).values_list("number", flat=True)) == [1, 2]
    assert Household.objects.filter(centre_id=centre_id).count() == 2
    assert sorted(Contact.objects.filter(case=shared).values_list("found", flat=True)) == \
        ["一人暮らしの母と息子。", "連絡が取れない。"]
    assert Referral.objects.filter(case=shared).count() == 2
    # a closed old referral: a closed case, its note kept, its referral done
    assert ended.closed_at is not None and ended.close_note
    assert list(Contact.objects.filter(case=ended).values_list("found", flat=True)) == ["見守り終了済み。"]
    assert list(Referral.objects.filter(case=ended).values_list("outcome", flat=True)) == ["done"]
    household = Household.objects.get(pk=shared.household_id)
    assert (household.name, household.phone, household.phone_key) == ("同一 世帯", "090-5555-0001",
                                                                   normalise.phone_key("090-5555-0001"))
    assert Category.objects.filter(centre_id=centre_id, code="8050").exists()
    # the need without a flag or referral has no household
    assert not Household.objects.filter(needs__number=4, centre_id=centre_id).exists()
