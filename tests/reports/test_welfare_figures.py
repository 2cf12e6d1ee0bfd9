"""The 日報 carries the welfare casework as counts only: cases opened, referred and closed that day and to date,
open and overdue at the end of the day; never a household's name or a word of a case, in any rendering."""
import io
import zipfile

import pytest
import time_machine
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ops.centres.models import Role
from ops.reports import render, xlsx
from ops.reports.figures import daily_figures, trend
from ops.reports.rollup import rollup_figures
from ops.welfare.models import Agency
from ops.welfare.services import close_case, open_case, refer, update_case
from tests import factories
from tests.reports.conftest import NEXT, PREV, D, jst

pytestmark = pytest.mark.django_db

NAME, WORDS = "福祉 秘子", "夜中に一人で泣いていると近所の人が話していた"


@pytest.fixture
def scripted(centre):
    """Cases A B G opened on PREV, C D E on D (C at 00:00, E at 23:59:59), F on NEXT; A closed on D at noon,
    G at 00:00:30 on NEXT; referrals: A on PREV, D on D, C on NEXT. B's check was due on PREV (overdue on D)."""
    centre.opened_on, centre.status = PREV, centre.Status.OPEN
    centre.save(update_fields=["opened_on", "status"])
    staff = factories.make_user(Role.WELFARE, centre)
    desk = Agency.objects.filter(centre=centre, internal=True).first() or Agency.objects.create(
        centre=centre, kind=Agency.Kind.COUNCIL, name="総合相談", internal=True)
    cases = {}

    def opened(key, moment):
        with time_machine.travel(moment, tick=False):
            need = factories.make_need(centre, requester_name=f"{NAME}{key}", phone=f"090-3333-00{ord(key):02d}")
            cases[key], _new = open_case(need=need, source="staff", summary=WORDS, by=staff)

    def then(moment, action):
        with time_machine.travel(moment, tick=False):
            action()

    opened("A", jst(PREV, 10))
    then(jst(PREV, 11), lambda: refer(cases["A"], by=staff, agency=desk, reason=WORDS))
    opened("B", jst(PREV, 15))
    then(jst(PREV, 15, 30), lambda: update_case(cases["B"], by=staff, next_check_on=PREV))
    opened("G", jst(PREV, 16))
    opened("C", jst(D, 0))
    then(jst(D, 0, 5), lambda: update_case(cases["C"], by=staff, next_check_on=D))  # due, not overdue
    opened("D", jst(D, 9))
    then(jst(D, 9, 30), lambda: refer(cases["D"], by=staff, agency=desk, reason=WORDS))
    then(jst(D, 12), lambda: close_case(cases["A"], by=staff, note=WORDS))
    opened("E", jst(D, 23, 59, 59))
    opened("F", jst(NEXT, 0))
    then(jst(NEXT, 0, 0, 30), lambda: close_case(cases["G"], by=staff, note=WORDS))
    then(jst(NEXT, 9), lambda: refer(cases["C"], by=staff, agency=desk, reason=WORDS))
    return cases


def test_the_days_welfare_counts(scripted, centre):
    w = daily_figures(centre, D)["welfare"]
    assert w["today"] == {"new": 3, "referred": 1, "closed": 1}  # C D E; D's referral; A closed
    assert w["cumulative"] == {"new": 6, "referred": 2, "closed": 1}  # A B G C D E; A's and D's referrals
    assert w["open"] == 5  # B C D E, and G (closed only after the day's end)
    assert w["overdue"] == 1  # B: its check was due before the day
    prev = daily_figures(centre, PREV)["welfare"]
    assert prev["today"] == {"new": 3, "referred": 1, "closed": 0} and prev["open"] == 3
    after = daily_figures(centre, NEXT)["welfare"]
    assert after["today"] == {"new": 1, "referred": 1, "closed": 1}
    assert after["cumulative"] == {"new": 7, "referred": 3, "closed": 2} and after["open"] == 5


def test_the_rollup_sums_the_welfare_counts(scripted, centre):
    other = factories.make_centre(disaster=centre.disaster, opened_on=PREV, status="open")
    with time_machine.travel(jst(D, 10), tick=False):
        open_case(need=factories.make_need(other, phone="090-4444-0001"), source="staff")
    rollup = rollup_figures(centre.disaster, D)
    rows = {r["centre_id"]: r for r in rollup["centres"]}
    assert (rows[centre.pk]["welfare_new_today"], rows[centre.pk]["welfare_open"],
            rows[centre.pk]["welfare_overdue"]) == (3, 5, 1)
    assert rows[other.pk]["welfare_new_today"] == 1
    assert rollup["totals"]["welfare_new_today"] == 4 and rollup["totals"]["welfare_open"] == 6
    assert NAME not in str(rollup) and WORDS not in str(rollup)
    with translation.override(settings.LANGUAGE_CODE):
        html = render.render_rollup_html(rollup)
    assert "福祉ケース対応中" in html and NAME not in html


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def test_no_name_or_words_of_a_case_in_any_rendering(scripted, centre):
    figures = daily_figures(centre, D)
    assert NAME not in str(figures) and WORDS not in str(figures)
    with translation.override(settings.LANGUAGE_CODE):
        html = render.render_daily_html(figures)
        mail = render_to_string("reports/mail_daily.txt", render.daily_context(figures))
        sheet = _xlsx_text(xlsx.render_daily_xlsx(figures, trend(centre, D)))
    assert 'data-figure="welfare.open">5<' in html and "福祉ケース（件数）" in html
    assert "福祉ケース（件数）" in mail and "確認日超過: 1" in mail
    assert "福祉ケース" in sheet
    for text in (html, mail, sheet):
        assert NAME not in text and WORDS not in text
        for case in scripted.values():
            assert case.label not in text


def test_a_report_stored_before_welfare_was_counted_still_renders(season, centre):
    figures = daily_figures(centre, D)
    del figures["welfare"]
    with translation.override(settings.LANGUAGE_CODE):
        html = render.render_daily_html(figures)
        render_to_string("reports/mail_daily.txt", render.daily_context(figures))
        xlsx.render_daily_xlsx(figures, [])
    assert "福祉ケース" not in html and "8. 特記事項" in html
