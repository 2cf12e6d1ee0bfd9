"""Text typed by anyone (a district at intake, a volunteer's city, a tool's name) is text in the file Excel
opens: never a formula, in XLSX (string cells) or CSV (a leading apostrophe), on the real bytes."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.needs.models import Need
from tests.exports.helpers import read, xlsx_types
from tests.security.conftest import client_for

HOSTILE = ["=HYPERLINK(\"http://x.example\",\"y\")", "+81-90", "-2+3", "@SUM(A1)"]


@pytest.fixture
def hostile_needs(shared_world):
    """One need per hostile district (the district is what every role exports)."""
    for n, text in enumerate(HOSTILE):
        copy = Need.objects.get(pk=shared_world.open_need.pk)
        copy.pk, copy.number, copy.district, copy.reference_token = None, 9000 + n, text, f"hostile-{n}"
        copy.save()
    return HOSTILE


@pytest.mark.django_db
def test_xlsx_cells_are_strings(shared_world, hostile_needs):
    path = reverse("exports:download", kwargs={"centre": shared_world.centre.slug, "dataset": "needs"})
    response = client_for(shared_world, Role.VIEWER).get(path, {"format": "xlsx"})
    cells = [cell for row in xlsx_types(response) for cell in row]
    for text in hostile_needs:
        assert (text, "s") in cells, text
    assert not [cell for cell in cells if cell[1] == "f"]


@pytest.mark.django_db
def test_csv_cells_start_with_an_apostrophe(shared_world, hostile_needs):
    path = reverse("exports:download", kwargs={"centre": shared_world.centre.slug, "dataset": "needs"})
    rows = read(client_for(shared_world, Role.VIEWER).get(path, {"format": "csv"}), "csv")
    cells = [cell for row in rows for cell in row]
    for text in hostile_needs:
        assert "'" + text in cells, text
        assert text not in cells
