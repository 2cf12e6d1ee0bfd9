from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrefectureConfig(AppConfig):
    name = "ops.prefecture"
    label = "prefecture"
    verbose_name = _("県域の運営（災害ボランティア支援本部）")
