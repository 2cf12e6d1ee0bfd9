"""A season's export is read from the database a chunk at a time and sent from a file in chunks: memory
holds one chunk of rows, however many rows the season has."""
import tracemalloc

import pytest

from ops.exports import datasets, files
from ops.exports.datasets import DATASETS
from ops.needs.models import Need
from ops.permissions import Cap
from ops.privacy import Sight
from tests import factories


def peak_of(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_memory_holds_a_chunk_not_the_season(monkeypatch):
    monkeypatch.setattr(datasets, "CHUNK_ROWS", 100)
    monkeypatch.setattr(files, "CHUNK_ROWS", 100)
    centre = factories.make_centre()
    factories.make_need(centre)  # with its work type
    ds, sight = DATASETS["needs"], Sight(set(Cap))

    def export():
        handle, _count = files.write(ds, ds.rows(centre, None, None), fmt="csv", sight=sight, centre=centre)
        handle.close()

    def grow_to(n):
        Need.objects.bulk_create([Need(centre=centre, number=i + 10, received_at=centre.now(), requester_name="住民",
                                       address="住所", description="床上浸水。家財の運び出し。" * 10,
                                       reference_token=f"stream-{i}") for i in range(centre.needs.count(), n)])

    grow_to(300)
    small = peak_of(export)
    grow_to(1500)
    large = peak_of(export)
    assert large < small * 1.5, (small, large)


@pytest.mark.django_db
def test_the_response_streams_the_file_in_chunks(shared_world):
    from django.urls import reverse

    from ops.centres.models import Role
    from tests.security.conftest import client_for

    url = reverse("exports:download", kwargs={"centre": shared_world.centre.slug, "dataset": "attendances"})
    response = client_for(shared_world, Role.ADMIN).get(url, {"format": "xlsx"})
    assert response.streaming and response.is_async  # the ASGI server sends it chunk by chunk
    assert int(response["Content-Length"]) == len(b"".join(response))
