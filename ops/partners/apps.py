from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "ops.partners"
    label = "partners"
    verbose_name = _("協力団体（三者連携）")
