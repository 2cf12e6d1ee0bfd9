"""Automatic audit of the models that matter (needs, dispatches, personal data).

Every save of an audited model writes an AuditEntry naming the fields that changed (never their values),
whatever path made it: a page, the API, the admin, a task, a resident's or leader's private link.
The acting user comes from a context variable that AuditMiddleware sets per request.
"""
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_init, post_save

from ops import audit

AUDITED = [
    "needs.Need", "needs.Survey", "needs.Referral", "needs.NeedPhoto", "needs.NeedStatusChange",
    "volunteers.Volunteer", "volunteers.Group",
    "dispatch.Team", "dispatch.Dispatch", "dispatch.ReturnReport", "dispatch.EquipmentLoan",
]
# Derived search keys only repeat fields that are audited already (phone, names, address).
SKIP_FIELDS = {"updated_at", "version", "phone_normalised", "name_key", "kana_key", "address_key"}

_actor: ContextVar[tuple] = ContextVar("dvc_audit_actor", default=(None, "system"))


def set_actor(user=None, label: str = ""):
    """Who is acting from here on (in this request, task or thread); returns a token for reset_actor."""
    if user is not None and getattr(user, "is_authenticated", False):
        return _actor.set((user, ""))
    return _actor.set((None, label or "anonymous"))


def reset_actor(token) -> None:
    _actor.reset(token)


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_actor(getattr(request, "user", None), "anonymous")
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname, None) for f in instance._meta.concrete_fields
            if f.attname not in SKIP_FIELDS}


def _centre_id(instance):
    for path in ("centre_id", "need.centre_id", "team.centre_id", "dispatch.centre_id"):
        obj = instance
        try:
            for part in path.split("."):
                obj = getattr(obj, part)
        except AttributeError:
            continue
        if obj is not None:
            return obj
    return None


def _remember(sender, instance, **kwargs):
    instance._audit_initial = _values(instance) if instance.pk else None


def _saved(sender, instance, created, **kwargs):
    after = _values(instance)
    before = getattr(instance, "_audit_initial", None)
    if created or before is None:
        action, fields = "create", sorted(after)
    else:
        action, fields = "update", audit.changed_fields(before, after)
        if not fields:
            return
    user, label = _actor.get()
    audit.record(centre=_centre_id(instance), action=action, obj=instance, by=user, actor=label, fields=fields)
    instance._audit_initial = after


def _deleted(sender, instance, **kwargs):
    user, label = _actor.get()
    audit.record(centre=_centre_id(instance), action="delete", obj=instance, by=user, actor=label)


def connect():
    from django.apps import apps

    for label in AUDITED:
        model = apps.get_model(label)
        post_init.connect(_remember, sender=model, dispatch_uid=f"audit-init-{label}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"audit-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-delete-{label}")
