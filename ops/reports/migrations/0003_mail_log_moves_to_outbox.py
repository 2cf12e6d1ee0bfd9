# The mail log was copied into the outbox first (outbox 0002_report_mail_log).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_rollup_and_mail_log'),
        ('outbox', '0002_report_mail_log'),
    ]

    operations = [
        migrations.DeleteModel(
            name='SentMail',
        ),
    ]
