"""Recompute the stored search keys with the one reading of phones and kana (ops/normalise.py): the needs'
own module read "+81 (0)90…" and "0081…" like the volunteers' did not, and stored kana as hiragana where
volunteers stored katakana."""
from django.db import migrations

from ops import normalise


def recompute_keys(apps, schema_editor):
    Need = apps.get_model("needs", "Need")
    # Read first, then write: SQLite must not be updated under an open cursor on the same table.
    rows = list(Need.objects.values_list("pk", "phone", "requester_name", "requester_kana", "address", "phone_normalised",
                                         "name_key", "kana_key", "address_key"))
    for pk, phone, name, kana, address, *stored in rows:
        keys = {"phone_normalised": normalise.phone_key(phone), "name_key": normalise.name_key(name),
                "kana_key": normalise.kana_key(kana), "address_key": normalise.address_key(address)}
        if list(keys.values()) != stored:
            Need.objects.filter(pk=pk).update(**keys)


class Migration(migrations.Migration):

    dependencies = [
        ("needs", "0003_intake_fields"),
    ]

    operations = [
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
    ]
