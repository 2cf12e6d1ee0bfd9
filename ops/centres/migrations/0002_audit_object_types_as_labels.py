"""Audit entries written by services before the trail had one writer named their object "need", "dispatch",
"volunteer" or "attendance"; every entry now names it by the model's label, as the save signal always did."""
from django.db import migrations

SHORT_NAMES = {"need": "needs.need", "dispatch": "dispatch.dispatch", "volunteer": "volunteers.volunteer",
               "attendance": "volunteers.attendance"}


def to_labels(apps, schema_editor):
    AuditEntry = apps.get_model("centres", "AuditEntry")
    for short, label in SHORT_NAMES.items():
        AuditEntry.objects.filter(object_type=short).update(object_type=label)


def to_short_names(apps, schema_editor):
    pass  # the labels read as well: nothing to undo


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]
    operations = [migrations.RunPython(to_labels, to_short_names)]
