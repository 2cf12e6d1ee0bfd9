"""The 情報共有会議 tests' data, made by the real services: organisations, technical needs with residents whose
name, phone and address must never reach the sheet, and jobs moved along by offer/accept/decline/schedule/complete."""
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.centres.models import Role
from ops.needs.models import NeedStatus, WorkType
from ops.partners import services
from tests import factories

# A resident who must not appear in any form of the sheet.
SECRET = {"requester_name": "秘匿川 会議子", "requester_kana": "ヒトクガワ カイギコ", "phone": "090-9876-5432",
          "address": "会議市秘密町9-9-9"}
SECRETS = ("秘匿川", "会議子", "ヒトクガワ", "090-9876-5432", "09098765432", "秘密町9-9-9")


def work(code):
    return WorkType.objects.get(code=code)


def technical_need(centre, *, work_types, district="北町", days_ago=0, **kw):
    kw.setdefault("status", NeedStatus.ON_HOLD)
    return factories.make_need(centre, work_types=work_types, district=district, technical=True,
                               received_at=timezone.now() - timedelta(days=days_ago), **{**SECRET, **kw})


@dataclass
class Meet:
    centre: object
    staff: object
    roofers: object
    sawyers: object

    def org(self, name, capabilities):
        return services.save_organisation(self.centre, by=self.staff, name=name, capabilities=capabilities)

    def offer(self, need, org, code=None):
        return services.offer(need, org, by=self.staff, work_type=work(code) if code else None)


@pytest.fixture
def meet(db):
    centre = factories.make_centre()
    staff = factories.make_user(Role.COORDINATOR, centre)
    roofers = services.save_organisation(centre, by=staff, name="屋根の会", capabilities=["roof"])
    sawyers = services.save_organisation(centre, by=staff, name="チェーンソー隊", capabilities=["chainsaw"])
    return Meet(centre, staff, roofers, sawyers)
