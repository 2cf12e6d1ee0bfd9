"""The prefecture's background work: allocating an offering (a staff click or its deadline), the outcome
mails. Each is safe to run twice at once (row locks in the services)."""
from celery import shared_task
from django.utils import timezone

from ops.prefecture.models import Offering
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.outcomes import mail_outcomes, untold


@shared_task
def allocate_offering(offering_id: int) -> dict:
    result = allocate(offering_id)
    return {"allocated": result.allocated, "waiting": result.waiting, "already": result.already}


@shared_task
def mail_offering_outcomes(offering_id: int) -> int:
    return mail_outcomes(offering_id)


@shared_task
def prefecture_tick() -> dict:
    """Every minute (beat): allocate the offerings whose deadline passed, mail outcomes not mailed yet."""
    due = list(Offering.objects.filter(status=Offering.Status.OPEN, closes_at__lte=timezone.now())
               .values_list("pk", flat=True))
    for pk in due:
        allocate(pk)
    untold_offerings = set(untold().values_list("offering_id", flat=True).distinct())
    mailed = sum(mail_outcomes(pk) for pk in sorted(untold_offerings))
    return {"allocated": len(due), "mailed": mailed}
