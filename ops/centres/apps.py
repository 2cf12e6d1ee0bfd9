from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "ops.centres"
    label = "centres"
    verbose_name = _("センター")

    def ready(self):
        from ops.centres import auditing

        auditing.connect()
