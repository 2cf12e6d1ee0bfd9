"""Who may keep a staff board open changes with logout, roles and accounts: tell the sockets (ops.events)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ops import events
from ops.centres.models import Membership


@receiver(user_logged_out, dispatch_uid="boards.logged_out")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        events.access_changed(user.pk, session_key=getattr(request.session, "session_key", None))


@receiver(post_save, sender=Membership, dispatch_uid="boards.role_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="boards.role_deleted")
def _role_changed(sender, instance, **kwargs):
    events.access_changed(instance.user_id)


@receiver(post_save, sender=get_user_model(), dispatch_uid="boards.account_saved")
def _account_saved(sender, instance, created, **kwargs):
    if not created and not instance.is_active:  # a login saves the account too: only a deactivation matters
        events.access_changed(instance.pk)


@receiver(post_delete, sender=get_user_model(), dispatch_uid="boards.account_deleted")
def _account_deleted(sender, instance, **kwargs):
    events.access_changed(instance.pk)
