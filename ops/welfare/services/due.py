"""The due-sweep (福祉ケースの確認日のお知らせ): once a centre's clock has passed DUE_NOTICE_TIME, every
assignee with open cases due for a check (next_check_on on or before the centre's today) gets one mail that
day listing them by number, with their check dates and a link to the welfare page: never a name, a phone,
an address or a word of the case. The beat runs it every 10 minutes (ops.welfare.tasks.due_sweep); a repeated
tick, or two workers at once, send it once: each mail is claimed by inserting the (centre, user, day) DueNotice
row (its unique constraint), and the mail is queued in the same transaction. An assignee without a mail
address gets the row and no mail (the welfare page shows what is overdue anyway)."""
from collections import defaultdict
from datetime import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ops.centres.models import Centre
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.welfare.models import Case, DueNotice
from ops.welfare.selectors import assignable_staff

DUE_NOTICE_TIME = time(8, 0)  # on the centre's wall clock


def due_day(centre: Centre):
    """The centre's today when its notices are due now (past DUE_NOTICE_TIME, the centre not closed), else None."""
    now = centre.now()
    if centre.status == Centre.Status.CLOSED or now.time() < DUE_NOTICE_TIME:
        return None
    return now.date()


def _body(centre: Centre, day, cases) -> tuple[str, str]:
    url = settings.SITE_URL + reverse("welfare:cases", kwargs={"centre": centre.slug})
    with translation.override(settings.LANGUAGE_CODE):  # read at the centre, in the centre's language
        lines = []
        for case in cases:
            state = _("期限超過") if case.next_check_on < day else _("本日")
            lines.append(_("%(number)s  確認日 %(date)s（%(state)s）") % {
                "number": case.label, "date": case.next_check_on.isoformat(), "state": state})
        overdue = sum(1 for case in cases if case.next_check_on < day)
        subject = _("【福祉ケース】確認日のケース %(n)d件（%(day)s）") % {"n": len(cases), "day": day.isoformat()}
        body = _(
            "%(centre)s で、あなたが担当する福祉ケースのうち %(n)d件が確認日を迎えています"
            "（うち期限超過 %(overdue)d件）。\n\n%(lines)s\n\n"
            "福祉ケースの一覧で内容を確認してください。\n%(url)s\n\n"
            "（このメールには個人情報やケースの内容を記載していません。詳細はログインして確認してください。）"
        ) % {"centre": centre.name, "n": len(cases), "overdue": overdue, "lines": "\n".join(lines), "url": url}
    return subject, body


def send_due_notices_of(centre: Centre) -> int:
    """Claim and queue today's notices at one centre not yet claimed; returns how many mails this call queued."""
    day = due_day(centre)
    if day is None:
        return 0
    by_user = defaultdict(list)
    due = (Case.objects.filter(centre=centre, assignee__isnull=False).due(day)
           .select_related("assignee").order_by("next_check_on", "number"))
    for case in due:
        by_user[case.assignee].append(case)
    claimed = set(DueNotice.objects.filter(centre=centre, day=day).values_list("user_id", flat=True))
    # A case left with someone no longer on the centre's welfare staff mails nobody (the list still shows it).
    staff = set(assignable_staff(centre).values_list("pk", flat=True))
    queued = 0
    for user, cases in by_user.items():
        if user.pk in claimed or user.pk not in staff:
            continue
        with transaction.atomic():
            try:
                # The claim: of two sweeps at once, one inserts the row; the other's insert fails here.
                with transaction.atomic():
                    notice = DueNotice.objects.create(centre=centre, user=user, day=day, cases=len(cases))
            except IntegrityError:
                continue
            if user.email and user.is_active:
                subject, body = _body(centre, day, cases)
                notice.mail = queue_mail(kind=OutboundMail.Kind.CASE_CHECKS, centre=centre, about=notice,
                                         to=[user.email], subject=subject, body=body, triggered_by="due-sweep")
                notice.save(update_fields=["mail"])
                queued += 1
    return queued


def send_due_notices() -> int:
    """Every centre's notices now due; how many mails were queued."""
    return sum(send_due_notices_of(centre)  # the nightly sweep: real centres (a drill's day is its 90 minutes)
               for centre in Centre.objects.real().exclude(status=Centre.Status.CLOSED))
