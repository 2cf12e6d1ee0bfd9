from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "ops.boards"
    label = "boards"
    verbose_name = _("状況ボード")

    def ready(self):
        from ops.boards import signals  # noqa: F401 (connects the receivers)
