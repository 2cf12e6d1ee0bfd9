"""The daily report's mail log (reports.SentMail) becomes rows of the outbox: one record of every mail that
left, whatever sent it."""
from django.db import migrations


def copy_sent_mail(apps, schema_editor):
    SentMail = apps.get_model("reports", "SentMail")
    OutboundMail = apps.get_model("outbox", "OutboundMail")
    for sent in SentMail.objects.select_related("report", "rollup").order_by("pk"):
        if sent.report_id:
            kind, about, centre_id = "daily_report", f"reports.dailyreport:{sent.report_id}", sent.report.centre_id
        else:
            kind, about, centre_id = "rollup_report", f"reports.rollupreport:{sent.rollup_id}", None
        mail = OutboundMail.objects.create(
            kind=kind, centre_id=centre_id, about=about, to=sent.to, subject=sent.subject,
            attachments=[{"name": name} for name in sent.attachments], state="sent", attempts=1,
            sent_at=sent.sent_at, tried_at=sent.sent_at, triggered_by=sent.triggered_by)
        OutboundMail.objects.filter(pk=mail.pk).update(queued_at=sent.sent_at)


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_outbound_mail"), ("reports", "0002_rollup_and_mail_log")]
    operations = [migrations.RunPython(copy_sent_mail, migrations.RunPython.noop)]
