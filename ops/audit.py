"""The audit trail: who changed what, for needs, dispatches and personal data.

Entries name the fields that changed, never their contents, so the trail itself holds no personal data.
Services call `record` inside their transaction; administrators read it at /c/<centre>/audit/.
"""
from ops.centres.models import AuditEntry


def record(*, centre, action: str, obj, by=None, actor: str = "", fields=(), note: str = "") -> AuditEntry:
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        centre_id=getattr(centre, "pk", centre),
        user=user,
        actor=actor[:60],
        action=action[:40],
        object_type=obj._meta.label_lower[:40],
        object_id=str(obj.pk),
        fields=sorted(fields),
        note=note[:200],
    )


def changed_fields(before: dict, after: dict) -> list[str]:
    """Names of the keys whose values differ (for `record(fields=...)`)."""
    return sorted(k for k in after if before.get(k) != after.get(k))
