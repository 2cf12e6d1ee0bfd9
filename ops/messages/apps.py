from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagesConfig(AppConfig):
    name = "ops.messages"
    label = "outbox"  # "messages" is django.contrib.messages' label
    verbose_name = _("送信メール")
