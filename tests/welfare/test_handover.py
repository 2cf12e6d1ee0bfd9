"""Closing: the open cases are handed over to the 生活支援相談員 / 地域支え合いセンター as a spreadsheet and a
printable summary per case; both say whether the person consented to the handover (what the receiving body may
keep), each print is on the audit trail, and the close page counts what stays past retention and what goes."""
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from ops.centres import closing
from ops.centres.models import AuditEntry, Role
from ops.welfare import services
from ops.welfare.models import Agency, Case, Category
from tests import factories
from tests.exports.helpers import read

pytestmark = pytest.mark.django_db
ROLES = [Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.WELFARE, Role.LEADER, Role.VIEWER]


@pytest.fixture
def staff(centre):
    return {role: factories.make_user(role, centre, last_name=f"職員{role}", first_name="") for role in ROLES}


@pytest.fixture
def cases(centre, staff):
    """Three cases: one with the handover consent, one whose consent was withdrawn, one closed."""
    worker = staff[Role.WELFARE]
    made = []
    for n, name in enumerate(("引継 一郎", "撤回 次郎", "終了 三郎"), start=1):
        need = factories.make_need(centre, requester_name=name, phone=f"090-1111-{n:04d}",
                                   address=f"テスト市南町{n}-1")
        case, _ = services.open_case(need=need, source="staff", by=worker, summary=f"{name}の概要")
        made.append(case)
    kept, withdrawn, ended = made
    houkatsu = Agency.objects.create(centre=centre, kind=Agency.Kind.COMPREHENSIVE, name="南地域包括支援センター")
    services.update_case(kept, by=worker, assignee=worker, priority=2,
                         categories=Category.objects.filter(centre=centre, code__in=["8050", "elderly_alone"]))
    services.add_contact(kept, by=worker, method="visit", with_whom=["person", "family"], found="息子と二人暮らし",
                         agreed="週1回の電話", next_check_on=centre.today() + timedelta(days=7))
    services.give_consent(kept, by=worker, purpose="share", how="written", agency=houkatsu)
    referral = services.refer(kept, by=worker, agency=houkatsu, reason="介護保険の申請支援")
    services.record_outcome(referral, by=worker, outcome="accepted", note="担当ケアマネ決定")
    services.give_consent(kept, by=worker, purpose="handover", how="written", given_by="family")
    services.withdraw_consent(services.give_consent(withdrawn, by=worker, purpose="handover", how="verbal"),
                              by=worker)
    services.close_case(ended, by=worker, note="転居")
    return kept, withdrawn, ended


def login(user):
    client = Client()
    client.force_login(user)
    return client


def handover_url(centre):
    return reverse("welfare:handover", kwargs={"centre": centre.slug})


def summary_url(centre, case):
    return reverse("welfare:summary", kwargs={"centre": centre.slug, "pk": case.pk})


def articles(body):
    return re.findall(r'<article class="needs-card case-summary" id="case-(\d+)">(.*?)</article>', body, re.S)


def test_the_print_has_every_open_case_on_its_own_page(centre, staff, cases):
    kept, withdrawn, ended = cases
    body = login(staff[Role.WELFARE]).get(handover_url(centre)).content.decode()
    pages = dict(articles(body))
    assert set(pages) == {str(kept.pk), str(withdrawn.pk)}  # the closed case is not handed over
    page = pages[str(kept.pk)]
    for text in ("W-0001", "見守り", "高", "8050", "独居高齢", "引継 一郎", "090-1111-0001", "テスト市南町1-1",
                 kept.need.label, "引継 一郎の概要", "息子と二人暮らし", "週1回の電話", "本人・家族",
                 "南地域包括支援センター", "介護保険の申請支援", "受理・支援開始", "担当ケアマネ決定",
                 "紹介先への情報提供", "閉所時の引き継ぎ", "職員welfare"):
        assert text in page, text
    assert re.search(r"引き継ぎの同意</th><td[^>]*><strong>あり</strong>", page)
    assert "家族" in page and "書面" in page
    assert re.search(r"引き継ぎの同意</th><td[^>]*><strong>なし</strong>", pages[str(withdrawn.pk)])


def test_each_case_printed_is_on_the_audit_trail(centre, staff, cases):
    kept, withdrawn, ended = cases
    admin = staff[Role.ADMIN]
    login(admin).get(handover_url(centre))
    printed = AuditEntry.objects.filter(action="case.printed", user=admin)
    assert sorted(printed.values_list("object_id", flat=True)) == sorted([str(kept.pk), str(withdrawn.pk)])
    assert login(admin).get(summary_url(centre, ended)).status_code == 200  # a closed case's own summary
    assert printed.filter(object_id=str(ended.pk)).count() == 1


def test_one_case_summary(centre, staff, cases):
    kept, *_ = cases
    body = login(staff[Role.WELFARE]).get(summary_url(centre, kept)).content.decode()
    assert [pk for pk, _ in articles(body)] == [str(kept.pk)]
    assert "needs/needs.css" in body  # its A4 page (@page size: A4) and the printable card
    assert "welfare/print.css" in body and 'id="print-button"' in body


def test_only_welfare_staff_and_the_administrator_print(centre, staff, cases):
    kept, *_ = cases
    for role, user in staff.items():
        allowed = role in (Role.ADMIN, Role.WELFARE)
        for url in (handover_url(centre), summary_url(centre, kept)):
            assert login(user).get(url).status_code == (200 if allowed else 403), (role, url)


def test_another_centres_case_or_a_bad_id_is_404(centre, staff, cases, other_centre):
    need = factories.make_need(other_centre, requester_name="他所 四郎")
    theirs, _ = services.open_case(need=need, source="staff")
    client = login(staff[Role.WELFARE])
    assert client.get(summary_url(centre, theirs)).status_code == 404
    assert client.get(f"/c/{centre.slug}/welfare/999999/summary/").status_code == 404


def test_after_closing_only_the_administrator_prints(centre, staff, cases):
    closing.close_centre(centre, confirm_name=centre.name, by=staff[Role.ADMIN])
    assert login(staff[Role.WELFARE]).get(handover_url(centre)).status_code == 403
    assert login(staff[Role.ADMIN]).get(handover_url(centre)).status_code == 200
    assert Case.objects.open().filter(centre=centre).count() == 2  # closing does not change the cases


def test_the_spreadsheet_says_which_cases_the_receiving_body_may_keep(centre, staff, cases):
    kept, withdrawn, ended = cases
    url = reverse("exports:download", kwargs={"centre": centre.slug, "dataset": "welfare-cases"})
    rows = read(login(staff[Role.ADMIN]).get(url, {"format": "xlsx"}), "xlsx")
    header, *data = rows
    assert len(data) == 2  # one row per open case
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    first = by_number["W-0001"]
    assert first["引き継ぎの同意"].startswith(f"{centre.today():%Y/%m/%d} 書面（家族）確認: 職員welfare")
    assert by_number["W-0002"]["引き継ぎの同意"] == "なし"
    assert "撤回" in by_number["W-0002"]["情報提供の同意"]
    assert "8050" in first["課題"] and first["担当者"] == "職員welfare"
    assert "息子と二人暮らし" in first["支援記録"] and "週1回の電話" in first["支援記録"]
    assert "受理・支援開始" in first["紹介"] and "担当ケアマネ決定" in first["紹介"]
    assert first["電話番号"] == "090-1111-0001" and first["次回確認日"] is not None


def test_the_spreadsheet_reads_in_english(centre, staff, cases):
    client = login(staff[Role.ADMIN])
    client.post(reverse("set_language"), {"language": "en"})
    url = reverse("exports:download", kwargs={"centre": centre.slug, "dataset": "welfare-cases"})
    header, *data = read(client.get(url, {"format": "xlsx"}), "xlsx")
    assert "Consent to the handover" in header
    assert not any(re.search(r"[\u3040-\u30ff]", str(h)) for h in header), header
    assert {row[header.index("Consent to the handover")] for row in data} >= {"None"}


def test_the_close_page_links_the_print_and_counts_what_stays(centre, staff, cases):
    client = login(staff[Role.ADMIN])
    url = reverse("centre_close", kwargs={"centre": centre.slug})
    page = client.get(url).content.decode()
    assert handover_url(centre) in page
    assert re.search(r'id="welfare-kept">[^<]*1件', page) and re.search(r'id="welfare-erased">[^<]*1件', page)
    client.post(url, {"confirm_name": centre.name})
    centre.refresh_from_db()
    page = client.get(url).content.decode()
    assert centre.erasure_due_on().isoformat() in re.search(r'id="welfare-erased">([^<]*)', page).group(1)
    assert handover_url(centre) in page
