"""What a phone sent from its outbox, once: a key the phone made stands for one submission, so a resend after
a lost answer is answered again instead of being filed twice (ops.offline.keys.once)."""
from django.db import models


class Submission(models.Model):
    scope = models.CharField(max_length=200)  # the path the phone posted to
    key = models.CharField(max_length=64)  # made by the phone, 128 random bits
    status = models.PositiveSmallIntegerField(default=200)  # the HTTP status answered the first time
    answer = models.JSONField(default=dict)  # what the phone was told: never personal data
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="offline_submission_once")]

    def __str__(self):
        return f"{self.scope} {self.key[:8]}"
