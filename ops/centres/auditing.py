"""Automatic audit of the models that matter (needs, dispatches, personal data).

Every save of an audited model reaches the trail (ops.audit.changed) naming the fields that changed (never
their values), whatever path made it: a page, the API, the admin, a task, a resident's or leader's private
link. Inside a service's `audit.operation` the save joins the operation's one row for that record. The acting
user comes from a context variable that AuditMiddleware sets per request.

A need's status history (NeedStatusChange) is not audited row by row: `change_status` puts the status change
on the need's own entry, where the trail's reader looks for it.
"""
from django.conf import settings
from django.db.models.signals import post_delete, post_init, post_save

from ops import audit
from ops.audit import reset_actor, set_actor

AUDITED = [
    "needs.Need", "needs.Survey", "needs.NeedPhoto",
    "welfare.Household", "welfare.Case", "welfare.Contact", "welfare.Consent", "welfare.Referral",
    "volunteers.Volunteer", "volunteers.Group",
    "dispatch.Team", "dispatch.Dispatch", "dispatch.ReturnReport", "dispatch.EquipmentLoan",
    "dispatch.EquipmentKind", "dispatch.EquipmentItem", "dispatch.EquipmentMovement", "dispatch.Consumable", "dispatch.ConsumableMovement",
]
# Derived search keys only repeat fields that are audited already (phone, names, address).
SKIP_FIELDS = {"updated_at", "version", "phone_normalised", "name_key", "kana_key", "address_key", "phone_key"}


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: the user is not looked up, so an anonymous request leaves
        # the session untouched and its answer does not Vary on Cookie (a CDN may keep the public JSON).
        user = getattr(request, "user", None) if settings.SESSION_COOKIE_NAME in request.COOKIES else None
        token = set_actor(user, "anonymous")
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname, None) for f in instance._meta.concrete_fields
            if f.attname not in SKIP_FIELDS}


def _remember(sender, instance, **kwargs):
    instance._audit_initial = _values(instance) if instance.pk else None


def _saved(sender, instance, created, **kwargs):
    after = _values(instance)
    before = getattr(instance, "_audit_initial", None)
    if created or before is None:
        created, fields = True, sorted(after)
    else:
        fields = audit.changed_fields(before, after)
        if not fields:
            return
    audit.changed(instance, fields=fields, created=created)
    instance._audit_initial = after


def _deleted(sender, instance, **kwargs):
    audit.deleted(instance)


def connect():
    from django.apps import apps

    for label in AUDITED:
        model = apps.get_model(label)
        post_init.connect(_remember, sender=model, dispatch_uid=f"audit-init-{label}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"audit-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-delete-{label}")
