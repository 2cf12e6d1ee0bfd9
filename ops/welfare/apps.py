from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "ops.welfare"
    verbose_name = _("災害ソーシャルワーク")

    def ready(self):
        from django.db.models.signals import post_save

        from ops.centres.models import Centre
        from ops.welfare.services.cases import seed_directory

        def seed(sender, instance, created, raw=False, **kwargs):
            # Every centre, however made (opening, the demo, a fixture), starts with the categories and
            # the council's own desk in its directory.
            if created and not raw:
                seed_directory(instance)

        post_save.connect(seed, sender=Centre, dispatch_uid="welfare-seed-directory", weak=False)
