from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dispatch', '0002_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='dispatch',
            index=models.Index(fields=['need', 'status'], name='dispatch_need_status'),
        ),
    ]
