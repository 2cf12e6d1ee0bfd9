"""Every dataset in both formats for every role: who may have it, which columns they get (the privacy
registry's answer, never a list of the export's own), and what the file looks like to Excel."""
import pytest
from django.urls import reverse

from ops.centres.models import AuditEntry, Role
from ops.exports.datasets import DATASETS
from ops.permissions import caps_of
from tests.exports.helpers import body, read
from tests.security.conftest import RESIDENT_SECRETS, STAFF_ROLES, client_for

RESIDENTS_DATA = {Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.WELFARE}  # Cap.NEEDS_PERSONAL
VOLUNTEERS_DATA = {Role.ADMIN, Role.COORDINATOR, Role.RECEPTION}  # Cap.RECEPTION
# Who may download which dataset (any one of the dataset's capabilities).
MAY = {
    "needs": {Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.WELFARE, Role.LEADER, Role.VIEWER},
    "open-needs": {Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.WELFARE, Role.LEADER, Role.VIEWER},
    "welfare-cases": {Role.ADMIN, Role.WELFARE},
    "volunteers": {Role.ADMIN, Role.COORDINATOR, Role.RECEPTION, Role.LEADER, Role.VIEWER},
    "attendances": {Role.ADMIN, Role.COORDINATOR, Role.RECEPTION, Role.LEADER, Role.VIEWER},
    "dispatches": {Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.VIEWER},
    "tool-kinds": {Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.VIEWER},
    "tool-loans": {Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.VIEWER},
    "tool-movements": {Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.VIEWER},
    "consumables": {Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.VIEWER},
}
# A header that is there exactly for the roles that see its class of personal data.
PERSONAL_HEADER = {"needs": "氏名", "open-needs": "電話番号", "welfare-cases": "住所", "volunteers": "氏名",
                   "attendances": "氏名", "dispatches": "活動内容"}


def url(world, dataset, **query):
    return reverse("exports:download", kwargs={"centre": world.centre.slug, "dataset": dataset}), query


def test_the_table_names_every_dataset():
    assert set(MAY) == set(DATASETS)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("dataset", sorted(MAY))
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_who_gets_which_dataset_and_columns(shared_world, role, dataset, fmt):
    world = shared_world
    path, query = url(world, dataset, format=fmt)
    response = client_for(world, role).get(path, query)
    if role not in MAY[dataset]:
        assert response.status_code == 403
        return
    assert response.status_code == 200, body(response)[:300]
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    rows = read(response, fmt)
    headers, data = rows[0], rows[1:]
    assert data, "the world has a row of every dataset"
    text = repr(rows)
    sees_residents = role in RESIDENTS_DATA
    sees_volunteers = role in VOLUNTEERS_DATA
    if dataset in PERSONAL_HEADER:
        sees = sees_volunteers if dataset in ("volunteers", "attendances") else sees_residents
        assert (PERSONAL_HEADER[dataset] in headers) is sees, headers
    if dataset in ("needs", "open-needs", "welfare-cases"):
        for secret in RESIDENT_SECRETS:
            assert (secret in text) is sees_residents, secret
        if dataset != "welfare-cases":
            assert ("36.6512" in text) is sees_residents  # the exact position; others get ~100 m
            assert "36.651" in text
    if dataset in ("volunteers", "attendances"):
        assert ("ボランティア本人の記入例" in text) is sees_volunteers
        assert ("緊急連絡先の記入例" in text) is (sees_volunteers and dataset == "volunteers")
    if dataset == "dispatches":
        assert ("活動内容の記入例" in text) is sees_residents
        assert ("ヒヤリハットの記入例" in text) is sees_residents


@pytest.mark.django_db
def test_csv_opens_in_excel_in_japanese(shared_world):
    path, query = url(shared_world, "needs", format="csv")
    response = client_for(shared_world, Role.ADMIN).get(path, query)
    data = body(response)
    assert data.startswith("\ufeff".encode())  # UTF-8 with a BOM: Excel reads it as UTF-8
    assert data.count(b"\r\n") >= 2 and b"\n" not in data.replace(b"\r\n", b"")  # CRLF row ends only
    assert "受付番号".encode() in data
    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.django_db
def test_headers_follow_the_readers_language(shared_world):
    path, query = url(shared_world, "attendances", format="csv")
    client = client_for(shared_world, Role.ADMIN)
    japanese = read(client.get(path, query), "csv")[0]
    english = read(client.get(path, query, HTTP_ACCEPT_LANGUAGE="en"), "csv")[0]
    assert "活動時間" in japanese
    assert "Hours" in " ".join(english) and "活動時間" not in english


@pytest.mark.django_db
def test_every_download_is_audited(shared_world):
    world = shared_world
    path, query = url(world, "attendances", format="xlsx")
    query.update({"from": str(world.today), "to": str(world.today)})
    rows = read(client_for(world, Role.RECEPTION).get(path, query), "xlsx")
    entry = AuditEntry.objects.filter(action="export.attendances").latest("pk")
    assert entry.user == world.users[Role.RECEPTION]
    assert entry.centre_id == world.centre.pk
    assert entry.note == f"{world.today}..{world.today} rows={len(rows) - 1} xlsx"


@pytest.mark.django_db
def test_the_range_narrows_the_rows(shared_world):
    world = shared_world
    path, query = url(world, "attendances", format="csv")
    client = client_for(world, Role.ADMIN)
    all_days = read(client.get(path, query), "csv")
    none = read(client.get(path, {**query, "to": str(world.yesterday)}), "csv")
    assert len(all_days) > 1 and len(none) == 1  # headers only: everyone came today


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {"from": "2026-13-01"}, {"to": "yesterday"}, {"from": "1999-12-31"}, {"to": "2100-01-01"},
    {"from": "2026-08-02", "to": "2026-08-01"}, {"format": "pdf"}, {"format": ""}, {"from": "9" * 400},
    {"from": "2026-08-01\x00"},
])
def test_bad_parameters_are_400_with_words(shared_world, query):
    path, base = url(shared_world, "needs", format="xlsx")
    before = AuditEntry.objects.filter(action__startswith="export.").count()
    response = client_for(shared_world, Role.ADMIN).get(path, {**base, **query})
    assert response.status_code == 400
    if "\x00" not in query.get("from", ""):  # a NUL is refused before the view, by the site's middleware
        assert 'role="alert"' in response.content.decode()
    assert AuditEntry.objects.filter(action__startswith="export.").count() == before


@pytest.mark.django_db
def test_the_tool_ledger_counts_what_is_out(shared_world):
    world = shared_world
    path, query = url(world, "tool-kinds", format="csv")
    headers, *rows = read(client_for(world, Role.COORDINATOR).get(path, query), "csv")
    row = dict(zip(headers, next(r for r in rows if r[0] == world.kind.name), strict=True))
    assert row == {"資機材": world.kind.name, "保有数": "10", "貸出中": "2", "在庫": "8"}


@pytest.mark.django_db
def test_the_ledgers_read_what_the_tool_desk_recorded(shared_world):
    """Stock in and out, and consumables counted in, as the tools page's services wrote them."""
    from ops.dispatch.services.ledger import add_kind, record_movement

    world = shared_world
    coordinator = world.users[Role.COORDINATOR]
    barrows = add_kind(centre=world.centre, name="一輪車", unit="台", quantity=3, by=coordinator)
    record_movement(kind=barrows, reason="broken", quantity=1, note="タイヤがパンク", by=coordinator)
    headers, *rows = read(client_for(world, Role.COORDINATOR).get(*url(world, "tool-movements", format="csv")), "csv")
    lines = [dict(zip(headers, r, strict=True)) for r in rows if r[1] == "一輪車"]
    assert [(b["増減"], b["理由"], b["メモ"]) for b in lines] == [("3", "受入", ""), ("-1", "廃棄・故障", "タイヤがパンク")]
    headers, *rows = read(client_for(world, Role.VIEWER).get(*url(world, "consumables", format="xlsx")), "xlsx")
    counted = [dict(zip(headers, r, strict=True)) for r in rows if r[1] == world.consumable.name]
    assert [(c["増減"], c["理由"]) for c in counted] == [(20, "受入")]


@pytest.mark.django_db
def test_an_unknown_dataset_is_404(shared_world):
    path, query = url(shared_world, "passwords", format="xlsx")
    assert client_for(shared_world, Role.ADMIN).get(path, query).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_page_lists_what_the_role_may_download(shared_world, role):
    world = shared_world
    response = client_for(world, role).get(reverse("exports:index", kwargs={"centre": world.centre.slug}))
    assert response.status_code == 200
    page = response.content.decode()
    for slug in DATASETS:
        assert (f'id="export-{slug}"' in page) is (role in MAY[slug]), slug
    assert caps_of(world.users[role], world.centre)
