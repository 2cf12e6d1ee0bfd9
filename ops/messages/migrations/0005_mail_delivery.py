"""Each mail gets its own Message-ID (the rows already written get one each, then the column is unique), extra
headers (List-Unsubscribe), the states "sending" and "unknown", and the volunteer mails' kinds."""
import uuid

import ops.messages.models
from django.db import migrations, models


def give_each_an_id(apps, schema_editor):
    mail = apps.get_model("outbox", "OutboundMail")
    for pk in mail.objects.values_list("pk", flat=True):
        mail.objects.filter(pk=pk).update(message_id=f"<{uuid.uuid4().hex}@outbox.local>")


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0004_booking_cancelled_mail'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboundmail',
            name='headers',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='outboundmail',
            name='message_id',
            field=models.CharField(default="", editable=False, max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='outboundmail',
            name='message_id',
            field=models.CharField(default=ops.messages.models.new_message_id, editable=False, max_length=200,
                                   unique=True),
        ),
        migrations.AlterField(
            model_name='outboundmail',
            name='kind',
            field=models.CharField(choices=[('crisis_alert', '危機介入の通知'), ('volunteer_link', 'ボランティアの個人リンク'), ('daily_report', '日報'), ('rollup_report', '集約報告'), ('staff_invitation', 'スタッフの招待'), ('booking_cancelled', '活動予約の取消'), ('booking_confirmed', '活動予約の確認'), ('booking_reminder', '活動前日のお知らせ'), ('suspension', '活動中止のお知らせ'), ('recruitment_call', 'ボランティア募集のお知らせ')], max_length=20, verbose_name='種類'),
        ),
        migrations.AlterField(
            model_name='outboundmail',
            name='state',
            field=models.CharField(choices=[('queued', '送信待ち'), ('sending', '送信中'), ('sent', '送信済み'), ('failed', '送信できませんでした'), ('unknown', '送達不明')], default='queued', max_length=10, verbose_name='状態'),
        ),
    ]
