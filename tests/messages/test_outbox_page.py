"""The staff outbox page (/c/<centre>/mail/): every mail's state in one place, each role seeing the kinds of
mail it may, secret links never shown, another centre's mail never listed."""
from html import escape

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.messages.models import OutboundMail
from ops.reports.models import RollupReport
from tests import factories

pytestmark = pytest.mark.django_db
Kind, State = OutboundMail.Kind, OutboundMail.State


def mail(centre, kind, state=State.SENT, **kw):
    return OutboundMail.objects.create(kind=kind, centre=centre, to=kw.pop("to", ["a@example.jp"]),
                                       subject=kw.pop("subject", f"{kind} の件名"), body=kw.pop("body", "本文です"),
                                       state=state, **kw)


@pytest.fixture
def sent(centre):
    return {
        "alert": mail(centre, Kind.CRISIS_ALERT, subject="【危機介入】N-0001"),
        "link": mail(centre, Kind.VOLUNTEER_LINK, body="https://vc.example.jp/v/SECRET-TOKEN/"),
        "booking": mail(centre, Kind.BOOKING_CONFIRMED, State.UNKNOWN, body="予約を受け付けました"),
        "call": mail(centre, Kind.RECRUITMENT_CALL, State.FAILED, error="recipients_refused"),
        "report": mail(centre, Kind.DAILY_REPORT, State.QUEUED),
        "invite": mail(centre, Kind.STAFF_INVITATION, body="https://vc.example.jp/staff/accept/INVITE-TOKEN/"),
    }


def page(client, centre, **query):
    return client.get(reverse("outbox:list", kwargs={"centre": centre.slug}), query)


def listed(response) -> set[int]:
    return {m.pk for m in response.context["page"]}


@pytest.mark.parametrize("role, kinds", [
    (Role.ADMIN, {"alert", "link", "booking", "call", "report", "invite"}),
    (Role.COORDINATOR, {"link", "booking", "call", "report"}),
    (Role.RECEPTION, {"link", "booking", "call"}),
    (Role.WELFARE, {"alert"}),
    (Role.VIEWER, {"report"}),
    (Role.LEADER, {"report"}),
])
def test_each_role_sees_the_kinds_of_mail_it_may(client_as, centre, sent, role, kinds):
    response = page(client_as(role), centre)
    assert response.status_code == 200
    assert listed(response) == {sent[k].pk for k in kinds}


def test_intake_has_no_mail_to_see(client_as, centre, sent):
    assert page(client_as(Role.INTAKE), centre).status_code == 403


def test_the_summary_counts_each_kind_by_state_and_the_page_filters_by_them(client_as, centre, sent):
    mail(centre, Kind.BOOKING_CONFIRMED, State.SENT)
    mail(centre, Kind.BOOKING_CONFIRMED, State.SENT)
    client = client_as(Role.ADMIN)
    response = page(client, centre)
    row = {r["kind"]: r for r in response.context["summary"]}[Kind.BOOKING_CONFIRMED]
    assert row["states"] == {State.UNKNOWN: 1, State.SENT: 2} and row["total"] == 3
    assert response.context["attention"] == 2  # the unknown booking mail and the failed call
    assert "確認が必要なメールが2通あります" in response.content.decode()
    assert listed(page(client, centre, state="unknown")) == {sent["booking"].pk}
    assert listed(page(client, centre, kind=Kind.RECRUITMENT_CALL)) == {sent["call"].pk}
    assert len(listed(page(client, centre, kind="nonsense", state="junk"))) == 8  # unknown filters: everything


def test_the_failed_mail_reads_why_in_words(client_as, centre, sent):
    text = page(client_as(Role.RECEPTION), centre, state="failed").content.decode()
    assert "宛先のメールアドレスが受け付けられませんでした" in text and "recipients_refused" not in text


def test_a_secret_link_is_never_shown_on_the_page(client_as, centre, sent):
    client = client_as(Role.ADMIN)
    for key, secret in (("link", "SECRET-TOKEN"), ("invite", "INVITE-TOKEN")):
        response = client.get(reverse("outbox:mail", kwargs={"centre": centre.slug, "pk": sent[key].pk}))
        assert response.status_code == 200
        assert secret not in response.content.decode()
        assert "本文は表示しません" in response.content.decode()
    response = client.get(reverse("outbox:mail", kwargs={"centre": centre.slug, "pk": sent["booking"].pk}))
    assert "予約を受け付けました" in response.content.decode()
    assert escape(sent["booking"].message_id) in response.content.decode()


def test_a_mail_of_a_kind_the_role_may_not_see_is_not_found(client_as, centre, sent):
    client = client_as(Role.RECEPTION)
    response = client.get(reverse("outbox:mail", kwargs={"centre": centre.slug, "pk": sent["alert"].pk}))
    assert response.status_code == 404


def test_another_centres_mail_is_neither_listed_nor_opened(client_as, centre, other_centre, sent):
    theirs = mail(other_centre, Kind.BOOKING_CONFIRMED)
    client = client_as(Role.ADMIN)
    assert theirs.pk not in listed(page(client, centre))
    response = client.get(reverse("outbox:mail", kwargs={"centre": centre.slug, "pk": theirs.pk}))
    assert response.status_code == 404


def test_the_disasters_rollup_mail_shows_at_each_of_its_centres_only(client_as, centre):
    rollup = RollupReport.objects.create(disaster=centre.disaster, date=centre.today(), figures={})
    ours = mail(None, Kind.ROLLUP_REPORT, about=f"reports.rollupreport:{rollup.pk}")
    elsewhere = factories.make_centre()  # another disaster
    theirs_rollup = RollupReport.objects.create(disaster=elsewhere.disaster, date=centre.today(), figures={})
    theirs = mail(None, Kind.ROLLUP_REPORT, about=f"reports.rollupreport:{theirs_rollup.pk}")
    shown = listed(page(client_as(Role.VIEWER), centre))
    assert ours.pk in shown and theirs.pk not in shown


def test_only_a_role_that_sends_that_kind_sees_the_buttons(client_as, centre, sent):
    url = reverse("outbox:mail", kwargs={"centre": centre.slug, "pk": sent["booking"].pk})
    assert "もう一度送る" in client_as(Role.RECEPTION).get(url).content.decode()
    report = reverse("outbox:mail", kwargs={"centre": centre.slug, "pk": sent["report"].pk})
    assert "もう一度送る" not in client_as(Role.VIEWER).get(report).content.decode()  # queued, and a viewer


def test_staff_send_an_unknown_mail_again_as_a_new_mail_and_the_old_one_stays(client_as, centre, sent):
    client = client_as(Role.RECEPTION)
    old = sent["booking"]
    response = client.post(reverse("outbox:send_again", kwargs={"centre": centre.slug, "pk": old.pk}))
    again = OutboundMail.objects.exclude(pk__in=[m.pk for m in sent.values()]).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/mail/{again.pk}/")
    assert (again.subject, again.body, again.to, again.state) == (old.subject, old.body, old.to, State.QUEUED)
    assert again.message_id != old.message_id and again.triggered_by == f"staff:{client.user.username}"
    old.refresh_from_db()
    assert old.state == State.UNKNOWN
    from ops.centres.models import AuditEntry
    assert AuditEntry.objects.filter(action="mail.sent_again", object_id=str(old.pk)).exists()


def test_a_mail_already_sent_is_not_sent_again_and_staff_read_why(client_as, centre, sent):
    client = client_as(Role.ADMIN)
    response = client.post(reverse("outbox:send_again", kwargs={"centre": centre.slug, "pk": sent["alert"].pk}),
                           follow=True)
    assert "送達不明のメールだけを再送できます" in response.content.decode()
    assert OutboundMail.objects.count() == len(sent)


def test_staff_record_that_an_unknown_mail_arrived(client_as, centre, sent):
    client = client_as(Role.RECEPTION)
    client.post(reverse("outbox:confirm_delivered", kwargs={"centre": centre.slug, "pk": sent["booking"].pk}))
    sent["booking"].refresh_from_db()
    assert sent["booking"].state == State.SENT and sent["booking"].confirmed_by == f"staff:{client.user.username}"
    text = client.get(reverse("outbox:mail", kwargs={"centre": centre.slug, "pk": sent["booking"].pk})).content.decode()
    assert "スタッフが到着を確認" in text and "もう一度送る" not in text


def test_a_viewer_may_not_send_a_report_again(client_as, centre, sent):
    report = mail(centre, Kind.DAILY_REPORT, State.FAILED, error="connection_refused")
    response = client_as(Role.VIEWER).post(reverse("outbox:send_again", kwargs={"centre": centre.slug, "pk": report.pk}))
    assert response.status_code == 403
    assert OutboundMail.objects.count() == len(sent) + 1
