"""Demo data for `make run`: the demo centre's report recipients, the disaster's roll-up recipient and, when
there is activity to report, yesterday's report with its files. Idempotent."""
import logging
from datetime import timedelta

from ops.needs.models import Need
from ops.reports.fonts import FontMissing
from ops.reports.models import DailyReport, ReportRecipient
from ops.volunteers.models import Attendance

log = logging.getLogger(__name__)

CENTRE_RECIPIENTS = [
    ("デモ市 危機管理防災課", "bousai@example.jp"),
    ("デモ市社会福祉協議会 事務局長", "jimukyoku@example.jp"),
    ("長野県社会福祉協議会 災害支援担当", "saigai@example.jp"),
]
ROLLUP_RECIPIENTS = [("長野県災害ボランティアセンター（県社協）", "ken-vc@example.jp")]


def seed(centre, today):
    for name, email in CENTRE_RECIPIENTS:
        ReportRecipient.objects.get_or_create(centre=centre, email=email, defaults={"name": name})
    for name, email in ROLLUP_RECIPIENTS:
        ReportRecipient.objects.get_or_create(disaster=centre.disaster, centre=None, email=email,
                                              defaults={"name": name})
    yesterday = today - timedelta(days=1)
    has_data = (Attendance.objects.filter(centre=centre, date__lte=yesterday).exists()
                or Need.objects.filter(centre=centre).exists())
    if not has_data or DailyReport.objects.filter(centre=centre, date=yesterday).exists():
        return
    DailyReport.objects.create(
        centre=centre, date=yesterday,
        notes="午後から雷雨のため14時30分に全班へ帰着指示。けが人なし。北町地区で道路冠水あり、通行止め解除済み。",
        plan_tomorrow="8時30分受付開始。北サテライトを開設し、北町・川端地区の泥出しを重点実施。",
    )
    from ops.reports.building import build_daily_report

    try:
        build_daily_report(centre_id=centre.pk, day=yesterday)
    except FontMissing as exc:  # the row stays; files come with the next build once the font is installed
        log.warning("demo: yesterday's report not rendered: %s", exc)
