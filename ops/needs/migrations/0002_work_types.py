from django.db import migrations

WORK_TYPES = [
    ("mud", "泥出し", False),
    ("debris", "がれき撤去", False),
    ("furniture", "家財の運び出し", False),
    ("cleaning", "清掃・洗浄", False),
    ("sandbags", "土のう作り・積み", False),
    ("tarp", "屋根のブルーシート張り", True),
    ("other", "その他", False),
]


def seed(apps, schema_editor):
    WorkType = apps.get_model("needs", "WorkType")
    for order, (code, name, specialist) in enumerate(WORK_TYPES):
        WorkType.objects.update_or_create(code=code, defaults={"name": name, "specialist_only": specialist,
                                                               "order": order})


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
