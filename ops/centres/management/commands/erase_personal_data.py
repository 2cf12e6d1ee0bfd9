"""Retention: after a centre closes, anonymise personal data older than the retention period.

Needs keep their number, status, district, work types, dates and rounded location, so every figure in
the reports stays; names, phones, addresses, free text (the need's, its surveys', referrals', status changes',
dispatches' and return reports') and photos go: what the registry (ops.privacy) marks for erasure. Volunteers
are anonymised once no centre they served or booked is still within its retention period. The centre's sent
mail keeps its kind, subject and state, not its addresses or text. Welfare cases go too, except those whose
person consented to the handover (their household's contact stays with them). Safe to run every night.
"""
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ops import audit
from ops.centres.models import Centre
from ops.dispatch.models import Dispatch, ReturnReport
from ops.messages.models import OutboundMail
from ops.needs.models import Need, NeedPhoto, NeedStatusChange, Survey
from ops.partners.models import JobPhoto, PartnerJob, PartnerJobChange
from ops.privacy import anonymise
from ops.volunteers.models import Group, Volunteer
from ops.welfare.models import Case, Household


class Command(BaseCommand):
    help = "Anonymise personal data of centres closed longer than PERSONAL_DATA_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.PERSONAL_DATA_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args, days, dry_run, **options):
        # Each centre's own calendar decides when its retention ended.
        # Real centres only: a drill's (訓練) is practice, and a real volunteer's check-in at one keeps nothing.
        closed = Centre.objects.real().filter(status=Centre.Status.CLOSED, closed_on__isnull=False)
        expired = Centre.objects.filter(pk__in=[c.pk for c in closed if c.erasure_due_on(days) <= c.today()])
        cutoff = timezone.localdate() - timedelta(days=days)  # volunteers belong to no one centre: the site's zone
        kept = Centre.objects.real().exclude(pk__in=expired.values("pk"))
        needs = Need.objects.filter(centre__in=expired, personal_data_erased_at=None)
        volunteers = (
            Volunteer.objects.filter(personal_data_erased_at=None, created_at__date__lte=cutoff)
            .exclude(Q(attendances__centre__in=kept) | Q(bookings__centre__in=kept))
            # a drill's (訓練) fictional people are no retention count: its reset removes them
            .exclude(Q(registered_centre__disaster__drill=True) | Q(registered_disaster__drill=True))
            .distinct()
        )
        mails = OutboundMail.objects.filter(centre__in=expired).exclude(to=[], body="")
        # A welfare case stays past retention only where it is still followed (not closed) and the person
        # consented to its handover (and has not withdrawn): the 生活支援相談員 carry it on
        # (CaseQuerySet.kept_past_retention). Every other case goes with the centre's needs.
        cases = Case.objects.filter(centre__in=expired, personal_data_erased_at=None)
        handed = cases.kept_past_retention()
        cases = cases.exclude(pk__in=handed.values("pk"))
        households = (Household.objects.filter(centre__in=expired, personal_data_erased_at=None)
                      .exclude(cases__in=handed.values("pk")))
        counts = {"centres": expired.count(), "needs": needs.count(), "volunteers": volunteers.count(),
                  "mails": mails.count(), "cases": cases.count(), "cases_kept": handed.count()}
        if dry_run:
            self.stdout.write(f"would anonymise: {counts}")
            return
        now = timezone.now()
        # The saves below put each record's erased fields on the trail, as one "erase_personal" entry each.
        with transaction.atomic(), audit.operation("erase_personal", actor="retention"):
            for need in needs.select_for_update():
                fields = anonymise(need)
                need.personal_data_erased_at = now
                need.save(update_fields=[*fields, "personal_data_erased_at"])
                for row in self.rows_of(need):
                    row.save(update_fields=anonymise(row))
                for photo in [*NeedPhoto.objects.filter(need=need), *JobPhoto.objects.filter(job__need=need)]:
                    photo.image.delete(save=False)
                    photo.delete()
            group_ids = set()
            # PostgreSQL refuses FOR UPDATE with DISTINCT: lock the rows by their ids instead.
            for volunteer in Volunteer.objects.filter(pk__in=volunteers.values("pk")).select_for_update():
                fields = anonymise(volunteer)
                volunteer.personal_data_erased_at = now
                volunteer.save(update_fields=[*fields, "personal_data_erased_at"])
                if volunteer.group_id:
                    group_ids.add(volunteer.group_id)
            for group in Group.objects.filter(pk__in=group_ids).exclude(members__personal_data_erased_at=None):
                group.save(update_fields=anonymise(group))
            mails.update(to=[], body="")
            for case in Case.objects.filter(pk__in=cases.values("pk")).select_for_update():
                fields = anonymise(case)
                case.personal_data_erased_at = now
                case.save(update_fields=[*fields, "personal_data_erased_at"])
                for row in [*case.contacts.all(), *case.referrals.all()]:
                    row.save(update_fields=anonymise(row))
            for household in Household.objects.filter(pk__in=households.values("pk")).select_for_update():
                fields = anonymise(household)
                household.personal_data_erased_at = now
                household.save(update_fields=[*fields, "personal_data_erased_at"])
        self.stdout.write(f"anonymised: {counts}")

    @staticmethod
    def rows_of(need):
        """The need's own rows that hold what residents, staff and teams wrote about the household."""
        yield from Survey.objects.filter(need=need)
        yield from NeedStatusChange.objects.filter(need=need)
        yield from Dispatch.objects.filter(need=need)
        yield from ReturnReport.objects.filter(dispatch__need=need)
        yield from PartnerJob.objects.filter(need=need)
        yield from PartnerJobChange.objects.filter(job__need=need)
