from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "ops.offline"
    label = "offline"
    verbose_name = _("電波のない現場")
