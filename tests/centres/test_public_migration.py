"""Migration centres 0006: a centre made before the public information's stamps gets every group stamped, so its
public JSON has a 'last updated' from the first poll."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ops.centres.public import GROUPS


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_centres_made_before_the_stamps_get_every_group_stamped():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        apps = migrate([("centres", "0005_callable_hour_defaults")])
        Disaster, Centre = apps.get_model("centres", "Disaster"), apps.get_model("centres", "Centre")
        disaster = Disaster.objects.create(name="旧災害", prefecture="長野県", started_on=timezone.localdate())
        old = Centre.objects.create(disaster=disaster, name="旧センター", slug="old-stamps", municipality="旧市",
                                    prefecture="長野県", lat=36.65, lng=138.18, status="open")
        before = timezone.now()
        migrate(latest)
        from ops.centres.models import Centre as Now

        stamps = Now.objects.get(pk=old.pk).public_changed
        assert set(stamps) == set(GROUPS)
        assert all(timezone.datetime.fromisoformat(at) >= before for at in stamps.values())
    finally:
        migrate(latest)
