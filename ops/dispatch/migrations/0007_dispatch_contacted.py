from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """連絡済み: who reached a team past its return time, and when."""

    dependencies = [
        ('dispatch', '0006_report_typed_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='dispatch',
            name='contacted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='連絡済み'),
        ),
        migrations.AddField(
            model_name='dispatch',
            name='contacted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=models.deletion.SET_NULL, related_name='+',
                                    to=settings.AUTH_USER_MODEL),
        ),
    ]
