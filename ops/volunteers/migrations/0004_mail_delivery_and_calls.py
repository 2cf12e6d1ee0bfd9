"""The volunteer's recruitment-call preferences: wanting calls, the weekdays they can come, when they stopped them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0003_recompute_normalised_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='volunteer',
            name='available_weekdays',
            field=models.JSONField(blank=True, default=list, verbose_name='活動できる曜日'),
        ),
        migrations.AddField(
            model_name='volunteer',
            name='calls_stopped_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='volunteer',
            name='wants_calls',
            field=models.BooleanField(default=True, verbose_name='募集のお知らせをメールで受け取る'),
        ),
    ]
