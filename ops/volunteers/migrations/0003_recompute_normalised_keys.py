"""Recompute the stored phone and kana keys with the one reading of phones and kana (ops/normalise.py): the
volunteers' own module kept "+81 (0)90…" and "0081…" as 8109…/0081…, which the needs' did not."""
from django.db import migrations

from ops import normalise


def recompute_keys(apps, schema_editor):
    """Each volunteer's keys as ops.normalise reads them now. Where two rows come to the same phone and kana
    (`volunteer_once_per_phone_and_kana`), they are one person registered twice under the old reading: the row
    that already holds the key, or else the first registered, takes it; the other keeps its stored key, so
    nothing is merged or lost here and staff still find both."""
    Volunteer = apps.get_model("volunteers", "Volunteer")
    rows = list(Volunteer.objects.order_by("pk").values_list("pk", "phone", "kana", "phone_normalised", "kana_key"))
    taken = {(phone_k, kana_k) for _, _, _, phone_k, kana_k in rows if phone_k}
    for pk, phone, kana, old_phone_k, old_kana_k in rows:
        new = (normalise.phone_key(phone), normalise.kana_key(kana))
        old = (old_phone_k, old_kana_k)
        if new == old or (new[0] and new in taken):
            continue
        taken.discard(old)
        if new[0]:
            taken.add(new)
        Volunteer.objects.filter(pk=pk).update(phone_normalised=new[0], kana_key=new[1])


class Migration(migrations.Migration):

    dependencies = [
        ("volunteers", "0002_checkin_rules"),
    ]

    operations = [
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
    ]
