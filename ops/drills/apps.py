from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrillsConfig(AppConfig):
    name = "ops.drills"
    label = "drills"
    verbose_name = _("訓練")
