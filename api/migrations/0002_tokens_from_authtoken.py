"""Existing DRF tokens (rest_framework.authtoken, no longer installed) become ApiTokens: same key, so the
integrations using them keep working, now with an expiry (API_TOKEN_DAYS from today) and a revoke. The old
table is emptied (it kept the keys in clear); it is left in place, unused."""
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def copy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("api", "ApiToken")
    expires = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        token = ApiToken.objects.create(user_id=user_id, name="manage.py issue_api_token",
                                        key_hash=hashlib.sha256(key.encode()).hexdigest(), prefix=key[:8],
                                        expires_at=expires)
        ApiToken.objects.filter(pk=token.pk).update(created_at=created)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]
    operations = [migrations.RunPython(copy_tokens, migrations.RunPython.noop)]
